"""Emails of training, sent in the background through the delivery ledger
(`mentorat.notifications.outbox`): a reminder queued twice in a week, or run again after
its worker died, is sent once."""

from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from mentorat.accounts.models import User
from mentorat.lib.timezones import user_zone
from mentorat.notifications import outbox
from mentorat.notifications.emails import send_templated_email
from mentorat.training.selectors import assigned_modules
from mentorat.worker.recovery import resumable


@resumable
@task()
def send_training_reminder(user_id: int, week: str) -> None:
    """Remind `user_id` of the required modules past their deadline, once per `week`
    (nothing when they caught up since the reminder was queued)."""
    person = User.objects.filter(pk=user_id, is_active=True).first()
    if person is None:
        return
    overdue = [
        line for line in assigned_modules(user=person, today=timezone.localdate()) if line.overdue
    ]
    if not overdue:
        return

    def send() -> None:
        with timezone.override(user_zone(person)):
            send_templated_email(
                to=[person.email],
                template="training/emails/reminder",
                context={
                    "person": person,
                    "modules": overdue,
                    "path": reverse("training:my_modules"),
                },
                language=person.language,
                recipient=person,
            )

    outbox.send_once(
        purpose="training.reminder", key=f"{user_id}:{week}", to=person.email, send=send
    )
