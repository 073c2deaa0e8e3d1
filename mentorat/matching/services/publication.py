"""Publishing a run (proposals become mentorships, both sides get an introduction email),
each side's answer (confirm / not a good fit), and mentor capacity locks."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorat.accounts.models import User
from mentorat.applications.models import Application
from mentorat.audit.services import record
from mentorat.lib.errors import DomainError
from mentorat.matching import pairs
from mentorat.matching.deadlines import answer_days as answer_days
from mentorat.matching.deadlines import answer_deadline as answer_deadline
from mentorat.matching.models import (
    MatchRun,
    MentorCapacity,
    MentorRequest,
    PairIntroduction,
    RunStatus,
)
from mentorat.matching.parameters import RunParameters
from mentorat.matching.tasks import send_introduction_emails
from mentorat.mentorships.models import EndReason, Mentorship, PairAnswer
from mentorat.mentorships.services.pairs import create_mentorship, end_mentorship
from mentorat.programs.models import MatchingSettings, ParticipantRole


def introductions(
    mentorship_ids: list[int],
    *,
    run: MatchRun | None = None,
    request: MentorRequest | None = None,
    now: datetime | None = None,
) -> list[PairIntroduction]:
    """Store the answer deadline of pairs being introduced (call in their transaction),
    after the program's number of days: later changes of that number move no deadline."""
    source = run if run is not None else request
    program_id = source.edition.program_id if source is not None else None
    answer_by = (now or timezone.now()) + timedelta(days=answer_days(program_id))
    return PairIntroduction.objects.bulk_create(
        [
            PairIntroduction(mentorship_id=pk, run=run, request=request, answer_by=answer_by)
            for pk in mentorship_ids
        ],
        batch_size=1000,
    )


# Lock order. Every service that gives a mentee a mentor, or answers for one, takes its
# row locks in this order, each kind sorted by primary key, and never goes back to an
# earlier kind: a transaction waiting for a lock then never holds one that the holder
# needs, so PostgreSQL has no deadlock to break (issue 14: two mentors accepting requests
# of the same mentee each held one request and waited for the other's, a 500 in 4 tries
# out of 5). A run row (`MatchRun`) or an edition row may come first, as the only lock of
# its kind.
LOCK_ORDER = (
    "matching.MatchRun / programs.Edition",
    "applications.Application (mentees and mentors, by pk)",
    "matching.MentorRequest (by pk)",
    "matching.MentorCapacity (by mentor application pk)",
    "mentorships.Mentorship (rows, or the unique index of an inserted pair)",
)


