"""Coordinator adjustments of a run waiting for review: assign or swap by hand, lock,
exclude a pair, re-run for everyone not locked. Each change is atomic (the run row is
locked while it is made) and audited.

Places reserved for a partnership (`mentorat.matching.reservations`) hold by hand as they
do in the engine: a mentor's reserved places go only to mentees of the partner, so a
change that would give one to an outsider, when the mentor has no open place left, is
refused; after each change the notes "Place réservée au partenariat X" of the mentors
involved are set again, the way the engine sets them."""

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from mentorat.accounts.models import User
from mentorat.applications.models import Application
from mentorat.audit.services import record
from mentorat.lib.errors import DomainError
from mentorat.matching import figures, reservations
from mentorat.matching.explain import PairCheck, check_pair
from mentorat.matching.models import (
    ExclusionKind,
    MatchRun,
    PairExclusion,
    Proposal,
    ProposalOrigin,
    RunStatus,
)
from mentorat.matching.parameters import RunParameters
from mentorat.matching.services.runs import explanation_json, start_run


def _lock_run(run: MatchRun) -> MatchRun:
    locked = (
        MatchRun.objects.select_for_update(of=("self",))
        .select_related("edition__program")
        .get(pk=run.pk)
    )
    if locked.status != RunStatus.SUCCEEDED:
        raise DomainError(_("Only a run waiting for review can be changed."))
    return locked


def _proposal(run: MatchRun, mentee_id: int) -> Proposal:
    proposal = Proposal.objects.select_for_update().filter(run=run, mentee_id=mentee_id).first()
    if proposal is None:
        raise DomainError(_("This mentee is not part of the run."))
    return proposal


def _clear(proposal: Proposal, reason_fr: str, reason_en: str) -> None:
    proposal.mentor_id = None
    proposal.mentor_order = None
    proposal.score = None
    proposal.explanation = []
    proposal.reason = {"code": "manual", "fr": reason_fr, "en": reason_en}
    proposal.origin = ProposalOrigin.MANUAL
    proposal.is_locked = False


def assign_mentor(
    *,
    run: MatchRun,
    mentee_id: int,
    mentor_id: int | None,
    swap_with: int | None = None,
    actor: User,
    language: str = "fr",
    request: HttpRequest | None = None,
) -> Proposal:
    """Give the mentee this mentor (None: leave the mentee unmatched).

    When the mentor is full (or its free places are reserved for a partnership the
    mentee is not part of), `swap_with` names one of the mentor's mentees, who takes this
    mentee's former mentor (or is left unmatched when that pair breaks a rule or would
    take a place reserved for another partnership)."""
    with transaction.atomic():
        run = _lock_run(run)
        proposal = _proposal(run, mentee_id)
        if proposal.is_locked:
            raise DomainError(_("This pair is locked; unlock it first."))
        former = proposal.mentor_id
        if mentor_id is None:
            _clear(proposal, "Retiré à la main", "Removed by hand")
            proposal.save()
            _set_notes(run, reservations.run_holdings(run), former)
            _count_again(run)
            _audit(run, actor, "matching.proposal.unassigned", proposal, request)
            return proposal
        if mentor_id == former:
            return proposal
        holdings = reservations.run_holdings(run)
        refusal = reservations.reserved_refusal(
            run=run, holdings=holdings, mentee_id=mentee_id, mentor_id=mentor_id
        )
        # Said before the rules are checked: a mentor whose places are all reserved
        # breaks a rule for any other mentee, and the coordinator must learn which.
        if refusal is not None and (swap_with is None or holdings[mentor_id].open == 0):
            raise DomainError(refusal)
        check = check_pair(run=run, mentee_id=mentee_id, mentor_id=mentor_id, language=language)
        other = _swap_partner(
            run=run,
            holdings=holdings,
            check=check,
            refusal=refusal,
            mentee_id=mentee_id,
            mentor_id=mentor_id,
            swap_with=swap_with,
        )
        proposal.mentor_id = mentor_id
        proposal.mentor_order = _mentor_order(run, mentor_id)
        proposal.score = check.score
        proposal.explanation = explanation_json(check.explanation.parts)
        proposal.reason = {}
        proposal.origin = ProposalOrigin.MANUAL
        if other is not None:
            # Free the place first, then give the other mentee the former mentor if allowed.
            _clear(other, "Échangé à la main", "Swapped by hand")
            other.save()
            proposal.save()
            if former is not None:
                _give_back(run, holdings, other, former, language)
            _set_notes(run, holdings, mentor_id, former)
            _count_again(run)
            _audit(
                run,
                actor,
                "matching.proposal.swapped",
                proposal,
                request,
                {"mentor": mentor_id, "former": former, "other_mentee": other.mentee_id},
            )
        else:
            proposal.save()
            _set_notes(run, holdings, mentor_id, former)
            _count_again(run)
            _audit(
                run,
                actor,
                "matching.proposal.assigned",
                proposal,
                request,
                {"mentor": mentor_id, "former": former, "score": check.score},
            )
    return proposal


def _swap_partner(
    *,
    run: MatchRun,
    holdings: dict[int, reservations.Holding],
    check: PairCheck,
    refusal: str | None,
    mentee_id: int,
    mentor_id: int,
    swap_with: int | None,
) -> Proposal | None:
    """The mentor's proposal that gives up its place when the mentor has none left for
    this mentee (None when it has one). A mentor whose free places are all reserved for a
    partnership this mentee is not part of counts as full (`refusal`: why, from
    `reservations.reserved_refusal`): a swap may still make room."""
    if check.free > 0 and refusal is None:
        return None
    if swap_with is None:
        raise DomainError(
            refusal or _("This mentor is full: choose one of their mentees to swap with.")
        )
    other = (
        Proposal.objects.select_for_update()
        .filter(run=run, mentee_id=swap_with, mentor_id=mentor_id)
        .first()
    )
    if other is None:
        raise DomainError(_("The mentee to swap with is not paired with this mentor."))
    if other.is_locked:
        raise DomainError(_("The pair to swap with is locked."))
    refusal = reservations.reserved_refusal(
        run=run,
        holdings=holdings,
        mentee_id=mentee_id,
        mentor_id=mentor_id,
        leaving=other.mentee_id,
    )
    if refusal is not None:
        raise DomainError(refusal)
    return other


