"""Meetings through the pages: propose, accept, reschedule, cancel, log; invitations
with an `.ics` that keeps its UID; the private calendar feed; time zones."""

from datetime import UTC, datetime, timedelta

import icalendar
import pytest
import time_machine
from django.core.cache import cache
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from mentorat.audit.models import AuditEntry, SecurityEvent
from mentorat.audit.pseudonyms import pseudonym_for
from mentorat.mentorships.models import Meeting, MeetingStatus, PrivateNote, SessionLog
from tests.mentorships.factories import MeetingFactory
from tests.mentorships.permission_cases import pair_of_a

# A fixed Wednesday, 10:00 in Paris (08:00 UTC, summer time).
NOW = datetime(2026, 6, 3, 8, 0, tzinfo=UTC)


def _events(payload: bytes) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(payload)
    return list(calendar.walk("VEVENT"))


def _ics_attachment(message) -> bytes:
    [(filename, content, mimetype)] = message.attachments
    assert filename == "invitation.ics"
    assert mimetype == "text/calendar"
    return content.encode() if isinstance(content, str) else content


def _propose(client, mentorship, **overrides):
    data = {
        "starts_at": "2026-06-10T18:30",
        "duration_minutes": "60",
        "mode": "in_person",
        "place": "Café de la gare, Lyon",
        "agenda": "Relire le CV",
    } | overrides
    return client.post(reverse("mentorships:meeting_propose", kwargs={"pk": mentorship.pk}), data)


@pytest.fixture
def pair(cast):
    return pair_of_a(cast)


