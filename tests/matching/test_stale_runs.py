"""A matching run whose worker died is recorded failed by the workers' recovery sweep,
the daily command, or a retry — never by displaying a page (see test_runs.py for what
the pages show meanwhile)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from mentorat.audit.models import AuditEntry
from mentorat.matching import selectors
from mentorat.matching.models import MatchRun, RunStatus
from mentorat.matching.parameters import RunParameters
from mentorat.matching.services import runs
from mentorat.worker.recovery import recover_orphaned_tasks
from tests.matching.factories import Cohort, cohort

pytestmark = pytest.mark.django_db


def running_run(c: Cohort, *, silent_for: timedelta, actor) -> MatchRun:
    run, _ = runs.start_run(edition=c.edition, parameters=RunParameters(), actor=actor)
    beat = timezone.now() - silent_for
    MatchRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, started_at=beat, heartbeat_at=beat
    )
    return run


@pytest.fixture
def two_dead_runs_and_a_live_one(cast):
    dead_after = selectors.stale_after() * 2
    dead = [
        running_run(cohort(cast.org_a), silent_for=dead_after, actor=cast.coordinator_a),
        running_run(cohort(cast.org_b), silent_for=dead_after, actor=cast.coordinator_b),
    ]
    live = running_run(cohort(cast.org_a), silent_for=timedelta(0), actor=cast.coordinator_a)
    return dead, live


def assert_only_dead_runs_failed(dead: list[MatchRun], live: MatchRun) -> None:
    for run in dead:
        run.refresh_from_db()
        assert run.status == RunStatus.FAILED
        assert run.error == "Le processus de calcul s'est arrêté pendant l'exécution."
        assert run.finished_at is not None
    live.refresh_from_db()
    assert live.status == RunStatus.RUNNING
    failed = AuditEntry.objects.filter(action="matching.run.failed")
    assert sorted(failed.values_list("target_id", flat=True)) == sorted(str(run.pk) for run in dead)


def test_the_daily_command_fails_the_dead_runs_of_every_program(two_dead_runs_and_a_live_one):
    dead, live = two_dead_runs_and_a_live_one
    out = StringIO()
    call_command("matching_requests", stdout=out)
    assert "stale_runs=2" in out.getvalue()
    assert_only_dead_runs_failed(dead, live)


def test_the_workers_recovery_sweep_fails_the_dead_runs(two_dead_runs_and_a_live_one):
    dead, live = two_dead_runs_and_a_live_one
    recover_orphaned_tasks()
    assert_only_dead_runs_failed(dead, live)
    recover_orphaned_tasks()  # a second pass changes nothing
    assert AuditEntry.objects.filter(action="matching.run.failed").count() == 2


def test_a_run_shown_failed_can_be_retried_before_any_sweep(cast, client_for):
    c = cohort(cast.org_a)
    run = running_run(c, silent_for=selectors.stale_after() * 2, actor=cast.coordinator_a)
    client = client_for(cast.coordinator_a)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("matching:run_retry", args=[c.program.slug, run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED
    assert AuditEntry.objects.filter(action="matching.run.failed").count() == 1
    assert AuditEntry.objects.filter(action="matching.run.retried").count() == 1
