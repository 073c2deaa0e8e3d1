"""Meetings of a pair: propose, accept, reschedule, cancel, log the session; and each
person's calendar feed token.

A meeting proposed by one side waits for the other side's acceptance; rescheduling by
either side makes it a new proposal from that side. Every change bumps `sequence` and
emails the other person an `.ics` with the same UID."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorat.accounts.models import User
from mentorat.audit.services import record
from mentorat.lib.errors import DomainError, Problems
from mentorat.mentorships import tasks
from mentorat.mentorships.models import (
    CalendarFeed,
    CheckInOccasion,
    Meeting,
    MeetingMode,
    MeetingStatus,
    Mentorship,
    PrivateNote,
    SessionLog,
)
from mentorat.mentorships.services.check_ins import create_check_ins
from mentorat.mentorships.services.common import audit_pair, lock_pair, require_active

# How far ahead a meeting can be planned.
MAX_PLANNING = timedelta(days=365)


@dataclass(frozen=True)
class MeetingData:
    starts_at: datetime
    duration_minutes: int
    mode: str
    place: str = ""
    video_url: str = ""
    phone: str = ""
    agenda: str = ""


def time_problems(starts_at: datetime, *, now: datetime) -> list[str]:
    """What is wrong with a meeting's date and time (nothing: an empty list). The form
    asks it too, so a date in the past shows with the form's other errors."""
    if timezone.is_naive(starts_at):
        return [_("Date and time: give a date and a time.")]
    if starts_at <= now:
        return [_("Date and time: choose a moment in the future.")]
    if starts_at > now + MAX_PLANNING:
        return [_("Date and time: choose a moment within the next twelve months.")]
    return []


def _check(data: MeetingData, *, now: datetime) -> None:
    """Every problem of `data` at once, each on its field (one `DomainError`)."""
    problems = Problems()
    for message in time_problems(data.starts_at, now=now):
        problems.add("starts_at", message)
    if not 15 <= data.duration_minutes <= 480:
        problems.add("duration_minutes", _("Duration: between 15 minutes and 8 hours."))
    if data.mode not in MeetingMode.values:
        problems.add("mode", _("How: choose in person, video call or phone call."))
    if data.mode == MeetingMode.IN_PERSON and not data.place.strip():
        problems.add("place", _("Place: say where you will meet."))
    if data.mode == MeetingMode.VIDEO and not data.video_url.strip():
        problems.add("video_url", _("Video link: give the address of the video call."))
    problems.raise_if_any()


def minor_meeting_modes(mentorship: Mentorship) -> tuple[str, ...] | None:
    """The meeting modes a pair may plan when its mentee is a minor (the program's
    `Program.minor_meeting_mode_codes`, the one to propose first at the front); None when
    any mode goes (an adult mentee)."""
    mentee = mentorship.mentee_application
    if not mentee.is_minor:
        return None
    return mentorship.edition.program.minor_meeting_mode_codes()


def _check_minor_policy(mentorship: Mentorship, data: MeetingData) -> None:
    allowed = minor_meeting_modes(mentorship)
    if allowed is not None and data.mode not in allowed:
        labels = ", ".join(str(MeetingMode(mode).label).lower() for mode in allowed)
        raise DomainError(
            _("How: with a minor, this program allows only: %(modes)s.") % {"modes": labels}
        )


def _apply(meeting: Meeting, data: MeetingData) -> None:
    meeting.starts_at = data.starts_at
    meeting.duration_minutes = data.duration_minutes
    meeting.mode = data.mode
    meeting.place = data.place.strip() if data.mode == MeetingMode.IN_PERSON else ""
    meeting.video_url = data.video_url.strip() if data.mode == MeetingMode.VIDEO else ""
    meeting.phone = data.phone.strip() if data.mode == MeetingMode.PHONE else ""
    meeting.agenda = data.agenda.strip()


