"""Acceptance (issue 18): a message to 5,000 people on PostgreSQL, sent by a real
`db_worker` through a real SMTP server; the worker is killed (SIGKILL) mid-send while the
server holds one message unanswered, then a fresh worker resumes the task. Every
recipient receives exactly one email: none twice, none missing."""

import logging

import pytest
from django.db import connection
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from mentorat.announcements.models import Announcement, AnnouncementRecipient, AnnouncementStatus
from mentorat.announcements.selectors import EMAILS
from mentorat.announcements.services import send_announcement
from mentorat.notifications.models import DeliveryStatus, EmailDelivery
from tests.announcements.cohort import accepted_mentees
from tests.mentorships.factories import RunningEditionFactory
from tests.notifications.smtp import SmtpSink, smtp_environment
from tests.programs.factories import ProgramFactory
from tests.worker.processes import Worker, wait_for

pytestmark = pytest.mark.postgres

PEOPLE = 5000
HELD = 1200  # the server never answers the 1,200th message while the first worker runs
TASK = "mentorat.announcements.tasks.send_announcement"
# Workers beat every second and are declared dead after 3 s of silence.
FAST_RECOVERY = {"WORKER_HEARTBEAT_SECONDS": "1", "WORKER_STALE_SECONDS": "3"}
# Generous: 414 s on a saturated machine (load 20 on 2 CPUs); the send is latency-bound.
TIMEOUT = 600


def deliveries(status: str) -> int:
    return EmailDelivery.objects.filter(purpose=EMAILS, status=status).count()


@pytest.mark.timeout(TIMEOUT * 2)
@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_sends_every_email_exactly_once(cast, settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the worker processes must share the test database (PostgreSQL)")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    program = ProgramFactory(organization=cast.org_a)
    edition = RunningEditionFactory(program=program)
    addresses = accepted_mentees(edition, PEOPLE)
    announcement = Announcement.objects.create(
        program=program,
        edition=edition,
        organization=cast.org_a,
        author=cast.coordinator_a,
        segment="mentees",
        subject="Lancement de la promotion",
        body="Rendez-vous **lundi** à 18 h.",
    )
    # Transactional test: the task is queued in the database as the service commits.
    assert send_announcement(announcement=announcement, actor=cast.coordinator_a) == PEOPLE
    logs = [tmp_path / "worker-1.log", tmp_path / "worker-2.log"]
    # The SMTP server runs in this process: its per-command log lines would cost more
    # than the rest of the test.
    logging.getLogger("mail.log").setLevel(logging.WARNING)

    with SmtpSink(hold_message=HELD) as sink:
        env = smtp_environment(sink.port) | FAST_RECOVERY
        first = Worker(logs[0], env)
        try:
            wait_for(sink.holding.is_set, timeout=TIMEOUT, logs=logs)
        finally:
            first.kill()
        sink.release()  # the held message is refused: the dead worker never got an answer

        # The inbox rows were written once, in bulk, before the first email.
        assert AnnouncementRecipient.objects.filter(announcement=announcement).count() == PEOPLE
        assert deliveries(DeliveryStatus.SENT) == HELD - 1
        assert deliveries(DeliveryStatus.PENDING) == PEOPLE - HELD + 1
        assert sum(sink.received().values()) == HELD - 1
        assert DBTaskResult.objects.get(task_path=TASK).status == TaskResultStatus.RUNNING

        second = Worker(logs[1], env)
        try:
            wait_for(
                lambda: (
                    DBTaskResult.objects.get(task_path=TASK).status == TaskResultStatus.SUCCESSFUL
                ),
                timeout=TIMEOUT,
                logs=logs,
            )
        finally:
            second.stop()
        received = sink.received()

    assert sorted(received) == sorted(addresses)  # none missing
    assert max(received.values()) == 1  # none twice
    assert deliveries(DeliveryStatus.SENT) == PEOPLE
    assert not AnnouncementRecipient.objects.filter(emailed_at__isnull=True).exists()
    announcement.refresh_from_db()
    assert announcement.status == AnnouncementStatus.SENT
    assert announcement.recipients_count == PEOPLE
    assert len(DBTaskResult.objects.get(task_path=TASK).worker_ids) == 2
