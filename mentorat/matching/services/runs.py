"""Starting, executing, retrying and failing matching runs.

A run goes queued → running → succeeded (or failed). The task writes every proposal in
one transaction at the very end, so a run that fails — or whose worker is killed —
leaves none; a run that has shown no sign of life for `MATCHING_RUN_STALE_SECONDS` is
shown failed at once (`selectors.stale_reason`, pages write nothing), recorded failed by
the workers' recovery sweep, `manage.py matching_requests` or a retry, and can be
retried."""

import gc
import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from matching_engine import Result, solve
from matching_engine.progress import note_text
from mentorat.accounts.models import User
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.audit.services import record
from mentorat.lib.errors import DomainError
from mentorat.matching import figures, pairs, run_explanations
from mentorat.matching import inputs as run_inputs
from mentorat.matching.models import (
    ACTIVE_STATUSES,
    MatchRun,
    MentorCapacity,
    PairExclusion,
    PlaceReservation,
    Proposal,
    ProposalOrigin,
    RunMentor,
    RunPhase,
    RunStatus,
)
from mentorat.matching.parameters import RunParameters
from mentorat.matching.selectors import stale_reason
from mentorat.matching.tasks import execute_match_run
from mentorat.participants.models import Profile
from mentorat.programs.models import Edition, ParticipantRole

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 5


