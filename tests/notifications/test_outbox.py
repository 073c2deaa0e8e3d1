"""The delivery ledger: each email of an occasion goes out once, however often the task
runs; failures are recorded and do not stop the other emails; a crash during a send
leaves that email (and only that one) to send again."""

import importlib
import inspect
from dataclasses import dataclass

import pytest
from django_tasks.base import Task

from mentorat.notifications import outbox
from mentorat.notifications.models import DeliveryStatus, EmailDelivery
from mentorat.notifications.outbox import EmailsNotSent, send_each
from mentorat.notifications.selectors import delivery_summaries
from mentorat.worker.recovery import is_resumable

pytestmark = pytest.mark.django_db

PEOPLE = {"a@example.org": 1, "B@example.org": 2, "c@example.org": 3}


class Mailer:
    """Stands for the SMTP server: records what was sent, fails for some addresses."""

    def __init__(self, failing: set[str] | None = None) -> None:
        self.sent: list[str] = []
        self.failing = failing or set()

    def __call__(self, address: str, item: object) -> None:
        if address in self.failing:
            raise ConnectionRefusedError(f"refused {address}")
        self.sent.append(address)


def statuses(purpose: str = "test.email", key: str = "1") -> dict[str, str]:
    return dict(
        EmailDelivery.objects.filter(purpose=purpose, key=key).values_list("recipient", "status")
    )


def test_each_recipient_is_sent_once_however_often_the_task_runs():
    mailer = Mailer()
    first = send_each(purpose="test.email", key=1, recipients=PEOPLE, send=mailer)
    again = send_each(purpose="test.email", key=1, recipients=PEOPLE, send=mailer)

    assert sorted(mailer.sent) == ["B@example.org", "a@example.org", "c@example.org"]
    assert (first.sent, again.sent) == (3, 0)
    assert set(statuses().values()) == {DeliveryStatus.SENT}
    assert "b@example.org" in statuses()  # one row per address, whatever its case
    # Another occasion of the same email is another delivery.
    send_each(purpose="test.email", key=2, recipients=PEOPLE, send=mailer)
    assert len(mailer.sent) == 6


def test_a_failed_send_is_recorded_and_the_others_still_go():
    mailer = Mailer(failing={"B@example.org"})
    with pytest.raises(EmailsNotSent, match="1 email"):
        send_each(purpose="test.email", key=1, recipients=PEOPLE, send=mailer)

    assert sorted(mailer.sent) == ["a@example.org", "c@example.org"]
    failed = EmailDelivery.objects.get(recipient="b@example.org")
    assert failed.status == DeliveryStatus.FAILED
    assert failed.error == "ConnectionRefusedError: refused B@example.org"
    assert failed.attempts == 1
    # Running the task again does not retry failures by itself: a person decides.
    send_each(purpose="test.email", key=1, recipients=PEOPLE, send=Mailer())
    assert EmailDelivery.objects.get(recipient="b@example.org").status == DeliveryStatus.FAILED


def test_a_server_that_is_down_stops_the_run_after_three_failures_in_a_row():
    everyone = {f"p{n}@example.org": n for n in range(6)}
    mailer = Mailer(failing=set(everyone))
    with pytest.raises(EmailsNotSent, match="seems down"):
        send_each(purpose="test.email", key=1, recipients=everyone, send=mailer)

    counts = list(statuses().values())
    assert counts.count(DeliveryStatus.FAILED) == outbox.STOP_AFTER_FAILURES == 3
    assert counts.count(DeliveryStatus.PENDING) == 3


def test_recipients_no_longer_wanted_are_skipped():
    with pytest.raises(EmailsNotSent):
        send_each(
            purpose="test.email", key=1, recipients=PEOPLE, send=Mailer(failing={"a@example.org"})
        )
    EmailDelivery.objects.filter(status=DeliveryStatus.FAILED).update(status=DeliveryStatus.PENDING)
    # Meanwhile a@ accepted their invitation: the task no longer lists them.
    mailer = Mailer()
    outcome = send_each(
        purpose="test.email",
        key=1,
        recipients={k: v for k, v in PEOPLE.items() if k != "a@example.org"},
        send=mailer,
    )
    assert (outcome.sent, outcome.skipped, mailer.sent) == (0, 1, [])
    assert statuses()["a@example.org"] == DeliveryStatus.SKIPPED


