"""iCalendar (RFC 5545) output: the invitation attached to meeting emails and each
person's subscription feed.

An event's UID comes from `Meeting.uid`, which never changes, and its SEQUENCE from
`Meeting.sequence`, so calendars update the same event on reschedule or cancellation.
No email address of the other person appears (minors' contact details stay private):
the organiser is the platform's sender address."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from mentorat.accounts.models import User
from mentorat.mentorships.models import Meeting, MeetingMode, MeetingStatus

PRODID = "-//Mentorat//Mentorat//FR"

#: Other apps' entries in a person's feed (e.g. the events they registered for): each
#: source returns iCalendar events for the feed's owner. Apps above this one register
#: theirs in `AppConfig.ready`, as this app cannot import them.
FEED_SOURCES: list[Callable[[User], list[Event]]] = []


def event_uid(meeting: Meeting) -> str:
    return f"{meeting.uid}@mentorat"


def _organizer() -> vCalAddress:
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address or 'noreply@mentorat.localhost'}")
    organizer.params["cn"] = vText("Mentorat")
    return organizer


def _location(meeting: Meeting) -> str:
    if meeting.mode == MeetingMode.IN_PERSON:
        return meeting.place
    if meeting.mode == MeetingMode.VIDEO:
        return meeting.video_url
    return _("Phone: %(number)s") % {"number": meeting.phone} if meeting.phone else _("Phone")


def _event(meeting: Meeting, *, viewer: User, now: datetime) -> Event:
    mentorship = meeting.mentorship
    other = mentorship.mentee if viewer.pk == mentorship.mentor_user_id else mentorship.mentor
    event = Event()
    event.add("uid", event_uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", now)
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    ends_at = meeting.starts_at + timedelta(minutes=meeting.duration_minutes)
    event.add("dtend", ends_at.astimezone(UTC))
    event.add("summary", _("Mentoring meeting with %(name)s") % {"name": other.display_name})
    location = _location(meeting)
    if location:
        event.add("location", location)
    description = [str(meeting.get_mode_display())]
    if meeting.agenda:
        description.append(meeting.agenda)
    workspace = settings.SITE_URL + reverse("mentorships:workspace", kwargs={"pk": mentorship.pk})
    description.append(workspace)
    event.add("description", "\n\n".join(description))
    event.add("url", workspace)
    status = {
        MeetingStatus.PROPOSED: "TENTATIVE",
        MeetingStatus.ACCEPTED: "CONFIRMED",
        MeetingStatus.CANCELLED: "CANCELLED",
    }[MeetingStatus(meeting.status)]
    event.add("status", status)
    event.add("organizer", _organizer())
    attendee = vCalAddress(f"mailto:{viewer.email}")
    attendee.params["cn"] = vText(viewer.display_name)
    attendee.params["partstat"] = vText(
        "ACCEPTED" if meeting.status == MeetingStatus.ACCEPTED else "NEEDS-ACTION"
    )
    event.add("attendee", attendee, encode=False)
    return event


def _calendar(*, name: str = "", method: str = "") -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def meeting_invitation(meeting: Meeting, *, recipient: User) -> bytes:
    """The `.ics` attached to a meeting email: a REQUEST, or a CANCEL once cancelled."""
    with translation.override(recipient.language):
        method = "CANCEL" if meeting.status == MeetingStatus.CANCELLED else "REQUEST"
        calendar = _calendar(method=method)
        calendar.add_component(_event(meeting, viewer=recipient, now=timezone.now()))
    return bytes(calendar.to_ical())


def meetings_feed(meetings: list[Meeting], *, owner: User) -> bytes:
    """All the meetings of `owner`, for a calendar subscription."""
    now = timezone.now()
    with translation.override(owner.language):
        calendar = _calendar(name=_("Mentoring meetings"))
        for meeting in meetings:
            calendar.add_component(_event(meeting, viewer=owner, now=now))
        for source in FEED_SOURCES:
            for component in source(owner):
                calendar.add_component(component)
    return bytes(calendar.to_ical())
