"""The reminder sent the day before an event to each person holding a place: once per
event and person, through the delivery ledger (running it again sends nothing twice)."""

from datetime import datetime, timedelta

from django.utils import timezone

from mentorat.events.models import Event, Registration, RegistrationStatus
from mentorat.events.tasks import registration_attachments, registration_context
from mentorat.lib.timezones import user_zone
from mentorat.notifications import outbox
from mentorat.notifications.emails import send_templated_email

REMINDER_EMAILS = "events.reminder"
# Events starting within this window are reminded of (run the command at least daily).
WINDOW = timedelta(hours=36)


def send_reminders(*, now: datetime | None = None) -> int:
    """Remind the people registered for the events starting in the next `WINDOW`."""
    now = now or timezone.now()
    sent = 0
    events = Event.objects.filter(
        cancelled_at__isnull=True, starts_at__gt=now, starts_at__lte=now + WINDOW
    )
    for event in events:
        registrations = {
            registration.user.email: registration
            for registration in Registration.objects.filter(
                event=event, status=RegistrationStatus.REGISTERED
            ).select_related("user", "event__organization")
        }

        def send(address: str, registration: Registration) -> None:
            with timezone.override(user_zone(registration.user)):
                send_templated_email(
                    to=[address],
                    template="events/emails/reminder",
                    context=registration_context(registration),
                    language=registration.user.language,
                    attachments=registration_attachments(registration),
                    recipient=registration.user,
                )

        sent += outbox.send_each(
            purpose=REMINDER_EMAILS, key=event.pk, recipients=registrations, send=send
        ).sent
    return sent
