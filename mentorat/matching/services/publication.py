"""Publishing a run (proposals become mentorships, both sides get an introduction email)
after the coordinator confirmed its plan, superseding the edition's other runs; each
side's answer (confirm / not a good fit), and mentor capacity locks."""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
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
from mentorat.matching.introductions import introduction_recipients
from mentorat.matching.models import (
    ACTIVE_STATUSES,
    MatchRun,
    MentorCapacity,
    MentorRequest,
    PairIntroduction,
    Proposal,
    RunStatus,
)
from mentorat.matching.parameters import RunParameters
from mentorat.matching.tasks import send_introduction_emails
from mentorat.mentorships.models import EndReason, Mentorship, PairAnswer
from mentorat.mentorships.services.pairs import create_mentorship, end_mentorship
from mentorat.programs.models import Edition, MatchingSettings, ParticipantRole
from mentorat.safeguarding.services import require_checked_mentors


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
# its kind; the publication takes the edition row, then run rows (the published run, then
# the runs it supersedes).
LOCK_ORDER = (
    "programs.Edition, then matching.MatchRun",
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


# Publication plan ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicationPlan:
    """What publishing a run does, read from the database as it is now: the confirmation
    page shows it, and `publish_run` computes it again under its locks and carries out
    exactly that (refusing if it differs from the plan the coordinator confirmed)."""

    run_id: int
    #: proposals that become mentorships, in the order they are created
    pairs: list[Proposal]
    #: proposals whose mentee got a mentor meanwhile (self-matching, a pair made by hand)
    skipped: list[Proposal]
    #: mentees of the run left without a mentor
    unmatched: int
    #: introduction emails that go out (`introductions.introduction_recipients` per pair)
    emails: int
    #: why it cannot be published as it is (a mentor over capacity), translated; or ""
    problem: str
    #: numbers of the edition's other runs waiting for review, which it supersedes
    supersedes: list[int]
    #: digest of all the above: the confirmation form sends it back
    token: str


def plan_publication(run: MatchRun, *, lock: bool = False) -> PublicationPlan:
    """The plan of publishing `run` now. With `lock`, call inside `publish_run`'s
    transaction: it locks the mentees' applications and the mentors' capacities in
    `LOCK_ORDER`, so that the plan stays true until the commit. Without, it writes and
    locks nothing (the confirmation page)."""
    parameters = RunParameters.from_json(run.parameters)
    proposals = list(
        run.proposals.filter(mentor__isnull=False)
        # `create_mentorship` reads the edition (and its audit the organisation)
        # from the mentee's application: loaded here, not three queries per pair.
        .select_related("mentee__user", "mentee__edition__program__organization", "mentor__user")
        .order_by("mentor_id", "pk")
    )
    mentors = sorted({p.mentor for p in proposals if p.mentor}, key=lambda a: a.pk)
    if lock:
        # `LOCK_ORDER`: the mentees' applications, then the capacities. A self-matching
        # acceptance of one of these mentees either ends before (the mentee is then
        # skipped) or waits for the publication (and finds the mentee paired).
        lock_applications(p.mentee_id for p in proposals)
        capacity = {
            mentor.pk: lock_capacity(mentor=mentor, default=parameters.default_capacity)
            for mentor in mentors
        }
    else:
        explicit = dict(
            MentorCapacity.objects.filter(application__in=mentors).values_list(
                "application_id", "capacity"
            )
        )
        capacity = {
            mentor.pk: explicit.get(mentor.pk) or parameters.default_capacity for mentor in mentors
        }
    # Read once every capacity is held: an acceptance that took a place meanwhile has
    # committed, and none can take one until the publication commits.
    paired, used = pairs.active_load(edition=run.edition)
    used = dict(used)
    chosen: list[Proposal] = []
    skipped: list[Proposal] = []
    problem = ""
    emails = 0
    for p in proposals:
        assert p.mentor is not None
        if p.mentee_id in paired:
            skipped.append(p)
            continue
        mentor_id = p.mentor.pk
        if used.get(mentor_id, 0) >= capacity[mentor_id] and not problem:
            problem = _("%(name)s has no place left: change their pairs before publishing.") % {
                "name": p.mentor.user.display_name
            }
        used[mentor_id] = used.get(mentor_id, 0) + 1
        chosen.append(p)
        emails += len(introduction_recipients(mentor=p.mentor.user, mentee=p.mentee.user))
    if not problem:
        # The protection of minors, read now: a check may have been revoked or have
        # expired since the run, or the program may have started requiring them.
        try:
            require_checked_mentors(
                program=run.edition.program,
                pairs=[(p.mentor, p.mentee) for p in chosen if p.mentor is not None],
            )
        except DomainError as refused:
            problem = refused.message
    unmatched = run.proposals.filter(mentor__isnull=True).count()
    supersedes = list(
        MatchRun.objects.filter(edition_id=run.edition_id, status=RunStatus.SUCCEEDED)
        .exclude(pk=run.pk)
        .order_by("number")
        .values_list("number", flat=True)
    )
    digest = hashlib.sha256(
        json.dumps(
            {
                "run": run.pk,
                "status": run.status,
                "pairs": [(p.pk, p.mentee_id, p.mentor_id) for p in chosen],
                "skipped": [p.pk for p in skipped],
                "unmatched": unmatched,
                "emails": emails,
                "problem": problem,
                "supersedes": supersedes,
            }
        ).encode()
    )
    return PublicationPlan(
        run_id=run.pk,
        pairs=chosen,
        skipped=skipped,
        unmatched=unmatched,
        emails=emails,
        problem=problem,
        supersedes=supersedes,
        token=digest.hexdigest()[:40],
    )


def publication_refusal(run: MatchRun) -> str:
    """Why this run cannot be published whatever its pairs (translated), or "". Reads the
    run as given: `publish_run` asks again on the locked row."""
    if run.status == RunStatus.SUPERSEDED:
        newer = run.superseded_by
        if newer is None:
            return _("Another run of this edition was published: this one can no longer be.")
        return _(
            "Run #%(n)s of this edition was published after this one was computed: "
            "this run is superseded and can no longer be published."
        ) % {"n": newer.number}
    if run.status == RunStatus.PUBLISHED:
        return _("This run has already been published.")
    if run.status != RunStatus.SUCCEEDED:
        return _("Only a run waiting for review can be published.")
    # Function-level import: the selectors import this module (`default_capacity`).
    from mentorat.matching.selectors import stale_reason

    active = MatchRun.objects.filter(edition_id=run.edition_id, status__in=ACTIVE_STATUSES)
    # A run whose worker died blocks nothing: it is failed by the sweep, or just below.
    if any(stale_reason(other) is None for other in active):
        return _(
            "Another run of this edition is being computed: publish once it has finished "
            "(publishing now would make its pairs out of date)."
        )
    return ""


def _published_since(run: MatchRun) -> MatchRun | None:
    """A run of the edition published after `run` read its participants: `run`'s pairs
    ignore the pairs it made."""
    since = run.started_at or run.created_at
    return (
        MatchRun.objects.filter(
            edition_id=run.edition_id, status=RunStatus.PUBLISHED, published_at__gt=since
        )
        .exclude(pk=run.pk)
        .order_by("published_at", "pk")
        .first()
    )


def _supersede(runs: Iterable[MatchRun], *, by: MatchRun, actor: User | None) -> None:
    for old in runs:
        old.status = RunStatus.SUPERSEDED
        old.superseded_by = by
        old.save(update_fields=["status", "superseded_by"])
        record(
            action="matching.run.superseded",
            actor=actor,
            organization=by.edition.program.organization,
            target=old,
            data={"by": by.pk, "number": by.number},
        )


# Publishing ------------------------------------------------------------------------------------


def publish_run(
    *,
    run: MatchRun,
    actor: User,
    request: HttpRequest | None = None,
    notify: bool = True,
    token: str | None = None,
) -> int:
    """Turn the run's pairs into mentorships and email both sides. Returns how many
    pairs were created.

    Guarantees, under a lock on the edition row (so two publications of one edition,
    or a publication and a run being started, happen one after the other):
    - only a run waiting for review is published, while no other run of the edition is
      being computed;
    - with `token` (the confirmation page's `PublicationPlan.token`), exactly the plan
      the coordinator confirmed is carried out, or nothing: a run whose pairs, skipped
      mentees or email count changed since is refused;
    - every other run of the edition waiting for review becomes superseded (its pairs
      ignore this publication) and can never be published;
    - mentees who got a mentor meanwhile (self-matching, another run) are skipped; a
      mentor over capacity stops the whole publication.
    `notify` False sends no email (the demo data set writes publications of the past)."""
    # Function-level import: the run service imports the selectors, which import this
    # module.
    from mentorat.matching.services.runs import expire_stale_runs

    expire_stale_runs(edition=run.edition)
    superseded_by: MatchRun | None = None
    created: list[int] = []
    with transaction.atomic():
        edition = Edition.objects.select_for_update().get(pk=run.edition_id)
        run = (
            MatchRun.objects.select_for_update(of=("self",))
            .select_related("edition__program__organization", "superseded_by")
            .get(pk=run.pk)
        )
        refusal = publication_refusal(run)
        if refusal:
            raise DomainError(refusal)
        newer = _published_since(run)
        if newer is not None:
            # Only a run whose computation overlapped a publication gets here (the
            # publication superseded every run then waiting): record it, then refuse.
            _supersede([run], by=newer, actor=actor)
            superseded_by = newer
        else:
            created = _carry_out(run, actor=actor, request=request, token=token)
            waiting = MatchRun.objects.filter(edition=edition, status=RunStatus.SUCCEEDED)
            _supersede(waiting.exclude(pk=run.pk).order_by("pk"), by=run, actor=actor)

            def send() -> None:
                for pk in created:
                    send_introduction_emails.enqueue(pk)

            if notify:
                transaction.on_commit(send)
    if superseded_by is not None:
        run.superseded_by = superseded_by
        run.status = RunStatus.SUPERSEDED
        raise DomainError(publication_refusal(run))
    return len(created)


def _carry_out(
    run: MatchRun, *, actor: User, request: HttpRequest | None, token: str | None
) -> list[int]:
    """Create the pairs of the plan computed under the locks (in `publish_run`)."""
    plan = plan_publication(run, lock=True)
    if token is not None and token != plan.token:
        raise DomainError(
            _(
                "The run changed since the confirmation page was shown (pairs changed by "
                "hand, or mentees paired meanwhile): check the new figures and confirm again."
            )
        )
    if plan.problem:
        raise DomainError(plan.problem)
    created: list[int] = []
    for p in plan.pairs:
        assert p.mentor is not None
        mentorship = create_mentorship(
            mentor=p.mentor,
            mentee=p.mentee,
            score=p.score,
            explanation={"parts": p.explanation, "run": run.pk},
            actor=actor,
        )
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
        data={
            "mentorships": len(created),
            "skipped": len(plan.skipped),
            "emails": plan.emails,
            "unmatched": plan.unmatched,
        },
        request=request,
    )
    return created


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