@time_machine.travel(NOW, tick=False)
def test_mentor_proposes_mentee_accepts_with_ics_in_local_time(cast, client_for, pair, mailoutbox):
    client = client_for(cast.mentor)
    client.cookies["django_language"] = "fr"
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = _propose(client, pair)
    assert response.status_code == 302
    meeting = Meeting.objects.get(mentorship=pair)
    # 18:30 typed by a person in Paris is 16:30 UTC in June.
    assert meeting.starts_at == datetime(2026, 6, 10, 16, 30, tzinfo=UTC)
    assert meeting.status == MeetingStatus.PROPOSED
    [invitation] = mailoutbox
    assert invitation.to == [cast.mentee.email]
    assert "18:30" in invitation.body  # shown in the mentee's time zone
    [event] = _events(_ics_attachment(invitation))
    assert str(event["uid"]) == f"{meeting.uid}@mentorat"
    assert event.decoded("dtstart") == datetime(2026, 6, 10, 16, 30, tzinfo=UTC)
    assert str(event["location"]) == "Café de la gare, Lyon"
    assert str(event["status"]) == "TENTATIVE"
    # Nobody's email but the recipient's own appears in the invitation.
    assert cast.mentor.email not in _ics_attachment(invitation).decode()

    # The mentor cannot accept their own proposal.
    accept_url = reverse(
        "mentorships:meeting_accept", kwargs={"pk": pair.pk, "meeting_pk": meeting.pk}
    )
    page = client.post(accept_url, follow=True)
    assert escape("L'autre personne doit accepter la rencontre que vous avez proposée.") in (
        page.content.decode()
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PROPOSED

    mailoutbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        client_for(cast.mentee).post(accept_url)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.ACCEPTED
    assert sorted(m.to[0] for m in mailoutbox) == sorted([cast.mentor.email, cast.mentee.email])
    [event] = _events(_ics_attachment(mailoutbox[0]))
    assert str(event["status"]) == "CONFIRMED"
    assert AuditEntry.objects.filter(action="mentorships.meeting.accepted").count() == 1


@time_machine.travel(NOW, tick=False)
def test_reschedule_keeps_uid_and_bumps_sequence(cast, client_for, pair, mailoutbox):
    meeting = MeetingFactory(mentorship=pair, starts_at=NOW + timedelta(days=2))
    url = reverse(
        "mentorships:meeting_reschedule", kwargs={"pk": pair.pk, "meeting_pk": meeting.pk}
    )
    client = client_for(cast.mentee)
    form = client.get(url)
    # The form shows the current time in Paris time (08:00 UTC → 10:00).
    assert 'value="2026-06-05T10:00"' in form.content.decode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            url,
            {
                "starts_at": "2026-06-12T09:00",
                "duration_minutes": "45",
                "mode": "video",
                "video_url": "https://visio.example.org/room",
            },
        )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PROPOSED  # the mentor must accept the new time
    assert meeting.proposed_by == cast.mentee
    [message] = mailoutbox
    assert message.to == [cast.mentor.email]
    [event] = _events(_ics_attachment(message))
    assert str(event["uid"]) == f"{meeting.uid}@mentorat"
    assert event["sequence"] == 1
    assert event.decoded("dtstart") == datetime(2026, 6, 12, 7, 0, tzinfo=UTC)

    with TestCase.captureOnCommitCallbacks(execute=True):
        client_for(cast.mentor).post(
            reverse("mentorships:meeting_cancel", kwargs={"pk": pair.pk, "meeting_pk": meeting.pk}),
            {"reason": "Empêchement"},
        )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    calendar = icalendar.Calendar.from_ical(_ics_attachment(mailoutbox[-1]))
    assert str(calendar["method"]) == "CANCEL"
    [event] = calendar.walk("VEVENT")
    assert str(event["uid"]) == f"{meeting.uid}@mentorat"
    assert event["sequence"] == 2
    assert str(event["status"]) == "CANCELLED"


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"starts_at": "2026-06-01T10:00"}, "choose a moment in the future"),
        ({"starts_at": "pas une date"}, "Enter a valid date/time"),
        ({"place": ""}, "Place: say where you will meet."),
        ({"mode": "video", "place": ""}, "Video link: give the address of the video call."),
    ],
)
def test_bad_meeting_input_is_refused_with_a_clear_message(
    cast, client_for, pair, overrides, message, settings
):
    settings.LANGUAGE_CODE = "en"
    client = client_for(cast.mentor)
    client.cookies["django_language"] = "en"
    response = _propose(client, pair, **overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Meeting.objects.exists()


def test_session_log_private_note_is_for_its_author_only(cast, client_for, pair):
    meeting = MeetingFactory(mentorship=pair, starts_at=timezone.now() - timedelta(hours=2))
    url = reverse("mentorships:session_log", kwargs={"pk": pair.pk, "meeting_pk": meeting.pk})
    response = client_for(cast.mentor).post(
        url,
        {
            "duration_minutes": "75",
            "topics": "Entretien blanc",
            "shared_notes": "Préparer trois questions.",
            "private_note": "Semble stressée par les entretiens.",
        },
    )
    workspace = reverse("mentorships:workspace", kwargs={"pk": pair.pk}) + "?tab=meetings"
    assert (response.status_code, response["Location"]) == (302, workspace)
    log = SessionLog.objects.get(meeting=meeting)
    assert log.duration_minutes == 75
    assert PrivateNote.objects.get(session_log=log).author == cast.mentor

    mentor_page = client_for(cast.mentor).get(workspace).content.decode()
    assert "Semble stressée par les entretiens." in mentor_page
    assert "Préparer trois questions." in mentor_page
    mentee_page = client_for(cast.mentee).get(workspace).content.decode()
    assert "Préparer trois questions." in mentee_page
    assert "Semble stressée" not in mentee_page
    # The mentee's own log form does not show the mentor's note either.
    assert "Semble stressée" not in client_for(cast.mentee).get(url).content.decode()
    for staff in (cast.coordinator_a, cast.admin_a, cast.platform_admin):
        summary = client_for(staff).get(workspace)
        assert summary.status_code == 200
        page = summary.content.decode()
        assert "Entretien blanc" in page  # topics are part of the summary
        assert "Semble stressée" not in page
        assert "Préparer trois questions." not in page  # shared with the pair, not staff
    audit = AuditEntry.objects.get(action="mentorships.session.logged")
    assert "Semble" not in str(audit.data)


def test_a_future_meeting_cannot_be_logged(cast, client_for, pair):
    meeting = MeetingFactory(mentorship=pair, starts_at=timezone.now() + timedelta(days=1))
    response = client_for(cast.mentee).post(
        reverse("mentorships:session_log", kwargs={"pk": pair.pk, "meeting_pk": meeting.pk}),
        {"duration_minutes": "60", "topics": "CV"},
    )
    assert response.status_code == 200
    assert not SessionLog.objects.exists()


def test_calendar_feed_lists_meetings_and_reset_kills_old_address(cast, client_for, pair):
    meeting = MeetingFactory(mentorship=pair)
    cancelled = MeetingFactory(mentorship=pair, status=MeetingStatus.CANCELLED, sequence=3)
    client = client_for(cast.mentee)
    page = client.get(reverse("mentorships:calendar")).content.decode()
    feed = cast.mentee.calendar_feed
    url = reverse("mentorships:calendar_feed", kwargs={"token": feed.token})
    assert url in page
    assert len(feed.token) >= 43  # 32 random bytes

    anonymous = client_for(None)
    response = anonymous.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = {str(e["uid"]): e for e in _events(response.content)}
    assert set(events) == {f"{meeting.uid}@mentorat", f"{cancelled.uid}@mentorat"}
    assert str(events[f"{cancelled.uid}@mentorat"]["status"]) == "CANCELLED"
    assert events[f"{cancelled.uid}@mentorat"]["sequence"] == 3

    client_for(cast.mentee).post(reverse("mentorships:calendar_reset"))
    assert client_for(None).get(url).status_code == 404
    cast.mentee.calendar_feed.refresh_from_db()
    new_url = reverse(
        "mentorships:calendar_feed", kwargs={"token": cast.mentee.calendar_feed.token}
    )
    assert client_for(None).get(new_url).status_code == 200


def test_unknown_calendar_token_is_404(client_for, db):
    response = client_for(None).get(
        reverse("mentorships:calendar_feed", kwargs={"token": "x" * 43})
    )
    assert response.status_code == 404


def test_other_organisation_coordinator_gets_404_in_the_security_log(cast, client_for, pair):
    cache.clear()
    response = client_for(cast.coordinator_b).get(
        reverse("mentorships:workspace", kwargs={"pk": pair.pk})
    )
    assert response.status_code == 404
    event = SecurityEvent.objects.get(kind="access.mentorship.denied")
    assert event.user_pseudonym == pseudonym_for(cast.coordinator_b.pk)
    assert not AuditEntry.objects.filter(action="access.mentorship.denied").exists()
