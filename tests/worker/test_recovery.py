"""Tasks left *running* by a worker that died are found by the next sweep: the email
tasks are queued again, a bounded number of times; every other kind is marked failed.
Tasks of live workers are left alone."""

from datetime import timedelta

import pytest
from django.core.management import call_command, get_commands
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from mentorat.worker.heartbeat import beat
from mentorat.worker.models import WorkerHeartbeat
from mentorat.worker.recovery import heartbeat_interval, recover_orphaned_tasks

pytestmark = pytest.mark.django_db

EMAIL_TASK = "mentorat.applications.imports.tasks.send_import_invitations"
RUN_TASK = "mentorat.matching.tasks.execute_match_run"


@pytest.fixture(autouse=True)
def _delays(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.WORKER_STALE_SECONDS = 60
    settings.WORKER_MAX_ATTEMPTS = 3


def running(task_path: str, *workers: str, minutes_ago: int = 5) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        args_kwargs={"args": [1], "kwargs": {}},
        task_path=task_path,
        backend_name="default",
        run_after=timezone.now(),
        started_at=timezone.now() - timedelta(minutes=minutes_ago),
        worker_ids=list(workers),
    )


def heartbeat(worker_id: str, *, seconds_ago: int) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id=worker_id, started_at=now, beat_at=now - timedelta(seconds=seconds_ago)
    )


def test_an_email_task_of_a_dead_worker_is_queued_again():
    heartbeat("dead", seconds_ago=300)
    task = running(EMAIL_TASK, "dead")

    recovered = recover_orphaned_tasks()

    task.refresh_from_db()
    assert recovered.requeued == [str(task.id)]
    assert task.status == TaskResultStatus.READY
    assert task.started_at is None
    assert task.worker_ids == ["dead"]  # the attempts so far
    assert not WorkerHeartbeat.objects.filter(worker_id="dead").exists()


def test_an_email_task_out_of_attempts_and_any_other_task_are_marked_failed():
    third = running(EMAIL_TASK, "w1", "w2", "w3")
    run = running(RUN_TASK, "w4")

    recovered = recover_orphaned_tasks()

    assert sorted(recovered.failed) == sorted([str(third.id), str(run.id)])
    for task in (third, run):
        task.refresh_from_db()
        assert task.status == TaskResultStatus.FAILED
        assert task.finished_at is not None
        assert task.exception_class_path == "mentorat.worker.recovery.WorkerLost"
        assert "stopped without finishing" in task.traceback
        assert task.task_result.errors  # what the tasks API and the admin show


def test_tasks_of_live_workers_and_tasks_just_started_are_left_alone():
    heartbeat("alive", seconds_ago=5)
    long_task = running(RUN_TASK, "alive", minutes_ago=60)
    # No heartbeat yet from this worker, but the task has not been running long.
    fresh = running(EMAIL_TASK, "starting", minutes_ago=0)

    assert recover_orphaned_tasks().requeued == []
    for task in (long_task, fresh):
        task.refresh_from_db()
        assert task.status == TaskResultStatus.RUNNING


def test_a_worker_announces_itself_before_claiming_anything():
    beat(worker_id="w")
    first = WorkerHeartbeat.objects.get()
    beat(worker_id="w")
    again = WorkerHeartbeat.objects.get()
    assert again.beat_at >= first.beat_at
    assert again.started_at == first.started_at
    assert first.pid


def test_a_live_worker_beats_well_within_the_stale_delay(settings):
    settings.WORKER_HEARTBEAT_SECONDS = 10
    settings.WORKER_STALE_SECONDS = 3
    assert heartbeat_interval() == 1.0


def test_db_worker_is_ours_and_recover_tasks_runs_one_sweep(capsys):
    assert get_commands()["db_worker"] == "mentorat.worker"
    running(RUN_TASK, "gone")
    call_command("recover_tasks")
    assert "0 task(s) queued again, 1 marked failed." in capsys.readouterr().out