# Starting -----------------------------------------------------------------------------------


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused for the block. Reading a national edition
    builds millions of small objects (rows, their lists) that each full collection walks
    again: at 200,000 × 100,000, 15 s of CPU reading with it, 5–6 s without (the inputs'
    fingerprint: 3 s, 2 s). They hold no cycles, so reference counting frees them as
    before; the collector resumes after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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

    def feed(label: str, query: Any) -> None:
        # The rows as the driver gives them (JSON as text), a chunk at a time: the
        # digest only needs to change when the content does, on the same database.
        digest.update(label.encode())
        for chunk in run_inputs.raw_rows(query):
            digest.update(repr(chunk).encode())

    applications = Application.objects.filter(edition=edition, status=ApplicationStatus.ACCEPTED)
    feed(
        "applications",
        applications.order_by("pk").values_list("role", *run_inputs._PROFILE_FIELDS),
    )
    for name in ("skills_offered", "skills_wanted"):
        through = getattr(Profile, name).through
        feed(
            name,
            through.objects.filter(profile__user__applications__in=applications)
            .order_by("profile_id", "skill__name")
            .values_list("profile_id", "skill__name"),
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
    with collector_paused():
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

#: Least time between two writes of a run's progress (a new step is written at once).
PROGRESS_SECONDS = 1.0

#: The app's steps for the engine's stage names (`matching_engine.progress`).
_STAGE_PHASES = {
    "reading": RunPhase.READING,
    "encoding": RunPhase.READING,
    "solving": RunPhase.SOLVING,
    "explaining": RunPhase.EXPLAINING,
    "writing": RunPhase.SAVING,
}


class RunProgress:
    """The engine's `Progress` written on the run's row, so that every web process shows
    the step, the units done out of the step's size and a note: a new step is written at
    once, the rest at most once per `interval` seconds; each write is a heartbeat too.

    Only the thread that created it writes (the one running the run, outside the final
    transaction); calls from other threads only update what the next write sends."""

    def __init__(
        self,
        run_id: int,
        *,
        interval: float = PROGRESS_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.run_id = run_id
        self.interval = interval
        self.clock = clock
        self.phase = RunPhase.READING
        self.done = 0
        self.total: int | None = None
        self.text = ""
        self.text_fr = ""
        self.writes = 0
        self._written_at: float | None = None
        self._owner = threading.get_ident()

    def stage(self, name: str, total: int | None = None) -> None:
        """A new stage; a new step of the run's page is written at once."""
        phase = _STAGE_PHASES.get(name, self.phase)
        changed = phase != self.phase
        self.phase, self.done, self.total = phase, 0, total
        self.text = self.text_fr = ""
        self._write(now=changed)

    def advance(self, done: int) -> None:
        """`done` units of the stage are finished."""
        self.done = max(int(done), 0)
        self._write()

    def note(self, text: str) -> None:
        """A short fact shown under the bar (the engine's rounds and bound)."""
        self.text = str(text)[:200]
        self.text_fr = note_text(text, "fr")[:200]
        self._write()

    def _write(self, *, now: bool = False) -> None:
        if threading.get_ident() != self._owner:
            return
        clock = self.clock()
        if not now and self._written_at is not None and clock - self._written_at < self.interval:
            return
        self._written_at = clock
        self.writes += 1
        MatchRun.objects.filter(pk=self.run_id, status=RunStatus.RUNNING).update(
            phase=self.phase,
            progress_done=min(self.done, 2**31 - 1),
            progress_total=self.total,
            progress_note=self.text,
            progress_note_fr=self.text_fr,
            heartbeat_at=timezone.now(),
        )


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
        run.progress_done, run.progress_total = 0, None
        run.progress_note = run.progress_note_fr = ""
        run.save(
            update_fields=[
                "status",
                "started_at",
                "heartbeat_at",
                "attempts",
                "phase",
                "progress_done",
                "progress_total",
                "progress_note",
                "progress_note_fr",
            ]
        )
    return run


def execute_run(*, run_id: int) -> None:
    """Body of the background task: read, solve, explain, then save everything at once.
    Safe to call twice: only a queued run is executed."""
    expire_stale_runs()
    run = _claim(run_id)
    if run is None:
        return
    started = time.perf_counter()
    timings: dict[str, float] = {}
    progress = RunProgress(run.pk)
    try:
        with _Heartbeat(run.pk):
            clock = time.perf_counter()
            parameters = RunParameters.from_json(run.parameters)
            locked = [(int(a), int(b)) for a, b in run.parameters.get("locked", [])]
            progress.stage("reading")
            with collector_paused():
                data = run_inputs.load_inputs(
                    edition=run.edition,
                    parameters=parameters,
                    locked=locked,
                    with_mentor_keys=True,
                )
                progress.stage("encoding", total=len(data.mentees) + len(data.mentors))
                problem = run_inputs.build(data, parameters)
            timings["read"], clock = time.perf_counter() - clock, time.perf_counter()
            progress.stage("solving")
            result = solve(
                problem, "stable" if parameters.mode == "stable" else "optimal", progress=progress
            )
            timings["solve"], clock = time.perf_counter() - clock, time.perf_counter()
            progress.stage("explaining", total=len(data.mentees))
            proposals = _proposals(run, data, result)
            timings["explain"] = time.perf_counter() - clock
            progress.stage("writing", total=len(data.mentees))
            # What the run could offer: mentors with a free place once existing pairs
            # are counted (the summary must not count places taken before the run).
            offer = {
                "mentors": len(data.mentors),
                "places": sum(int(row["capacity"]) for row in data.mentors),
            }
            _save(run, proposals, result, started, timings, offer, data.mentor_keys)
    except DomainError as error:
        _fail(run.pk, error.message)
    except Exception:
        logger.exception("Matching run %s failed", run.pk)
        _fail(run.pk, _("Unexpected error in the matching; the team has been told."))


@dataclass
class ProposalRows:
    """A run's proposals, column by column (one entry per eligible mentee, in the order
    the run read them): what `_save` writes in one statement."""

    mentee: list[int] = field(default_factory=list)
    mentor: list[int | None] = field(default_factory=list)
    score: list[float | None] = field(default_factory=list)
    #: index into `explanations.of_pair` (matched mentees), else None
    pair: list[int | None] = field(default_factory=list)
    reason: list[dict[str, str]] = field(default_factory=list)
    locked: list[bool] = field(default_factory=list)
    #: the mentee's organisation id
    organization: list[int | None] = field(default_factory=list)
    #: sort keys of the proposals table (`_sort_keys`)
    mentee_order: list[int | None] = field(default_factory=list)
    mentor_order: list[int | None] = field(default_factory=list)
    organization_order: list[int | None] = field(default_factory=list)
    explanations: run_explanations.Explanations = field(
        default_factory=lambda: run_explanations.Explanations([], [])
    )

    def __len__(self) -> int:
        return len(self.mentee)


def _proposals(run: MatchRun, data: run_inputs.Inputs, result: Result) -> ProposalRows:
    """Every eligible mentee's proposal: the mentor and the explanation of the pair, or
    the reason the mentee is left unmatched (explanations built in bulk)."""
    locked = set(data.locked)
    assignment = np.asarray(result.assignment, np.int64)
    matched = np.flatnonzero(assignment >= 0)
    rows = ProposalRows(explanations=run_explanations.explain_assignment(result, matched))
    position = np.full(len(assignment), -1, np.int64)
    position[matched] = np.arange(len(matched))
    reasons: dict[tuple[str, str, str], dict[str, str]] = {}
    mentor_ids = [row["id"] for row in data.mentors]
    scores = np.asarray(result.score, np.float64).tolist()
    for i, (row, j, k) in enumerate(
        zip(data.mentees, assignment.tolist(), position.tolist(), strict=True)
    ):
        rows.mentee.append(int(row["id"]))
        rows.organization.append(int(row["organization"]) if row["organization"] else None)
        if j < 0:
            reason = result.reasons.get(i)
            key = (reason.code, reason.fr, reason.en) if reason else ("", "", "")
            if key not in reasons:
                reasons[key] = {"code": key[0], "fr": key[1], "en": key[2]} if reason else {}
            rows.mentor.append(None)
            rows.score.append(None)
            rows.pair.append(None)
            rows.reason.append(reasons[key])
            rows.locked.append(False)
            continue
        rows.mentor.append(int(mentor_ids[j]))
        rows.score.append(float(scores[i]))
        rows.pair.append(k)
        rows.reason.append(_NO_REASON)
        rows.locked.append((row["id"], mentor_ids[j]) in locked)
    return rows


_NO_REASON: dict[str, str] = {}


def explanation_json(parts: Any) -> list[dict[str, Any]]:
    return [{"code": p.code, "points": p.points, "fr": p.fr, "en": p.en} for p in parts]


class _NoLongerRunning(Exception):
    """The run was declared dead while it saved: its retry redoes the work."""


def _save(
    run: MatchRun,
    proposals: ProposalRows,
    result: Result,
    started: float,
    timings: dict[str, float],
    offer: dict[str, int],
    mentor_keys: Sequence[tuple[int, run_inputs.MentorKey]] = (),
) -> None:
    """Write every proposal, and the mentors as the run read them (`RunMentor`), and mark
    the run succeeded, in one transaction. The run's row is locked only at the end (to
    check that nobody declared it dead meanwhile), so that its heartbeat keeps beating
    while the proposals are written."""
    summary = result.summary
    try:
        with transaction.atomic():
            clock = time.perf_counter()
            _sort_keys(run, proposals)
            Proposal.objects.filter(run_id=run.pk).delete()
            _write_proposals(run.pk, proposals)
            RunMentor.objects.filter(run_id=run.pk).delete()
            _write_mentors(run.pk, mentor_keys)
            # The summary's counts, grouped once here rather than on every view.
            counts = figures.count(run)
            timings["save"] = time.perf_counter() - clock
            current = MatchRun.objects.select_for_update().get(pk=run.pk)
            if current.status != RunStatus.RUNNING:
                raise _NoLongerRunning
            _finish(current, result, started, timings, offer, counts)
            record(
                action="matching.run.finished",
                organization=run.edition.program.organization,
                target=current,
                data={"matched": summary.matched, "eligible": summary.mentees},
            )
    except _NoLongerRunning:
        return
    if connection.vendor == "postgresql":
        # A national run adds 200,000 rows at once: refresh the planner's statistics now
        # rather than at autovacuum's next pass, or the review pages' first queries are
        # planned for a small table (nested loops over every proposal). VACUUM also marks
        # the new rows visible to all, so that a page of the proposals table reads its
        # ids from the sort key's index alone (no visit of 100,000 rows for a far page);
        # it cannot run inside a transaction (tests), ANALYZE alone then.
        tables = ", ".join(
            connection.ops.quote_name(model._meta.db_table) for model in (Proposal, RunMentor)
        )
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            cursor.execute(f"{command} {tables}")


def _sort_keys(run: MatchRun, rows: ProposalRows) -> None:
    """The proposals table's sort keys of each row (`figures`): ranks of the names in
    the database's order (three queries)."""
    edition = run.edition
    mentees = figures.name_ranks(edition, ParticipantRole.MENTEE)
    mentors = figures.name_ranks(edition, ParticipantRole.MENTOR)
    organizations = figures.organization_ranks(edition)
    rows.mentee_order = [mentees.get(pk) for pk in rows.mentee]
    rows.mentor_order = [None if pk is None else mentors.get(pk) for pk in rows.mentor]
    rows.organization_order = [
        None if org is None else organizations.get(org) for org in rows.organization
    ]


def _write_proposals(run_id: int, rows: ProposalRows) -> None:
    """PostgreSQL: one `COPY` (about 10× faster than inserts at national scale);
    elsewhere, inserts in batches. The same rows either way."""
    origin = [
        ProposalOrigin.LOCKED if is_locked else ProposalOrigin.ENGINE for is_locked in rows.locked
    ]
    if connection.vendor == "postgresql":
        texts = rows.explanations.as_text()
        reasons: dict[int, str] = {}
        columns = ("run", "mentee", "mentor", "score", "explanation", "reason", "origin")
        orders = ("mentee_order", "mentor_order", "organization_order")
        fields = [Proposal._meta.get_field(name) for name in (*columns, "is_locked", *orders)]
        names = ", ".join(
            connection.ops.quote_name(f.column) for f in fields if isinstance(f, models.Field)
        )
        table = connection.ops.quote_name(Proposal._meta.db_table)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(  # the psycopg cursor
                f"COPY {table} ({names}) FROM STDIN"
            ) as copy,
        ):
            for n in range(len(rows)):
                k = rows.pair[n]
                reason = rows.reason[n]
                if id(reason) not in reasons:
                    reasons[id(reason)] = json.dumps(reason, ensure_ascii=False)
                copy.write_row(
                    (
                        run_id,
                        rows.mentee[n],
                        rows.mentor[n],
                        rows.score[n],
                        "[]" if k is None else texts[k],
                        reasons[id(reason)],
                        origin[n],
                        rows.locked[n],
                        rows.mentee_order[n],
                        rows.mentor_order[n],
                        rows.organization_order[n],
                    )
                )
        return
    explanations = rows.explanations.as_json()
    batch: list[Proposal] = []
    for n in range(len(rows)):
        k = rows.pair[n]
        batch.append(
            Proposal(
                run_id=run_id,
                mentee_id=rows.mentee[n],
                mentor_id=rows.mentor[n],
                score=rows.score[n],
                explanation=[] if k is None else explanations[k],
                reason=rows.reason[n],
                origin=origin[n],
                is_locked=rows.locked[n],
                mentee_order=rows.mentee_order[n],
                mentor_order=rows.mentor_order[n],
                organization_order=rows.organization_order[n],
            )
        )
        if len(batch) == 2000:
            Proposal.objects.bulk_create(batch)
            batch = []
    Proposal.objects.bulk_create(batch)


def _write_mentors(run_id: int, keys: Sequence[tuple[int, run_inputs.MentorKey]]) -> None:
    """The mentors as the run read them (`RunMentor`): one `COPY` on PostgreSQL (100,000
    rows for a national edition), inserts in batches elsewhere."""
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(RunMentor._meta.db_table)
        fields = [
            RunMentor._meta.get_field(name)
            for name in ("run", "mentor", "field", "letter", "occupation")
        ]
        names = ", ".join(
            connection.ops.quote_name(f.column) for f in fields if isinstance(f, models.Field)
        )
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
        ):
            for mentor_id, (field_key, letter, occupation) in keys:
                copy.write_row((run_id, mentor_id, field_key, letter, occupation))
        return
    RunMentor.objects.bulk_create(
        (
            RunMentor(run_id=run_id, mentor_id=pk, field=f, letter=d, occupation=o)
            for pk, (f, d, o) in keys
        ),
        batch_size=2000,
    )


def _finish(
    current: MatchRun,
    result: Result,
    started: float,
    timings: dict[str, float],
    offer: dict[str, int],
    counts: dict[str, Any],
) -> None:
    summary = result.summary
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
        # The review pages read these instead of going over every proposal (`figures`).
        "figures": counts,
        # One mentee's review finds the mentors near the mentee among these (`RunMentor`).
        "mentors_kept": True,
        "sort_keys": True,
    }
    current.save(update_fields=["status", "phase", "finished_at", "duration_seconds", "summary"])
