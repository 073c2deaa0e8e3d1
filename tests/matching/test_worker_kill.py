"""Acceptance: a real `db_worker` process is killed (SIGKILL) in the middle of a run;
nothing partial remains, the run is marked failed, and a retry succeeds."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django.utils.html import escape

from mentorat.matching.models import MatchRun, Proposal, RunPhase, RunStatus
from mentorat.matching.parameters import RunParameters
from mentorat.matching.services import runs
from tests.matching.factories import cohort
from tests.worker_pause import paused_worker_environment

ROOT = Path(__file__).resolve().parents[2]
DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _worker(*, pause: float | None, batch: bool) -> subprocess.Popen[bytes]:
    env = os.environ | {
        "DATABASE_URL": _database_url(),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "DEBUG": "1",
        "CONN_MAX_AGE": "0",
    }
    if pause is not None:
        env |= paused_worker_environment(pause)
    args = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
    args += ["--interval", "0.2"] + (["--batch"] if batch else [])
    return subprocess.Popen(
        args,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _wait_for(predicate, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_killed_worker_leaves_nothing_and_retry_succeeds(cast, client_for, settings):
    if connection.vendor != "postgresql":
        pytest.skip("the worker process must share the test database (PostgreSQL)")
    settings.TASKS = DB_BACKEND
    settings.MATCHING_RUN_STALE_SECONDS = 2
    c = cohort(cast.org_a, mentees=6, mentors=4)
    run, created = runs.start_run(
        edition=c.edition, parameters=RunParameters(), actor=cast.coordinator_a
    )
    assert created
    worker = _worker(pause=60, batch=False)
    try:
        # The run reaches its last step before saving, then tests.worker_pause holds it.
        _wait_for(lambda: MatchRun.objects.get(pk=run.pk).phase == RunPhase.EXPLAINING)
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING  # nobody knows yet
    assert not Proposal.objects.filter(run=run).exists()

    time.sleep(3)  # longer than MATCHING_RUN_STALE_SECONDS without a heartbeat
    client = client_for(cast.coordinator_a)
    client.cookies["django_language"] = "fr"
    page = client.get(reverse("matching:run", args=[c.program.slug, run.pk]))
    run.refresh_from_db()
    # Shown failed at once; recorded by the next worker's sweep, the daily command or
    # the retry below — the page writes nothing.
    assert run.status == RunStatus.RUNNING
    assert escape("Le processus de calcul s'est arrêté pendant l'exécution.") in (
        page.content.decode()
    )
    assert not Proposal.objects.filter(run=run).exists()

    # Retry: queued again, executed by a fresh worker that processes the queue and exits.
    # (transactional test: the on-commit enqueue into the database queue happens at once)
    client.post(reverse("matching:run_retry", args=[c.program.slug, run.pk]))
    retry = _worker(pause=None, batch=True)
    assert retry.wait(timeout=120) == 0
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED
    assert run.attempts == 2
    assert Proposal.objects.filter(run=run).count() == 6
    assert MatchRun.objects.filter(edition=c.edition).count() == 1  # no duplicate run
