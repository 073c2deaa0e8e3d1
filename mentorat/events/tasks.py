"""Background emails of events: each through the delivery ledger, so a task run again
after a crash sends nothing twice."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from mentorat.events.ics import event_invitation
from mentorat.events.links import check_in_token
from mentorat.events.models import EventFormat, Registration, RegistrationStatus
from mentorat.events.qr import qr_png
from mentorat.lib.timezones import user_zone
from mentorat.notifications import outbox
from mentorat.notifications.emails import send_templated_email
from mentorat.worker.recovery import resumable

# The ledger's purpose of the emails about one registration (occasion: its change).
REGISTRATION_EMAILS = "events.registration"
# Template of each occasion (a registration's new status).
TEMPLATES = {
    RegistrationStatus.REGISTERED: "events/emails/registered",
    RegistrationStatus.WAITLISTED: "events/emails/waitlisted",
    RegistrationStatus.OFFERED: "events/emails/offer",
}


def registration_context(registration: Registration) -> dict[str, object]:
    event = registration.event
    confirmed = registration.status == RegistrationStatus.REGISTERED
    return {
        "registration": registration,
        "event": event,
        "person": registration.user,
        "event_url": settings.SITE_URL + reverse("events:detail", kwargs={"pk": event.pk}),
        "ticket_url": settings.SITE_URL + reverse("events:ticket", kwargs={"pk": registration.pk}),
        "online_link": event.online_link
        if confirmed and event.format == EventFormat.ONLINE
        else "",
    }


def registration_attachments(registration: Registration) -> list[tuple[str, bytes, str]]:
    """The `.ics` (and, for a confirmed place, the QR code shown at the door)."""
    attachments = [
        (
            "event.ics",
            event_invitation(
                registration.event, recipient=registration.user, status=registration.status
            ),
            "text/calendar",
        )
    ]
    if registration.status == RegistrationStatus.REGISTERED:
        token = check_in_token(registration_id=registration.pk, event_id=registration.event_id)
        attachments.append(("qr-code.png", qr_png(token), "image/png"))
    return attachments


@resumable
@task()
def send_registration_email(registration_id: int, occasion: str, key: str) -> None:
    """Tell the person of their registration's new status (`occasion`), once per `key`;
    nothing if the status changed again since (a later email tells the news)."""
    registration = (
        Registration.objects.select_related("event__organization", "user")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or registration.status != occasion or occasion not in TEMPLATES:
        return
    person = registration.user

    def send(address: str, _item: None) -> None:
        # Times in the email are the recipient's (their time zone).
        with timezone.override(user_zone(person)):
            _send(address)

    def _send(address: str) -> None:
        send_templated_email(
            to=[address],
            template=TEMPLATES[RegistrationStatus(occasion)],
            context=registration_context(registration),
            language=person.language,
            attachments=registration_attachments(registration),
            recipient=person,
        )

    outbox.send_each(
        purpose=REGISTRATION_EMAILS, key=key, recipients={person.email: None}, send=send
    )
