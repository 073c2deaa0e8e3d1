"""Writes of speed networking: ask for a plan (queued, computed in the background by
`tasks.plan_evening`), compute it (`execute_plan`, the task's body), and adjust it by hand
before the evening (swap two mentees of a round, lock a seat so that re-planning keeps it).
Every write runs in a transaction and leaves an audit entry."""

import logging
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from matching_engine import EngineInputError, explain_pair
from matching_engine.explain import explanation_texts
from matching_engine.rounds import RoundsPlan, Seat, plan_rounds, score_matrix
from mentorat.accounts.models import User
from mentorat.audit.services import record
from mentorat.events.models import Event, EventKind
from mentorat.lib.errors import DomainError
from mentorat.networking.inputs import Evening, load_evening
from mentorat.networking.models import (
    MAX_ROUNDS,
    MAX_TABLE_SIZE,
    NetworkingPlan,
    NetworkingSeat,
    PlanStatus,
)
from mentorat.networking.tasks import plan_evening

logger = logging.getLogger(__name__)


def request_plan(
    *,
    actor: User,
    event: Event,
    rounds: int,
    table_size: int,
    favour_fewest: bool,
    left_out: Collection[int] = (),
    request: HttpRequest | None = None,
) -> NetworkingPlan:
    """Save the evening's settings and queue its planning; locked seats are kept. Only a
    job-dating / speed-networking event has rounds. `left_out`: registered people the
    organisers keep out of the rounds (user ids)."""
    if event.kind != EventKind.JOB_DATING:
        raise DomainError(_("Only a job-dating / speed-networking event is planned in rounds."))
    if not (1 <= rounds <= MAX_ROUNDS and 1 <= table_size <= MAX_TABLE_SIZE):
        raise DomainError(_("Choose 1 to 20 rounds and 1 to 10 mentees per table."))
    with transaction.atomic():
        plan, _created = NetworkingPlan.objects.select_for_update().get_or_create(event=event)
        plan.rounds, plan.table_size, plan.favour_fewest = rounds, table_size, favour_fewest
        plan.left_out = sorted(set(left_out))
        return _queue(plan, actor=actor, request=request)


def replan(*, actor: User, plan: NetworkingPlan, request: HttpRequest | None = None) -> None:
    """Plan again with the same settings, around the locked seats."""
    with transaction.atomic():
        locked = NetworkingPlan.objects.select_for_update().get(pk=plan.pk)
        _queue(locked, actor=actor, request=request)


def _queue(plan: NetworkingPlan, *, actor: User, request: HttpRequest | None) -> NetworkingPlan:
    plan.generation += 1
    plan.status = PlanStatus.QUEUED
    plan.error = ""
    plan.requested_at = timezone.now()
    plan.requested_by = actor
    plan.save()
    record(
        action="networking.plan.requested",
        actor=actor,
        organization=plan.event.organization,
        target=plan.event,
        data={"rounds": plan.rounds, "table_size": plan.table_size},
        request=request,
    )
    pk, generation = plan.pk, plan.generation
    transaction.on_commit(lambda: plan_evening.enqueue(pk, generation))
    return plan


@dataclass(frozen=True)
class _Computed:
    plan: RoundsPlan
    evening: Evening
    fr: list[str]
    en: list[str]
    scores: list[float]


def _locks(plan: NetworkingPlan, evening: Evening, scores: np.ndarray) -> list[Seat]:
    """The locked seats that still make sense: both people still registered, the pair
    still allowed, the round still in the evening; the first one wins a conflict."""
    row = {u: i for i, u in enumerate(evening.mentee_users)}
    col = {u: j for j, u in enumerate(evening.professional_users)}
    kept: list[Seat] = []
    busy: set[tuple[int, int]] = set()
    pairs: set[tuple[int, int]] = set()
    tables: dict[tuple[int, int], int] = {}
    for seat in plan.seats.filter(locked=True).order_by("pk"):
        i, j, r = row.get(seat.mentee_id), col.get(seat.professional_id), seat.round - 1
        if i is None or j is None or r >= plan.rounds or not np.isfinite(scores[i, j]):
            continue
        if (i, r) in busy or (i, j) in pairs or tables.get((j, r), 0) >= plan.table_size:
            continue
        busy.add((i, r))
        pairs.add((i, j))
        tables[(j, r)] = tables.get((j, r), 0) + 1
        kept.append(Seat(i, j, r))
    return kept


def _compute(plan: NetworkingPlan) -> _Computed:
    evening = load_evening(plan.event, left_out=plan.left_out)
    scores = score_matrix(evening.problem)
    try:
        result = plan_rounds(
            scores, rounds=plan.rounds, table_size=plan.table_size,
            met_before=evening.met_before, locked=_locks(plan, evening, scores),
            favour_fewest=plan.favour_fewest, met_counts=evening.met_counts,
        )  # fmt: skip
    except EngineInputError:
        raise DomainError(_("The locked seats cannot all be kept: unlock some.")) from None
    si = np.asarray([s.mentee for s in result.seats], np.int64)
    sj = np.asarray([s.professional for s in result.seats], np.int64)
    p = evening.problem
    fr = explanation_texts(p, si, sj, "fr") if len(si) else []
    en = explanation_texts(p, si, sj, "en") if len(si) else []
    return _Computed(result, evening, fr, en, [float(x) for x in scores[si, sj]])