def _notify(meeting: Meeting, event: str, *, recipient_id: int) -> None:
    pk = meeting.pk
    transaction.on_commit(lambda: tasks.send_meeting_email.enqueue(pk, event, recipient_id))


def _require_member(mentorship: Mentorship, actor: User) -> None:
    if mentorship.role_of(actor.pk) is None:
        raise DomainError(_("Only the mentor and the mentee plan their meetings."))


@transaction.atomic
def propose_meeting(
    *,
    mentorship: Mentorship,
    data: MeetingData,
    actor: User,
    request: HttpRequest | None = None,
) -> Meeting:
    """Propose a meeting; the other person is emailed an invitation to accept."""
    require_active(lock_pair(mentorship))
    _require_member(mentorship, actor)
    now = timezone.now()
    _check(data, now=now)
    _check_minor_policy(mentorship, data)
    meeting = Meeting(
        mentorship=mentorship,
        proposed_by=actor,
        proposed_at=now,
        status=MeetingStatus.PROPOSED,
    )
    _apply(meeting, data)
    meeting.save()
    audit_pair(
        "meeting.proposed",
        mentorship,
        actor=actor,
        request=request,
        target=meeting,
        data={"starts_at": meeting.starts_at.isoformat(), "mode": meeting.mode},
    )
    _notify(meeting, "proposed", recipient_id=mentorship.other_person_id(actor.pk))
    return meeting


def _locked_meeting(meeting: Meeting) -> Meeting:
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    meeting.status = locked.status
    meeting.proposed_by_id = locked.proposed_by_id
    meeting.sequence = locked.sequence
    return meeting


@transaction.atomic
def accept_meeting(*, meeting: Meeting, actor: User, request: HttpRequest | None = None) -> Meeting:
    """The invited person accepts; both get the confirmed invitation."""
    mentorship = meeting.mentorship
    require_active(lock_pair(mentorship))
    _require_member(mentorship, actor)
    _locked_meeting(meeting)
    if meeting.status != MeetingStatus.PROPOSED:
        raise DomainError(_("Only a proposed meeting can be accepted."))
    if meeting.proposed_by_id == actor.pk:
        raise DomainError(_("The other person must accept the meeting you proposed."))
    if meeting.starts_at <= timezone.now():
        raise DomainError(_("This meeting's time has passed: propose a new time instead."))
    meeting.status = MeetingStatus.ACCEPTED
    meeting.accepted_at = timezone.now()
    meeting.sequence += 1
    meeting.save(update_fields=["status", "accepted_at", "sequence"])
    audit_pair("meeting.accepted", mentorship, actor=actor, request=request, target=meeting)
    _notify(meeting, "accepted", recipient_id=mentorship.other_person_id(actor.pk))
    _notify(meeting, "accepted", recipient_id=actor.pk)
    return meeting


