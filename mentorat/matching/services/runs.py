"""Starting, executing, retrying and failing matching runs.

A run goes queued → running → succeeded (or failed). The task writes every proposal in
one transaction at the very end, so a run that fails — or whose worker is killed —
leaves none; a run that has shown no sign of life for `MATCHING_RUN_STALE_SECONDS` is
shown failed at once (`selectors.stale_reason`, pages write nothing), recorded failed by
the workers' recovery sweep, `manage.py matching_requests` or a retry, and can be
retried."""

import hashlib
import json
import logging
import threading
import time
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from matching_engine import Result, solve
from mentorat.accounts.models import User
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.audit.services import record
from mentorat.lib.errors import DomainError
from mentorat.matching import inputs as run_inputs
from mentorat.matching import pairs
from mentorat.matching.models import (
    ACTIVE_STATUSES,
    MatchRun,
    MentorCapacity,
    PairExclusion,
    PlaceReservation,
    Proposal,
    ProposalOrigin,
    RunPhase,
    RunStatus,
)
from mentorat.matching.parameters import RunParameters
from mentorat.matching.selectors import stale_reason
from mentorat.matching.tasks import execute_match_run
from mentorat.participants.models import Profile
from mentorat.programs.models import Edition

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 5


# Starting -----------------------------------------------------------------------------------


def run_fingerprint(
    *, edition: Edition, parameters: RunParameters, locked: list[tuple[int, int]]
) -> str:
    """Digest of what a run would read: parameters, locked pairs, exclusions, active pairs
    and the content of every accepted application the engine reads — profile fields
    (`inputs._PROFILE_FIELDS`, so a field the engine starts reading counts at once),
    skills offered and wanted, and mentor capacities.

    Content rather than `updated_at`: editing skills (a many-to-many) or a bulk update
    does not touch a profile's timestamp, yet changes the proposals."""
    digest = hashlib.sha256()

    def feed(label: str, rows: Any) -> None:
        digest.update(label.encode())
        for row in rows:
            digest.update(repr(row).encode())

    applications = Application.objects.filter(edition=edition, status=ApplicationStatus.ACCEPTED)
    feed(
        "applications",
        applications.order_by("pk").values_list("role", *run_inputs._PROFILE_FIELDS).iterator(),
    )
    for name in ("skills_offered", "skills_wanted"):
        through = getattr(Profile, name).through
        feed(
            name,
            through.objects.filter(profile__user__applications__in=applications)
            .order_by("profile_id", "skill__name")
            .values_list("profile_id", "skill__name")
            .iterator(),
        )
    feed(
        "capacities",
        MentorCapacity.objects.filter(application__in=applications)
        .order_by("application_id")
        .values_list("application_id", "capacity"),
    )
    exclusions = sorted(
        PairExclusion.objects.filter(edition=edition).values_list("mentee_id", "mentor_id", "kind")
    )
    active, _load = pairs.active_load(edition=edition)
    required, checked = run_inputs.safeguarding_state(edition=edition)
    payload = {
        "edition": edition.pk,
        "parameters": parameters.to_json(),
        "locked": sorted(locked),
        "exclusions": exclusions,
        "active": sorted(active),
        "ended": sorted(pairs.ended_pairs(edition=edition)),
        # The protection of minors: the program's rule and whose checks count today.
        "safeguarding": [required, sorted(checked)],
        # Who completed the required training (None: the rule is off).
        "training": (
            None
            if (trained := run_inputs.training_state(edition=edition, parameters=parameters))
            is None
            else sorted(trained)
        ),
        # Places reserved for partners' mentees.
        "reservations": sorted(
            PlaceReservation.objects.filter(edition=edition).values_list(
                "partnership_id", "mentor_organization_id", "places"
            )
        ),
    }
    digest.update(json.dumps(payload, sort_keys=True).encode())
    return digest.hexdigest()


def _locked_pairs(base_run: MatchRun | None) -> list[tuple[int, int]]:
    if base_run is None:
        return []
    return [
        (mentee, mentor)
        for mentee, mentor in base_run.proposals.filter(
            is_locked=True, mentor__isnull=False
        ).values_list("mentee_id", "mentor_id")
        if mentor is not None
    ]


def start_run(
    *,
    edition: Edition,
    parameters: RunParameters,
    actor: User,
    base_run: MatchRun | None = None,
    request: HttpRequest | None = None,
) -> tuple[MatchRun, bool]:
    """Queue a run; returns (run, created).

    Starting while another run of the edition is queued or running returns that run;
    starting with exactly the same inputs and parameters as a run waiting for review
    returns that run. Both are checked under a lock on the edition row (and a unique
    constraint), so two clicks never create two runs."""
    parameters.check()
    expire_stale_runs(edition=edition)
    locked = _locked_pairs(base_run)
    fingerprint = run_fingerprint(edition=edition, parameters=parameters, locked=locked)
    with transaction.atomic():
        Edition.objects.select_for_update().get(pk=edition.pk)
        runs = MatchRun.objects.filter(edition=edition)
        existing = runs.filter(status__in=ACTIVE_STATUSES).first()
        if existing is None:
            existing = runs.filter(status=RunStatus.SUCCEEDED, fingerprint=fingerprint).first()
        if existing is not None:
            return existing, False
        number = (runs.aggregate(n=Max("number"))["n"] or 0) + 1
        try:
            with transaction.atomic():
                run = MatchRun.objects.create(
                    edition=edition,
                    number=number,
                    mode=parameters.mode,
                    parameters=parameters.to_json() | {"locked": locked},
                    fingerprint=fingerprint,
                    base_run=base_run,
                    started_by=actor,
                )
        except IntegrityError:
            # Another request queued a run between our check and our insert.
            return runs.filter(status__in=ACTIVE_STATUSES).get(), False
        record(
            action="matching.run.started",
            actor=actor,
            organization=edition.program.organization,
            target=run,
            data={"mode": parameters.mode, "base_run": base_run.pk if base_run else None},
            request=request,
        )
        _enqueue(run)
    return run, True


