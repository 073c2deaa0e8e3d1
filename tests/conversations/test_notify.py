"""New-message emails and daily digests (`mentorat.conversations.notify`): sent once,
after the delay, to the readers who have not read, never with content for minors."""

import io
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import TestCase

from mentorat.accounts.models import User
from mentorat.conversations.links import thread_link_user
from mentorat.conversations.models import Message, ReadState, Thread, ThreadMember
from mentorat.conversations.notify import DIGEST_EMAILS, NEW_MESSAGE_EMAILS
from mentorat.conversations.tasks import notify_new_message
from mentorat.mentorships.models import Mentorship
from mentorat.notifications import services
from mentorat.notifications.kinds import MessageFrequency
from mentorat.notifications.models import DeliveryStatus, EmailDelivery
from tests.factories import UserFactory
from tests.mentorships.factories import MentorshipFactory

pytestmark = pytest.mark.django_db

T0 = datetime.fromisoformat("2026-03-02T09:00:00+01:00")
DELAY = timedelta(seconds=900)
SECRET = "Mon numéro perso est le 06 12 34 56 78"


def _pair(*, minor: bool = False) -> Mentorship:
    mentorship = MentorshipFactory(
        mentor=UserFactory(first_name="Paul", last_name="Mentor", email="mentor@example.org"),
        mentee=UserFactory(first_name="Léa", last_name="Mentee", email="mentee@example.org"),
    )
    if minor:
        mentorship.mentee_application.is_minor = True
        mentorship.mentee_application.save(update_fields=["is_minor"])
    return mentorship


def _post(thread: Thread, author: User, body: str, at: datetime) -> Message:
    with time_machine.travel(at, tick=False):
        message = Message.objects.create(thread=thread, author=author, body=body)
        Thread.objects.filter(pk=thread.pk).update(last_message_at=message.created_at)
        ReadState.objects.update_or_create(
            thread=thread, user=author, defaults={"last_read_at": message.created_at}
        )
    return message


def _read(thread: Thread, user: User, at: datetime) -> None:
    ReadState.objects.update_or_create(thread=thread, user=user, defaults={"last_read_at": at})


def _run_task(message: Message, at: datetime) -> list:
    before = len(mail.outbox)
    with time_machine.travel(at, tick=False), TestCase.captureOnCommitCallbacks(execute=True):
        notify_new_message.enqueue(message.pk)
    return mail.outbox[before:]


def test_one_email_after_the_delay_to_unread_readers_only_and_never_twice():
    mentorship = _pair()
    coordinator = UserFactory(email="coord@example.org")
    thread = Thread.objects.create(mentorship=mentorship)
    ThreadMember.objects.create(thread=thread, user=coordinator)
    first = _post(thread, mentorship.mentor, SECRET, T0)
    second = _post(thread, mentorship.mentor, "Et on se voit jeudi ?", T0 + timedelta(minutes=1))
    _read(thread, coordinator, T0 + timedelta(minutes=5))  # the coordinator has read both

    sent = _run_task(first, T0 + DELAY)
    assert [email.to for email in sent] == [["mentee@example.org"]]  # not the author
    [email] = sent
    assert "Paul Mentor" in email.subject
    assert SECRET in email.body
    assert "jeudi" in email.body
    url = next(line for line in email.body.split() if "?t=" in line)
    token = url.split("?t=")[1]
    assert thread_link_user(token, mentorship_id=mentorship.pk) == mentorship.mentee.pk
    assert thread_link_user(token, mentorship_id=mentorship.pk + 1) is None
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # The second message's task, a re-run of the first (worker killed, retried): nothing.
    assert _run_task(second, T0 + DELAY + timedelta(minutes=1)) == []
    assert _run_task(first, T0 + DELAY + timedelta(minutes=2)) == []
    state = ReadState.objects.get(thread=thread, user=mentorship.mentee)
    assert state.notified_until == second.created_at
    assert EmailDelivery.objects.get(purpose=NEW_MESSAGE_EMAILS).status == DeliveryStatus.SENT

    # A later message is news again: for the coordinator, who has not read it; not for
    # the mentee, who read it before the delay ran out.
    third = _post(thread, mentorship.mentor, "Tu as vu ?", T0 + timedelta(hours=2))
    _read(thread, mentorship.mentee, T0 + timedelta(hours=2, minutes=3))
    [email] = _run_task(third, T0 + timedelta(hours=2) + DELAY)
    assert email.to == ["coord@example.org"]
    assert "Tu as vu ?" in email.body
    assert SECRET not in email.body