def _mentor_order(run: MatchRun, mentor_id: int) -> int | None:
    """The sort key of the mentor's name in the proposals table (runs that write them)."""
    return figures.mentor_order(run, mentor_id) if figures.has_sort_keys(run) else None


def _count_again(run: MatchRun) -> None:
    """Keep the summary's stored counts true after a change by hand (runs that store
    them; the others are counted on each view)."""
    if figures.stored(run) is not None:
        figures.store(run)


def _give_back(
    run: MatchRun,
    holdings: dict[int, reservations.Holding],
    other: Proposal,
    former: int,
    language: str,
) -> None:
    """In a swap, give the mentee who gave up her place the other's former mentor, unless
    a rule or a reserved place forbids it (she is then left unmatched)."""
    try:
        back = check_pair(run=run, mentee_id=other.mentee_id, mentor_id=former, language=language)
    except DomainError:
        return
    if reservations.reserved_refusal(
        run=run, holdings=holdings, mentee_id=other.mentee_id, mentor_id=former
    ):
        return
    other.mentor_id = former
    other.mentor_order = _mentor_order(run, former)
    other.score = back.score
    other.explanation = explanation_json(back.explanation.parts)
    other.reason = {}
    other.save()


def _set_notes(
    run: MatchRun, holdings: dict[int, reservations.Holding], *mentor_ids: int | None
) -> None:
    """Set again, on the proposals of these mentors, which mentees hold a reserved place
    (the note without points the engine writes), so that the review page, the summary
    and the export agree after a change by hand."""
    for mentor_id in {m for m in mentor_ids if m is not None and m in holdings}:
        holding = holdings[mentor_id]
        rows = list(
            Proposal.objects.select_for_update()
            .filter(run=run, mentor_id=mentor_id)
            .select_related("mentee")
        )
        held = reservations.holders(
            holding, [(p.mentee_id, p.mentee.organization_id) for p in rows]
        )
        for proposal in rows:
            parts = [
                part
                for part in proposal.explanation or []
                if part.get("code") != reservations.NOTE_CODE
            ]
            if proposal.mentee_id in held:
                parts.append(reservations.note(holding))
            if parts != proposal.explanation:
                proposal.explanation = parts
                proposal.save(update_fields=["explanation"])


def set_locked(
    *,
    run: MatchRun,
    mentee_id: int,
    locked: bool,
    actor: User,
    request: HttpRequest | None = None,
) -> Proposal:
    """Lock a pair: a re-run keeps it as it is."""
    with transaction.atomic():
        run = _lock_run(run)
        proposal = _proposal(run, mentee_id)
        if locked and proposal.mentor_id is None:
            raise DomainError(_("Only a pair can be locked."))
        proposal.is_locked = locked
        proposal.save(update_fields=["is_locked"])
        _audit(
            run,
            actor,
            "matching.proposal.locked" if locked else "matching.proposal.unlocked",
            proposal,
            request,
        )
    return proposal


def exclude_pair(
    *,
    run: MatchRun,
    mentee_id: int,
    mentor_id: int,
    note: str = "",
    actor: User,
    request: HttpRequest | None = None,
) -> PairExclusion:
    """Never propose this pair again in the edition; if it is the current proposal, the
    mentee is left unmatched until the next re-run."""
    with transaction.atomic():
        run = _lock_run(run)
        proposal = _proposal(run, mentee_id)

        if not Application.objects.filter(
            pk=mentor_id, edition_id=run.edition_id, role="mentor"
        ).exists():
            raise DomainError(_("This mentor is not part of the edition."))
        exclusion, _created = PairExclusion.objects.get_or_create(
            edition_id=run.edition_id,
            mentee_id=mentee_id,
            mentor_id=mentor_id,
            defaults={"kind": ExclusionKind.EXCLUDED, "note": note[:300], "created_by": actor},
        )
        if proposal.mentor_id == mentor_id:
            _clear(proposal, "Paire exclue par la coordination", "Pair excluded by the coordinator")
            proposal.save()
            _set_notes(run, reservations.run_holdings(run), mentor_id)
            _count_again(run)
        _audit(run, actor, "matching.pair.excluded", proposal, request, {"mentor": mentor_id})
    return exclusion


def rerun(*, run: MatchRun, actor: User, request: HttpRequest | None = None) -> MatchRun:
    """A new run with the same parameters, keeping the locked pairs of `run`."""
    if run.status != RunStatus.SUCCEEDED:
        raise DomainError(_("Only a run waiting for review can be re-run."))
    new_run, _created = start_run(
        edition=run.edition,
        parameters=RunParameters.from_json(run.parameters),
        actor=actor,
        base_run=run,
        request=request,
    )
    return new_run


def _audit(
    run: MatchRun,
    actor: User,
    action: str,
    proposal: Proposal,
    request: HttpRequest | None,
    data: dict[str, object] | None = None,
) -> None:
    record(
        action=action,
        actor=actor,
        organization=run.edition.program.organization,
        target=run,
        data={"mentee": proposal.mentee_id, **(data or {})},
        request=request,
    )