def _enqueue(run: MatchRun) -> None:
    def send() -> None:
        result = execute_match_run.enqueue(run.pk)
        MatchRun.objects.filter(pk=run.pk, task_id="").update(task_id=str(result.id)[:64])

    transaction.on_commit(send)


def retry_run(*, run: MatchRun, actor: User, request: HttpRequest | None = None) -> MatchRun:
    """Queue a failed run again, with the same parameters. A run whose worker died
    (shown failed before the sweep records it) is recorded failed first."""
    expire_stale_runs(edition=run.edition)
    with transaction.atomic():
        run = MatchRun.objects.select_for_update().get(pk=run.pk)
        if run.status != RunStatus.FAILED:
            raise DomainError(_("Only a failed run can be retried."))
        if MatchRun.objects.filter(edition_id=run.edition_id, status__in=ACTIVE_STATUSES).exists():
            raise DomainError(_("Another run of this edition is in progress; wait for its end."))
        run.status = RunStatus.QUEUED
        run.phase = RunPhase.WAITING
        run.error = ""
        run.task_id = ""
        run.heartbeat_at = None
        run.save(update_fields=["status", "phase", "error", "task_id", "heartbeat_at"])
        record(
            action="matching.run.retried",
            actor=actor,
            organization=run.edition.program.organization,
            target=run,
            request=request,
        )
        _enqueue(run)
    return run


# Stale runs ---------------------------------------------------------------------------------


def expire_stale_runs(*, edition: Edition | None = None) -> int:
    """Mark failed the runs whose worker stopped (`selectors.stale_reason`: running
    without a heartbeat for `stale_after()`, or queued whose task already ended). Run by
    the worker before each run and at each of its heartbeats, by
    `manage.py matching_requests`, and before a run is started or retried; never by a
    page display. Returns how many."""
    runs = MatchRun.objects.filter(status__in=ACTIVE_STATUSES)
    if edition is not None:
        runs = runs.filter(edition=edition)
    return sum(_fail_if_stale(run_id) for run_id in runs.values_list("pk", flat=True))


def _fail_if_stale(run_id: int) -> int:
    with transaction.atomic():
        run = MatchRun.objects.select_for_update().filter(pk=run_id).first()
        # Checked under the lock: the worker may have beaten since the list was read.
        reason = stale_reason(run) if run is not None else None
        return _fail(run_id, reason) if reason is not None else 0


def _fail(run_id: int, message: str) -> int:
    with transaction.atomic():
        run = MatchRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status not in ACTIVE_STATUSES:
            return 0
        # A crash can only have left proposals if it happened after the final commit,
        # which sets the status; delete defensively anyway.
        run.proposals.all().delete()
        run.status = RunStatus.FAILED
        run.error = message
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        record(
            action="matching.run.failed",
            organization=run.edition.program.organization,
            target=run,
            data={"error": message},
        )
    return 1


# Executing ----------------------------------------------------------------------------------