class WorkerKilled(BaseException):
    """What a SIGKILL looks like from the database's side: the transaction never ends."""


def test_a_worker_killed_during_a_send_leaves_that_email_pending_and_only_that_one():
    """The crash window of the ledger (see `outbox`): whether or not the server had
    accepted the message in flight, its row is pending again and is sent by the next
    run; the emails sent before the crash are not."""
    mailer = Mailer()

    def dies_on_b(address: str, item: object) -> None:
        if address == "B@example.org":
            raise WorkerKilled
        mailer(address, item)

    with pytest.raises(WorkerKilled):
        send_each(purpose="test.email", key=1, recipients=PEOPLE, send=dies_on_b)
    assert statuses() == {
        "a@example.org": DeliveryStatus.SENT,
        "b@example.org": DeliveryStatus.PENDING,
        "c@example.org": DeliveryStatus.PENDING,
    }

    send_each(purpose="test.email", key=1, recipients=PEOPLE, send=mailer)
    assert mailer.sent == ["a@example.org", "B@example.org", "c@example.org"]


@dataclass
class _Result:
    id: str


@dataclass
class _Context:
    task_result: _Result


def test_a_single_email_task_run_again_sends_nothing_twice(cast, mailoutbox):
    """Tasks sending one email use their task id as the occasion: when the worker dies
    and the same task result is queued again, its email is not sent a second time."""
    from mentorat.organizations.models import Invitation, Role
    from mentorat.organizations.tasks import send_invitation_email

    invitation = Invitation.objects.create(
        organization=cast.org_a,
        email="new@example.org",
        role=Role.MENTOR,
        invited_by=cast.coordinator_a,
        expires_at="2099-01-01T00:00:00Z",
    )
    context = _Context(_Result("task-1"))
    send_invitation_email.call(context, invitation.pk)
    send_invitation_email.call(context, invitation.pk)
    assert [m.to for m in mailoutbox] == [["new@example.org"]]
    # A new task (the coordinator sends the invitation again) is a new email.
    send_invitation_email.call(_Context(_Result("task-2")), invitation.pk)
    assert len(mailoutbox) == 2


EMAIL_TASK_MODULES = [
    "mentorat.applications.tasks",
    "mentorat.applications.imports.tasks",
    "mentorat.matching.tasks",
    "mentorat.mentorships.tasks",
    "mentorat.organizations.tasks",
]


def test_every_email_task_goes_through_the_ledger_and_resumes_after_a_crash():
    checked = 0
    for name in EMAIL_TASK_MODULES:
        module = importlib.import_module(name)
        helper = inspect.getsource(module._send) if hasattr(module, "_send") else ""
        for task in [v for v in vars(module).values() if isinstance(v, Task)]:
            if task.module_path == "mentorat.matching.tasks.execute_match_run":
                # A matching run is not resumed: its worker's death fails it, and the
                # coordinator retries it.
                assert not is_resumable(task.module_path)
                continue
            source = inspect.getsource(task.func)
            uses_ledger = "outbox.send_" in source or (
                "_send(" in source and "outbox.send_" in helper
            )
            assert uses_ledger, f"{task.module_path} sends around the ledger"
            assert is_resumable(task.module_path), f"{task.module_path} is not @resumable"
            checked += 1
    assert checked >= 13


def test_summaries_of_several_occasions_take_one_query(django_assert_num_queries):
    send_each(purpose="test.call", key=1, recipients=PEOPLE, send=Mailer())
    with pytest.raises(EmailsNotSent):
        send_each(purpose="test.call", key=2, recipients=PEOPLE, send=Mailer({"a@example.org"}))
    with django_assert_num_queries(1):
        summaries = delivery_summaries(purpose="test.call", keys=[1, 2, 3])
    assert [(s.sent, s.failed, s.total) for s in summaries.values()] == [
        (3, 0, 3),
        (2, 1, 3),
        (0, 0, 0),
    ]
