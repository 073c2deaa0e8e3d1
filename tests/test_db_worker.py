"""Several `manage.py db_worker` processes may serve one PostgreSQL database (README,
deployment step 5): a worker claims a task under a row lock taken with SKIP LOCKED, so no
task runs twice. Two workers run here in threads, each with its own database connection."""

import threading
import time

import pytest
from django.db import connection
from django_tasks import TaskResultStatus, task
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

pytestmark = pytest.mark.postgres

TASKS = 40
_runs: list[int] = []
_runs_lock = threading.Lock()


@task()
def record_run(*, number: int) -> int:
    with _runs_lock:
        _runs.append(number)
    # Long enough for the other worker to look for work while this task is claimed.
    time.sleep(0.01)
    return number


def _work(worker_id: str, errors: list[BaseException]) -> None:
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    try:
        worker.run()
    except BaseException as error:  # reported by the test thread
        errors.append(error)
    finally:
        connection.close()


def test_two_workers_never_run_the_same_task(transactional_db, settings):
    if connection.vendor != "postgresql":
        pytest.skip("row locks with SKIP LOCKED need PostgreSQL")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    _runs.clear()
    for number in range(TASKS):
        record_run.enqueue(number=number)

    errors: list[BaseException] = []
    workers = [threading.Thread(target=_work, args=(f"worker-{n}", errors)) for n in (1, 2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    assert not errors
    assert sorted(_runs) == list(range(TASKS)), "a task ran twice or not at all"
    results = list(DBTaskResult.objects.all())
    assert {r.status for r in results} == {TaskResultStatus.SUCCESSFUL}
    assert all(len(r.worker_ids) == 1 for r in results)
    # Both workers did take part: the test did exercise concurrent claims.
    assert {r.worker_ids[0] for r in results} == {"worker-1", "worker-2"}