@transaction.atomic
def reschedule_meeting(
    *,
    meeting: Meeting,
    data: MeetingData,
    actor: User,
    request: HttpRequest | None = None,
) -> Meeting:
    """Move a meeting: it becomes a proposal from `actor` again, with the same UID."""
    mentorship = meeting.mentorship
    require_active(lock_pair(mentorship))
    _require_member(mentorship, actor)
    _locked_meeting(meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        raise DomainError(_("A cancelled meeting cannot be rescheduled: propose a new one."))
    if hasattr(meeting, "log"):
        raise DomainError(_("This meeting has a session log: it cannot be moved."))
    now = timezone.now()
    _check(data, now=now)
    _check_minor_policy(mentorship, data)
    previous = meeting.starts_at
    _apply(meeting, data)
    meeting.status = MeetingStatus.PROPOSED
    meeting.proposed_by = actor
    meeting.proposed_at = now
    meeting.accepted_at = None
    meeting.sequence += 1
    meeting.save()
    audit_pair(
        "meeting.rescheduled",
        mentorship,
        actor=actor,
        request=request,
        target=meeting,
        data={"from": previous.isoformat(), "to": meeting.starts_at.isoformat()},
    )
    _notify(meeting, "rescheduled", recipient_id=mentorship.other_person_id(actor.pk))
    return meeting


@transaction.atomic
def cancel_meeting(
    *, meeting: Meeting, reason: str = "", actor: User, request: HttpRequest | None = None
) -> Meeting:
    """Cancel (or decline) a meeting; the other person's calendar drops the event."""
    mentorship = meeting.mentorship
    _require_member(mentorship, actor)
    _locked_meeting(meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        raise DomainError(_("This meeting is already cancelled."))
    if hasattr(meeting, "log"):
        raise DomainError(_("This meeting has a session log: it took place."))
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_at = timezone.now()
    meeting.cancelled_by = actor
    meeting.cancel_reason = reason.strip()[:300]
    meeting.sequence += 1
    meeting.save(
        update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason", "sequence"]
    )
    audit_pair("meeting.cancelled", mentorship, actor=actor, request=request, target=meeting)
    _notify(meeting, "cancelled", recipient_id=mentorship.other_person_id(actor.pk))
    return meeting


@transaction.atomic
def log_session(
    *,
    meeting: Meeting,
    duration_minutes: int,
    topics: str,
    shared_notes: str = "",
    private_note: str = "",
    actor: User,
    request: HttpRequest | None = None,
) -> SessionLog:
    """Write (or update) the log of a meeting that took place, and the actor's own
    private note. The first log of a pair triggers the "after the first meeting"
    check-in."""
    mentorship = meeting.mentorship
    require_active(lock_pair(mentorship))
    _require_member(mentorship, actor)
    _locked_meeting(meeting)
    now = timezone.now()
    if meeting.status != MeetingStatus.ACCEPTED:
        raise DomainError(_("Only an accepted meeting can be logged."))
    if meeting.starts_at > now:
        raise DomainError(_("This meeting has not started yet: log it afterwards."))
    if not 5 <= duration_minutes <= 600:
        raise DomainError(_("Duration: between 5 minutes and 10 hours."))
    if not topics.strip():
        raise DomainError(_("Topics: say in a few words what you talked about."))
    first = not SessionLog.objects.filter(mentorship=mentorship).exists()
    log, created = SessionLog.objects.update_or_create(
        meeting=meeting,
        defaults={
            "mentorship": mentorship,
            "duration_minutes": duration_minutes,
            "topics": topics.strip(),
            "shared_notes": shared_notes.strip(),
        },
    )
    if created:
        log.written_by = actor
        log.save(update_fields=["written_by"])
    if private_note.strip():
        PrivateNote.objects.update_or_create(
            session_log=log, author=actor, defaults={"text": private_note.strip()}
        )
    else:
        PrivateNote.objects.filter(session_log=log, author=actor).delete()
    # The audit entry says that a note exists, never what it says.
    audit_pair(
        "session.logged" if created else "session.updated",
        mentorship,
        actor=actor,
        request=request,
        target=log,
        data={"minutes": duration_minutes},
    )
    if first:
        create_check_ins(mentorship=mentorship, occasion=CheckInOccasion.FIRST_MEETING, now=now)
    return log


# Calendar feed -----------------------------------------------------------------------------


def _new_token() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def calendar_feed_for(*, user: User) -> CalendarFeed:
    """The person's calendar feed, created on first use."""
    feed, _created = CalendarFeed.objects.get_or_create(
        user=user, defaults={"token": _new_token(), "created_at": timezone.now()}
    )
    return feed


@transaction.atomic
def reset_calendar_feed(*, user: User, request: HttpRequest | None = None) -> CalendarFeed:
    """Replace the secret token: the old address stops working at once."""
    feed = calendar_feed_for(user=user)
    feed.token = _new_token()
    feed.created_at = timezone.now()
    feed.save(update_fields=["token", "created_at"])
    record(action="mentorships.calendar.reset", actor=user, request=request)
    return feed
