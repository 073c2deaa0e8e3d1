"""Background tasks of conversations."""

from django.urls import reverse
from django_tasks import task

from mentorat.accounts.models import User
from mentorat.conversations import notify
from mentorat.conversations.models import MessageReport
from mentorat.conversations.selectors import report_alert_recipients
from mentorat.notifications import outbox
from mentorat.notifications.emails import send_templated_email
from mentorat.worker.recovery import resumable


@resumable
@task()
def notify_new_message(message_id: int) -> None:
    """Tell the thread's readers who have not read message `message_id` (and want to be
    told soon) by email. Queued with a delay when the message is posted."""
    notify.notify_new_message(message_id=message_id)


# The ledger's purpose of the alerts about a reported message (occasion: the report).
REPORT_EMAILS = "conversations.report"


@resumable
@task()
def send_report_emails(report_id: int) -> None:
    """Alert the program's coordinators (its admins when it has none) that a message was
    reported, with the message quoted — except in a minor's pair, whose messages are
    never copied into an email (the alert links to the thread): once per report and
    coordinator, whatever happens to the worker."""
    report = MessageReport.objects.select_related(
        "reported_by",
        "message__author",
        "message__thread__mentorship__edition__program__organization",
        "message__thread__mentorship__mentee_application",
    ).get(pk=report_id)
    mentorship = report.message.thread.mentorship
    thread_path = reverse("conversations:thread", kwargs={"pk": mentorship.pk})
    reports_path = reverse("conversations:reports")

    def send(address: str, person: User) -> None:
        send_templated_email(
            to=[address],
            template="conversations/emails/report",
            context={
                "report": report,
                "message": report.message,
                "program": mentorship.edition.program,
                "thread_path": thread_path,
                "reports_path": reports_path,
                "person": person,
                "quote_message": not mentorship.mentee_application.is_minor,
            },
            language=person.language,
        )

    outbox.send_each(
        purpose=REPORT_EMAILS,
        key=report.pk,
        recipients={p.email: p for p in report_alert_recipients(mentorship)},
        send=send,
    )
