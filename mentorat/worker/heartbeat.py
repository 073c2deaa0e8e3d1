"""The heartbeat of a `db_worker` process, and the sweep for orphaned tasks it runs.

The beat comes from a thread, so it continues while the main thread runs a long task;
the price is that a task holding Python's global lock for longer than
`WORKER_STALE_SECONDS` (a C extension that does not release it) silences its worker.
The default delay (120 s) is the matching runs' own, for that reason."""

import logging
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.utils import timezone

from mentorat.worker.models import WorkerHeartbeat
from mentorat.worker.recovery import heartbeat_interval, recover_orphaned_tasks

logger = logging.getLogger(__name__)


def beat(*, worker_id: str) -> None:
    now = timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(beat_at=now)
    if not updated:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=worker_id,
            defaults={
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": now,
                "beat_at": now,
            },
        )


class _Beating(threading.Thread):
    def __init__(self, worker_id: str) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopping.wait(heartbeat_interval()):
                try:
                    beat(worker_id=self.worker_id)
                    recover_orphaned_tasks()
                except Exception:
                    # The database may be restarting: keep beating once it is back.
                    logger.exception("Heartbeat of worker %s failed", self.worker_id)
                    connection.close()
        finally:
            connection.close()


@contextmanager
def beating(*, worker_id: str) -> Iterator[None]:
    """Announce the worker, recover the tasks of workers that died, then beat until the
    block ends; a worker that stops cleanly removes its heartbeat."""
    beat(worker_id=worker_id)
    recovered = recover_orphaned_tasks()
    if recovered.requeued or recovered.failed:
        logger.warning(
            "Start-up of worker %s: %s orphaned task(s) queued again, %s marked failed",
            worker_id,
            len(recovered.requeued),
            len(recovered.failed),
        )
    thread = _Beating(worker_id)
    thread.start()
    try:
        yield
    finally:
        thread.stopping.set()
        thread.join(timeout=heartbeat_interval() * 2)
        WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()