def execute_plan(*, plan_id: int, generation: int) -> None:
    """The task's body: compute the plan of `generation` and replace the seats with it.
    Does nothing when a newer generation was asked for or the plan is done; run twice, it
    writes the same seats (the engine's result depends only on its input)."""
    with transaction.atomic():
        plan = NetworkingPlan.objects.select_for_update().filter(pk=plan_id).first()
        if plan is None or plan.generation != generation:
            return
        if plan.status not in (PlanStatus.QUEUED, PlanStatus.RUNNING):
            return
        plan.status = PlanStatus.RUNNING
        plan.save(update_fields=["status"])
    try:
        computed = _compute(plan)
    except DomainError as error:
        _fail(plan_id, generation, error.message)
        return
    except Exception:
        logger.exception("speed-networking plan %s failed", plan_id)
        _fail(plan_id, generation, _("The plan could not be computed."))
        raise
    _store(plan_id, generation, computed)


def _fail(plan_id: int, generation: int, message: str) -> None:
    NetworkingPlan.objects.filter(pk=plan_id, generation=generation).update(
        status=PlanStatus.FAILED, error=message, finished_at=timezone.now()
    )


def _store(plan_id: int, generation: int, computed: _Computed) -> None:
    result, evening = computed.plan, computed.evening
    with transaction.atomic():
        plan = NetworkingPlan.objects.select_for_update().filter(pk=plan_id).first()
        if plan is None or plan.generation != generation:
            return
        locked = {
            (s.mentee_id, s.professional_id, s.round)
            for s in plan.seats.filter(locked=True).only("mentee", "professional", "round")
        }
        scores = computed.scores
        seats = []
        for k, s in enumerate(result.seats):
            mentee = evening.mentee_users[s.mentee]
            professional = evening.professional_users[s.professional]
            seats.append(
                NetworkingSeat(
                    plan=plan,
                    round=s.round + 1,
                    table=s.professional + 1,
                    professional_id=professional,
                    mentee_id=mentee,
                    score=scores[k],
                    explanation_fr=computed.fr[k],
                    explanation_en=computed.en[k],
                    locked=(mentee, professional, s.round + 1) in locked,
                )
            )
        plan.seats.all().delete()
        NetworkingSeat.objects.bulk_create(seats)
        plan.status = PlanStatus.READY
        plan.meetings = result.meetings
        plan.total_score = result.total_score
        plan.proven_optimal = result.proven_optimal
        plan.finished_at = timezone.now()
        plan.save()


def swap_mentees(
    *,
    actor: User,
    plan: NetworkingPlan,
    first: NetworkingSeat,
    second: NetworkingSeat,
    request: HttpRequest | None = None,
) -> None:
    """Exchange the tables of two mentees of one round. Refused when a seat is locked,
    when either would meet the same professional twice or a pair the rules forbid."""
    if first.plan_id != plan.pk or second.plan_id != plan.pk or first.pk == second.pk:
        raise DomainError(_("Choose two seats of this plan."))
    if first.round != second.round:
        raise DomainError(_("Only two mentees of the same round can swap tables."))
    if first.locked or second.locked:
        raise DomainError(_("A locked seat cannot be moved: unlock it first."))
    if first.professional_id == second.professional_id:
        raise DomainError(_("These two mentees are already at the same table."))
    seats = plan.seats.exclude(pk__in=[first.pk, second.pk])
    if seats.filter(mentee_id=first.mentee_id, professional_id=second.professional_id).exists() or (
        seats.filter(mentee_id=second.mentee_id, professional_id=first.professional_id).exists()
    ):
        raise DomainError(_("After this swap, a mentee would meet the same professional twice."))
    evening = load_evening(plan.event, left_out=plan.left_out)
    row = {u: i for i, u in enumerate(evening.mentee_users)}
    col = {u: j for j, u in enumerate(evening.professional_users)}
    scores = score_matrix(evening.problem)
    new = [
        (first, second.professional_id, second.table),
        (second, first.professional_id, first.table),
    ]
    for seat, professional, _table in new:
        i, j = row.get(seat.mentee_id), col.get(professional)
        if i is None or j is None or not np.isfinite(scores[i, j]) or evening.met_before[i, j]:
            raise DomainError(_("The matching rules forbid one of the new pairs."))
    with transaction.atomic():
        NetworkingPlan.objects.select_for_update().get(pk=plan.pk)
        for seat, professional, table in new:
            i, j = row[seat.mentee_id], col[professional]
            why = explain_pair(evening.problem, i, j)
            seat.professional_id, seat.table = professional, table
            seat.score = float(scores[i, j])
            seat.explanation_fr, seat.explanation_en = why.text("fr"), why.text("en")
        first.save()
        second.save()
        record(
            action="networking.seat.swapped",
            actor=actor,
            organization=plan.event.organization,
            target=plan.event,
            data={"round": first.round, "seats": [first.pk, second.pk]},
            request=request,
        )


def set_locked(
    *, actor: User, seat: NetworkingSeat, locked: bool, request: HttpRequest | None = None
) -> None:
    """Lock a seat (planning again keeps it) or unlock it."""
    with transaction.atomic():
        seat.locked = locked
        seat.save(update_fields=["locked"])
        record(
            action="networking.seat.locked" if locked else "networking.seat.unlocked",
            actor=actor,
            organization=seat.plan.event.organization,
            target=seat.plan.event,
            data={"seat": seat.pk, "round": seat.round, "table": seat.table},
            request=request,
        )
