"""iCalendar (RFC 5545) of events: the invitation attached to the registration emails
and the components added to each person's calendar feed (`mentorships.calendar`)."""

from datetime import UTC, datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from mentorat.accounts.models import User
from mentorat.events.models import Event, EventFormat, RegistrationStatus
from mentorat.events.selectors import feed_registrations

PRODID = "-//Mentorat//Mentorat events//FR"


def event_uid(event: Event) -> str:
    return f"event-{event.pk}@mentorat"


def event_component(
    event: Event, *, status: str, show_link: bool, now: datetime | None = None
) -> CalendarEvent:
    """One VEVENT of `event`; its online link only if `show_link` (confirmed places)."""
    component = CalendarEvent()
    component.add("uid", event_uid(event))
    component.add("dtstamp", now or timezone.now())
    component.add("dtstart", event.starts_at.astimezone(UTC))
    component.add("dtend", event.ends_at.astimezone(UTC))
    component.add("summary", event.title)
    url = settings.SITE_URL + reverse("events:detail", kwargs={"pk": event.pk})
    if event.format == EventFormat.ONLINE:
        if show_link and event.online_link:
            component.add("location", event.online_link)
    elif event.place:
        component.add("location", event.place)
    component.add("description", "\n\n".join(filter(None, [event.description, url])))
    component.add("url", url)
    cancelled = event.cancelled_at is not None or status == RegistrationStatus.CANCELLED
    confirmed = status == RegistrationStatus.REGISTERED
    component.add("status", "CANCELLED" if cancelled else "CONFIRMED" if confirmed else "TENTATIVE")
    return component


def _calendar(method: str = "") -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    return calendar


def event_invitation(event: Event, *, recipient: User, status: str) -> bytes:
    """The `.ics` attached to a registration email."""
    with translation.override(recipient.language):
        calendar = _calendar("CANCEL" if status == RegistrationStatus.CANCELLED else "PUBLISH")
        calendar.add_component(
            event_component(event, status=status, show_link=status == RegistrationStatus.REGISTERED)
        )
    return bytes(calendar.to_ical())


def feed_components(owner: User) -> list[CalendarEvent]:
    """The events `owner` holds a place for or waits for, for their calendar feed."""
    now = timezone.now()
    return [
        event_component(
            registration.event,
            status=registration.status,
            show_link=registration.status == RegistrationStatus.REGISTERED,
            now=now,
        )
        for registration in feed_registrations(user=owner)
    ]