def test_a_minors_thread_email_holds_no_content_nor_names():
    mentorship = _pair(minor=True)
    thread = Thread.objects.create(mentorship=mentorship)
    message = _post(thread, mentorship.mentor, SECRET, T0)
    [email] = _run_task(message, T0 + DELAY)
    [(html, _mimetype)] = email.alternatives
    for part in (email.subject, email.body, html):
        assert SECRET not in part
        assert "Paul" not in part
        assert "Mentor " not in part
    assert "mentor" in email.body.lower()  # "a new message from your mentor"
    assert "?t=" in email.body


def test_the_schools_staff_are_not_emailed_until_they_join(cast):
    mentorship = _pair(minor=True)
    program = mentorship.edition.program
    program.organization = cast.org_a
    program.save(update_fields=["organization"])
    thread = Thread.objects.create(mentorship=mentorship)
    message = _post(thread, mentorship.mentee, SECRET, T0)
    sent = _run_task(message, T0 + DELAY)
    assert [email.to for email in sent] == [["mentor@example.org"]]


def test_a_removed_message_and_other_frequencies_are_not_emailed():
    mentorship = _pair()
    thread = Thread.objects.create(mentorship=mentorship)
    services.set_preferences(
        user=mentorship.mentee, turned_off=(), message_frequency=MessageFrequency.DAILY
    )
    message = _post(thread, mentorship.mentor, SECRET, T0)
    assert _run_task(message, T0 + DELAY) == []
    removed = _post(thread, mentorship.mentee, "oups", T0)
    Message.objects.filter(pk=removed.pk).update(removed_at=T0 + timedelta(minutes=1))
    assert _run_task(removed, T0 + DELAY) == []


def _digests(at: datetime) -> list:
    before = len(mail.outbox)
    with time_machine.travel(at, tick=False):
        call_command("send_message_digests", stdout=io.StringIO())
    return mail.outbox[before:]


def test_daily_digest_once_per_day_without_content_for_minors():
    adults = _pair()
    minors = MentorshipFactory(
        mentor=adults.mentor, mentee=UserFactory(first_name="Zoé", email="zoe@example.org")
    )
    minors.mentee_application.is_minor = True
    minors.mentee_application.save(update_fields=["is_minor"])
    mentor = adults.mentor
    services.set_preferences(user=mentor, turned_off=(), message_frequency=MessageFrequency.DAILY)
    adult_thread = Thread.objects.create(mentorship=adults)
    minor_thread = Thread.objects.create(mentorship=minors)
    _post(adult_thread, adults.mentee, "Merci pour hier", T0)
    _post(minor_thread, minors.mentee, SECRET, T0 + timedelta(minutes=1))
    _post(minor_thread, minors.mentee, SECRET, T0 + timedelta(minutes=2))

    evening = T0 + timedelta(hours=10)
    sent = [e for e in _digests(evening) if e.to == [mentor.email]]
    assert len(sent) == 1
    [digest] = sent
    [(html, _mimetype)] = digest.alternatives
    assert "Merci pour hier" in digest.body  # adults' thread: content
    for part in (digest.subject, digest.body, html):
        assert SECRET not in part
        assert "Zoé" not in part
    assert digest.body.count("?t=") == 2
    assert "3" in digest.subject  # three unread messages

    # Run again the same day, or the next day with nothing new: nothing.
    assert _digests(evening + timedelta(minutes=5)) == []
    assert _digests(evening + timedelta(days=1)) == []
    # New message, next day: one digest with that thread only.
    _post(adult_thread, adults.mentee, "Bonne semaine", evening + timedelta(hours=1))
    [again] = [e for e in _digests(evening + timedelta(days=1, hours=1)) if e.to == [mentor.email]]
    assert "Bonne semaine" in again.body
    assert "Merci pour hier" not in again.body
    assert again.body.count("?t=") == 1
    assert EmailDelivery.objects.filter(purpose=DIGEST_EMAILS, recipient=mentor.email).count() == 2


def test_digest_respects_never_and_immediately():
    mentorship = _pair()
    thread = Thread.objects.create(mentorship=mentorship)
    services.set_preferences(
        user=mentorship.mentee, turned_off=(), message_frequency=MessageFrequency.NEVER
    )
    _post(thread, mentorship.mentor, SECRET, T0)
    _post(thread, mentorship.mentee, "Salut", T0)
    assert _digests(T0 + timedelta(hours=10)) == []  # never, and immediately (the default)