def lock_applications(application_ids: Iterable[int]) -> list[int]:
    """Lock these applications, by pk (the second step of `LOCK_ORDER`); returns the pks
    found."""
    return list(
        Application.objects.select_for_update()
        .filter(pk__in=sorted(set(application_ids)))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def lock_capacity(*, mentor: Application, default: int) -> int:
    """Lock the mentor's capacity row until the end of the transaction and return the
    capacity. Every service giving a mentee to a mentor calls this first, then counts
    the mentor's active pairs: simultaneous acceptances are thereby serialised."""
    MentorCapacity.objects.get_or_create(application=mentor)
    row = MentorCapacity.objects.select_for_update().get(application=mentor)
    return row.capacity or default


def default_capacity(program_id: int) -> int:
    value = (
        MatchingSettings.objects.filter(program_id=program_id)
        .values_list("default_mentor_capacity", flat=True)
        .first()
    )
    return int(value or 1)


def publish_run(
    *, run: MatchRun, actor: User, request: HttpRequest | None = None, notify: bool = True
) -> int:
    """Turn the run's pairs into mentorships and email both sides. Returns how many
    pairs were created. Mentees who got a mentor meanwhile (self-matching, another
    run) are skipped; a mentor over capacity stops the whole publication. `notify`
    False sends no email (the demo data set writes publications of the past)."""
    with transaction.atomic():
        run = (
            MatchRun.objects.select_for_update(of=("self",))
            .select_related("edition", "edition__program__organization")
            .get(pk=run.pk)
        )
        if run.status != RunStatus.SUCCEEDED:
            raise DomainError(_("Only a run waiting for review can be published."))
        parameters = RunParameters.from_json(run.parameters)
        proposals = list(
            run.proposals.filter(mentor__isnull=False)
            # `create_mentorship` reads the edition (and its audit the organisation)
            # from the mentee's application: loaded here, not three queries per pair.
            .select_related(
                "mentee__user", "mentee__edition__program__organization", "mentor__user"
            )
            .order_by("mentor_id", "pk")
        )
        # `LOCK_ORDER`: the mentees' applications, then the capacities. A self-matching
        # acceptance of one of these mentees either ends before (the mentee is then
        # skipped) or waits for the publication (and finds the mentee paired).
        lock_applications(p.mentee_id for p in proposals)
        paired, _load = pairs.active_load(edition=run.edition)
        created: list[int] = []
        by_mentor: dict[int, list[int]] = {}
        for p in proposals:
            by_mentor.setdefault(p.mentor_id, []).append(p.pk)  # type: ignore[arg-type]
        capacity: dict[int, int] = {}
        used: dict[int, int] = {}
        for mentor in sorted({p.mentor for p in proposals if p.mentor}, key=lambda a: a.pk):
            capacity[mentor.pk] = lock_capacity(mentor=mentor, default=parameters.default_capacity)
            used[mentor.pk] = pairs.active_mentees_of(mentor_application_id=mentor.pk)
        for p in proposals:
            assert p.mentor is not None
            if p.mentee_id in paired:
                continue
            if used[p.mentor.pk] >= capacity[p.mentor.pk]:
                raise DomainError(
                    _("%(name)s has no place left: change their pairs before publishing.")
                    % {"name": p.mentor.user.display_name}
                )
            mentorship = create_mentorship(
                mentor=p.mentor,
                mentee=p.mentee,
                score=p.score,
                explanation={"parts": p.explanation, "run": run.pk},
                actor=actor,
            )
            used[p.mentor.pk] += 1
            created.append(mentorship.pk)
        run.status = RunStatus.PUBLISHED
        run.published_at = timezone.now()
        introductions(created, run=run, now=run.published_at)
        run.published_by = actor
        run.save(update_fields=["status", "published_at", "published_by"])
        record(
            action="matching.run.published",
            actor=actor,
            organization=run.edition.program.organization,
            target=run,
            data={"mentorships": len(created), "skipped": len(proposals) - len(created)},
            request=request,
        )

        def send() -> None:
            for pk in created:
                send_introduction_emails.enqueue(pk)

        if notify:
            transaction.on_commit(send)
    return len(created)


def answer_pair(
    *,
    mentorship: Mentorship,
    user: User,
    answer: str,
    reason: str = "",
    request: HttpRequest | None = None,
) -> Mentorship:
    """Record one side's answer to a published pair. "Not a good fit" ends the pair (the
    mentee then waits for a re-matching and this pair is never proposed again)."""
    if answer not in (PairAnswer.CONFIRMED, PairAnswer.NOT_A_FIT):
        raise DomainError(_("Choose “I confirm” or “Not a good fit”."))
    if answer == PairAnswer.NOT_A_FIT and not reason.strip():
        raise DomainError(_("Tell the coordinator why, in a few words."))
    with transaction.atomic():
        locked = (
            Mentorship.objects.select_for_update(of=("self",))
            .select_related("introduction")
            .get(pk=mentorship.pk)
        )
        role = locked.role_of(user.pk)
        if role is None:
            raise DomainError(_("You are not part of this pair."))
        if not locked.is_active:
            raise DomainError(_("This pair has ended."))
        prefix = "mentor" if role == ParticipantRole.MENTOR else "mentee"
        if getattr(locked, f"{prefix}_answer") != PairAnswer.PENDING:
            raise DomainError(_("You have already answered."))
        if timezone.now() > answer_deadline(locked):
            raise DomainError(
                _("The time to answer has passed: please write to the program's coordinator.")
            )
        setattr(locked, f"{prefix}_answer", answer)
        setattr(locked, f"{prefix}_answer_reason", reason.strip())
        setattr(locked, f"{prefix}_answered_at", timezone.now())
        locked.save(
            update_fields=[f"{prefix}_answer", f"{prefix}_answer_reason", f"{prefix}_answered_at"]
        )
        record(
            action="matching.pair.confirmed"
            if answer == PairAnswer.CONFIRMED
            else "matching.pair.not_a_fit",
            actor=user,
            organization=locked.edition.program.organization,
            target=locked,
            data={"role": role},
            request=request,
        )
        if answer == PairAnswer.NOT_A_FIT:
            end_mentorship(
                mentorship=locked,
                reason=EndReason.NOT_A_FIT,
                note=reason.strip(),
                actor=user,
                request=request,
            )
    return locked
