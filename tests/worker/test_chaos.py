"""Chaos: real `db_worker` processes killed with SIGKILL in the middle of an email-sending
task (a 300-invitation import, the mail server holding one message unanswered) and of a
matching run, then a fresh worker. Every invitation arrives exactly once, the email task
ends succeeded after resuming, the run's task ends visibly failed, and the coordinator's
retry of the run succeeds."""

import pytest
from django.db import connection
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from mentorat.applications.imports.services import preview_import, run_import
from mentorat.matching.models import MatchRun, Proposal, RunPhase, RunStatus
from mentorat.matching.parameters import RunParameters
from mentorat.matching.services import runs
from mentorat.notifications.models import DeliveryStatus, EmailDelivery
from mentorat.organizations.models import Invitation
from mentorat.worker.models import WorkerHeartbeat
from tests.imports.files import csv_bytes, people
from tests.matching.factories import cohort
from tests.notifications.smtp import SmtpSink, smtp_environment
from tests.worker.processes import Worker, wait_for
from tests.worker_pause import paused_worker_environment

pytestmark = pytest.mark.postgres

PEOPLE = 300
HELD = 120  # the mail server never answers the 120th message while the first worker runs
EMAIL_TASK = "mentorat.applications.imports.tasks.send_import_invitations"
RUN_TASK = "mentorat.matching.tasks.execute_match_run"
# Workers beat every second and are declared dead after 3 s of silence.
FAST_RECOVERY = {
    "WORKER_HEARTBEAT_SECONDS": "1",
    "WORKER_STALE_SECONDS": "3",
    "MATCHING_RUN_STALE_SECONDS": "2",
}


def deliveries(status: str) -> int:
    return EmailDelivery.objects.filter(purpose="imports.invitation", status=status).count()


def task_status(path: str) -> str:
    return DBTaskResult.objects.get(task_path=path).status


@pytest.mark.django_db(transaction=True)
def test_killed_workers_send_every_email_once_and_every_task_ends(
    cast, client_for, settings, tmp_path
):
    if connection.vendor != "postgresql":
        pytest.skip("the worker processes must share the test database (PostgreSQL)")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MATCHING_RUN_STALE_SECONDS = 2
    logs = [tmp_path / f"worker-{n}.log" for n in (1, 2, 3)]
    c = cohort(cast.org_a, mentees=6, mentors=4)

    with SmtpSink(hold_message=HELD) as sink:
        env = smtp_environment(sink.port) | FAST_RECOVERY

        # An import of 300 new people: the task emailing their invitations is queued.
        batch, _report = preview_import(
            program=c.program,
            edition=c.edition,
            organization=cast.org_a,
            default_role="",
            filename="promotion.csv",
            content=csv_bytes(people(PEOPLE)),
            actor=cast.coordinator_a,
        )
        run_import(batch=batch, sha256=batch.sha256, actor=cast.coordinator_a)
        invited = set(Invitation.objects.values_list("email", flat=True))
        assert len(invited) == PEOPLE
        assert task_status(EMAIL_TASK) == TaskResultStatus.READY

        # 1. The first worker is killed while the server holds the 120th message.
        first = Worker(logs[0], env)
        try:
            wait_for(sink.holding.is_set, logs=logs)
        finally:
            first.kill()
        sink.release()
        # Its transaction died with it: the message in flight is pending again.
        wait_for(lambda: deliveries(DeliveryStatus.PENDING) == PEOPLE - HELD + 1, logs=logs)
        assert deliveries(DeliveryStatus.SENT) == HELD - 1
        assert sum(sink.received().values()) == HELD - 1
        assert task_status(EMAIL_TASK) == TaskResultStatus.RUNNING  # nobody knows yet

        # 2. A matching run; the second worker is killed in the middle of it. (It may
        # have resumed the emails first, if it saw the first worker dead on starting.)
        run, _created = runs.start_run(
            edition=c.edition, parameters=RunParameters(), actor=cast.coordinator_a
        )
        second = Worker(logs[1], env | paused_worker_environment(60))
        try:
            wait_for(
                lambda: MatchRun.objects.get(pk=run.pk).phase == RunPhase.EXPLAINING, logs=logs
            )
        finally:
            second.kill()

        # 3. A third worker finds both orphans: the emails resume, the run's task fails.
        third = Worker(logs[2], env)
        try:
            wait_for(lambda: task_status(EMAIL_TASK) == TaskResultStatus.SUCCESSFUL, logs=logs)
            wait_for(lambda: task_status(RUN_TASK) == TaskResultStatus.FAILED, logs=logs)

            # The third worker's sweep records the dead run failed (a page only shows it).
            wait_for(lambda: MatchRun.objects.get(pk=run.pk).status == RunStatus.FAILED, logs=logs)
            # The coordinator sees the run failed and retries it.
            client = client_for(cast.coordinator_a)
            page = client.get(reverse("matching:run", args=[c.program.slug, run.pk]))
            assert page.status_code == 200
            assert reverse("matching:run_retry", args=[c.program.slug, run.pk]) in page.text
            assert not Proposal.objects.filter(run=run).exists()
            client.post(reverse("matching:run_retry", args=[c.program.slug, run.pk]))
            wait_for(
                lambda: MatchRun.objects.get(pk=run.pk).status == RunStatus.SUCCEEDED, logs=logs
            )
        finally:
            exit_code = third.stop()
        received = sink.received()
    assert exit_code == 0  # stopped cleanly by SIGTERM

    # Every invitation arrived, and exactly once.
    assert set(received) == invited
    assert set(received.values()) == {1}
    assert deliveries(DeliveryStatus.SENT) == PEOPLE
    email_task = DBTaskResult.objects.get(task_path=EMAIL_TASK)
    assert len(email_task.worker_ids) == 2  # killed once, resumed once
    run_task = DBTaskResult.objects.filter(task_path=RUN_TASK).earliest("enqueued_at")
    assert run_task.exception_class_path == "mentorat.worker.recovery.WorkerLost"
    run.refresh_from_db()
    assert run.attempts == 2
    assert Proposal.objects.filter(run=run).count() == 6
    # The workers that died left no heartbeat behind, nor did the one stopped cleanly.
    assert not WorkerHeartbeat.objects.exists()