class _Heartbeat:
    """Writes `heartbeat_at` every few seconds from a thread while the engine computes,
    so that a killed worker is recognisable by its silence."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._beat, daemon=True)

    def __enter__(self) -> "_Heartbeat":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop_event.set()
        if self.thread.is_alive():
            self.thread.join(timeout=HEARTBEAT_SECONDS * 2)

    def _beat(self) -> None:
        try:
            while not self.stop_event.wait(HEARTBEAT_SECONDS):
                MatchRun.objects.filter(pk=self.run_id, status=RunStatus.RUNNING).update(
                    heartbeat_at=timezone.now()
                )
        finally:
            connection.close()


def _claim(run_id: int) -> MatchRun | None:
    with transaction.atomic():
        run = (
            MatchRun.objects.select_for_update(of=("self",))
            .select_related("edition", "edition__program", "edition__program__organization")
            .filter(pk=run_id)
            .first()
        )
        if run is None or run.status != RunStatus.QUEUED:
            return None  # already taken by another worker, finished or removed
        now = timezone.now()
        run.status = RunStatus.RUNNING
        run.started_at = run.heartbeat_at = now
        run.attempts += 1
        run.phase = RunPhase.READING
        run.save(update_fields=["status", "started_at", "heartbeat_at", "attempts", "phase"])
    return run


def _phase(run: MatchRun, phase: RunPhase) -> None:
    run.phase = phase
    MatchRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
        phase=phase, heartbeat_at=timezone.now()
    )


def execute_run(*, run_id: int) -> None:
    """Body of the background task: read, solve, explain, then save everything at once.
    Safe to call twice: only a queued run is executed."""
    expire_stale_runs()
    run = _claim(run_id)
    if run is None:
        return
    started = time.perf_counter()
    timings: dict[str, float] = {}
    try:
        with _Heartbeat(run.pk):
            clock = time.perf_counter()
            parameters = RunParameters.from_json(run.parameters)
            locked = [(int(a), int(b)) for a, b in run.parameters.get("locked", [])]
            data = run_inputs.load_inputs(edition=run.edition, parameters=parameters, locked=locked)
            problem = run_inputs.build(data, parameters)
            timings["read"], clock = time.perf_counter() - clock, time.perf_counter()
            _phase(run, RunPhase.SOLVING)
            result = solve(problem, "stable" if parameters.mode == "stable" else "optimal")
            timings["solve"], clock = time.perf_counter() - clock, time.perf_counter()
            _phase(run, RunPhase.EXPLAINING)
            proposals = _proposals(run, data, result)
            timings["explain"] = time.perf_counter() - clock
            _phase(run, RunPhase.SAVING)
            # What the run could offer: mentors with a free place once existing pairs
            # are counted (the summary must not count places taken before the run).
            offer = {
                "mentors": len(data.mentors),
                "places": sum(int(row["capacity"]) for row in data.mentors),
            }
            _save(run, proposals, result, started, timings, offer)
    except DomainError as error:
        _fail(run.pk, error.message)
    except Exception:
        logger.exception("Matching run %s failed", run.pk)
        _fail(run.pk, _("Unexpected error in the matching; the team has been told."))


def _proposals(run: MatchRun, data: run_inputs.Inputs, result: Result) -> list[Proposal]:
    locked = set(data.locked)
    out = []
    for i, row in enumerate(data.mentees):
        j = int(result.assignment[i])
        mentee_id = int(row["id"])
        if j < 0:
            reason = result.reasons.get(i)
            out.append(
                Proposal(
                    run=run,
                    mentee_id=mentee_id,
                    reason={"code": reason.code, "fr": reason.fr, "en": reason.en}
                    if reason
                    else {},
                )
            )
            continue
        mentor_id = data.mentors[j]["id"]
        is_locked = (row["id"], mentor_id) in locked
        out.append(
            Proposal(
                run=run,
                mentee_id=mentee_id,
                mentor_id=int(mentor_id),
                score=float(result.score[i]),
                explanation=explanation_json(result.explanation(i).parts),
                origin=ProposalOrigin.LOCKED if is_locked else ProposalOrigin.ENGINE,
                is_locked=is_locked,
            )
        )
    return out


def explanation_json(parts: Any) -> list[dict[str, Any]]:
    return [{"code": p.code, "points": p.points, "fr": p.fr, "en": p.en} for p in parts]


def _save(
    run: MatchRun,
    proposals: list[Proposal],
    result: Result,
    started: float,
    timings: dict[str, float],
    offer: dict[str, int],
) -> None:
    summary = result.summary
    with transaction.atomic():
        current = MatchRun.objects.select_for_update().get(pk=run.pk)
        if current.status != RunStatus.RUNNING:
            return  # declared dead meanwhile: its retry will redo the work
        current.proposals.all().delete()
        clock = time.perf_counter()
        Proposal.objects.bulk_create(proposals, batch_size=2000)
        timings["save"] = time.perf_counter() - clock
        current.status = RunStatus.SUCCEEDED
        current.phase = RunPhase.WAITING
        current.finished_at = timezone.now()
        current.duration_seconds = round(time.perf_counter() - started, 3)
        current.summary = {
            "eligible": summary.mentees,
            "matched": summary.matched,
            "mean_score": summary.mean_score,
            "engine_seconds": summary.seconds,
            "proven_optimal": summary.score_bound is not None,
            # National-scale runs stop once prices prove the score within 0.5 % of the best.
            "proven_percent": (
                None if summary.proven_ratio is None else round(100 * summary.proven_ratio, 2)
            ),
            "timings": {k: round(v, 3) for k, v in timings.items()},
            "mentors": offer["mentors"],
            "places": offer["places"],
            "priority_total": summary.priority_total,
            "priority_matched": summary.priority_matched,
            "parity": [
                {"group": p.group, "target": p.target, "size": p.size, "matched": p.matched}
                for p in result.parity
            ],
            # Places reserved for partners' mentees: reserved, filled (the rest left empty).
            "reserved": [
                {
                    "partnership": r.partnership,
                    "places": r.places,
                    "filled": r.filled,
                    "empty": r.empty,
                }
                for r in summary.reserved
            ],
        }
        current.save(
            update_fields=["status", "phase", "finished_at", "duration_seconds", "summary"]
        )
        record(
            action="matching.run.finished",
            organization=run.edition.program.organization,
            target=current,
            data={"matched": summary.matched, "eligible": summary.mentees},
        )
