"""Tasks whose worker died: found, then queued again or marked failed.

django-tasks-db marks a task *running* when a worker claims it and *succeeded* or
*failed* when the task returns; a worker killed in between (SIGKILL, out of memory, a
lost machine) leaves it *running* forever. Every `db_worker` of this project therefore
writes a heartbeat (`WorkerHeartbeat`, see `heartbeat`) and, at start-up and at each
beat, runs `recover_orphaned_tasks`: a task running for longer than
`WORKER_STALE_SECONDS` whose worker has been silent for as long is orphaned. Orphans of
tasks declared `resumable` are queued again (the same task result, so `worker_ids`
counts the attempts), up to `WORKER_MAX_ATTEMPTS` attempts in all; the others, and
resumable ones out of attempts, are marked failed with a `WorkerLost` error, which the
admin's task results show.

A task may be declared resumable only if running it again after a crash at any point
is harmless: the email tasks are, because the delivery ledger
(`mentorat.notifications.outbox`) skips what was already sent. A matching run is not
resumed: its own record is failed by its heartbeat (`matching.services.runs`) and the
coordinator retries it.

A worker started some other way than this project's `db_worker` writes no heartbeat:
its tasks count as orphaned once they have run for `WORKER_STALE_SECONDS`."""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

from mentorat.worker.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

_RESUMABLE: set[str] = set()

P = ParamSpec("P")
T = TypeVar("T")


class WorkerLost(Exception):
    """The worker running the task stopped without finishing it."""


_SWEEPS: list[Callable[[], object]] = []


def register_sweep(sweep: Callable[[], object]) -> None:
    """Run `sweep` after each recovery pass (worker start-up, each heartbeat,
    `manage.py recover_tasks`): an app's own records left behind by a dead worker, such
    as a matching run still marked running (call from the app's `ready()`)."""
    if sweep not in _SWEEPS:
        _SWEEPS.append(sweep)


def resumable(task: Task[P, T]) -> Task[P, T]:
    """Declare a task safe to run again from the start after its worker died (put it
    above `@task()`). Only for tasks whose every side effect is idempotent."""
    _RESUMABLE.add(task.module_path)
    return task


def is_resumable(task_path: str) -> bool:
    try:
        import_string(task_path)  # the task's module declares it when imported
    except ImportError:
        return False
    return task_path in _RESUMABLE


def stale_after() -> timedelta:
    return timedelta(seconds=settings.WORKER_STALE_SECONDS)


def heartbeat_interval() -> float:
    """Seconds between beats: the setting, but at most a third of the stale delay so
    that a live worker is never taken for a dead one."""
    return float(min(settings.WORKER_HEARTBEAT_SECONDS, settings.WORKER_STALE_SECONDS / 3))


@dataclass
class Recovered:
    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def recover_orphaned_tasks(*, now: datetime | None = None) -> Recovered:
    """Queue again or fail the tasks whose worker died (see the module's docstring).

    Safe to run from several workers at once: each orphan is handled under a row lock
    taken with SKIP LOCKED, and its state checked again under that lock."""
    now = now or timezone.now()
    silent_since = now - stale_after()
    live = set(
        WorkerHeartbeat.objects.filter(beat_at__gte=silent_since).values_list(
            "worker_id", flat=True
        )
    )
    candidates = list(
        DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING, started_at__lt=silent_since
        ).values_list("id", flat=True)
    )
    recovered = Recovered()
    for result_id in candidates:
        with transaction.atomic():
            result = (
                DBTaskResult.objects.select_for_update(skip_locked=True)
                .filter(id=result_id, status=TaskResultStatus.RUNNING)
                .first()
            )
            if result is None or (result.worker_ids and result.worker_ids[-1] in live):
                continue
            attempts = len(result.worker_ids)
            if is_resumable(result.task_path) and attempts < settings.WORKER_MAX_ATTEMPTS:
                _requeue(result)
                recovered.requeued.append(str(result.id))
                logger.warning(
                    "Task %s (%s) lost its worker; queued again (attempt %s of %s)",
                    result.id,
                    result.task_path,
                    attempts + 1,
                    settings.WORKER_MAX_ATTEMPTS,
                )
            else:
                _fail(result, now=now, attempts=attempts)
                recovered.failed.append(str(result.id))
                logger.error(
                    "Task %s (%s) lost its worker after %s attempt(s); marked failed",
                    result.id,
                    result.task_path,
                    attempts,
                )
    # Rows of dead workers have served their purpose: an absent row counts as silent.
    WorkerHeartbeat.objects.filter(beat_at__lt=silent_since).delete()
    for sweep in _SWEEPS:
        try:
            sweep()
        except Exception:  # one app's clean-up must not stop the others' or the beat
            logger.exception("Recovery sweep %s failed", sweep)
    return recovered


def _requeue(result: "DBTaskResult[..., Any]") -> None:
    result.status = TaskResultStatus.READY
    result.started_at = None
    result.save(update_fields=["status", "started_at"])


def _fail(result: "DBTaskResult[..., Any]", *, now: datetime, attempts: int) -> None:
    error = WorkerLost(
        f"The worker running this task stopped without finishing it "
        f"(attempt {attempts}; workers {', '.join(result.worker_ids)})."
    )
    result.status = TaskResultStatus.FAILED
    result.finished_at = now
    result.return_value = None
    result.exception_class_path = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"
    result.traceback = f"{WorkerLost.__qualname__}: {error}\n"
    result.save(
        update_fields=[
            "status",
            "finished_at",
            "return_value",
            "exception_class_path",
            "traceback",
        ]
    )
