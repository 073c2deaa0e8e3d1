"""The thread and inbox pages in a number of queries that does not grow with messages or
threads; unread counts (menu, to-do, inbox) and reading; the notification queued after a
delay; erasure deletes the files."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentorat.conversations import services
from mentorat.conversations.models import Attachment
from mentorat.conversations.selectors import inbox, unread_thread_count
from mentorat.conversations.services import mark_read, post_message
from mentorat.privacy.erasure.services import erase_person
from tests.conversations.conftest import upload
from tests.mentorships.factories import MentorshipFactory
from tests.queries import writes

pytestmark = pytest.mark.django_db


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert writes(queries) == [], "no write on GET"
    return len(queries)


def test_thread_and_inbox_queries_do_not_grow(cast, client_for, pair, minors_pair):
    client = client_for(cast.mentor)
    thread_url = reverse("conversations:thread", kwargs={"pk": pair.pk})
    inbox_url = reverse("conversations:inbox")
    post_message(mentorship=pair, author=cast.mentee, body="Un", files=[upload("a.pdf")])
    client.get(thread_url)  # the first request of a session reads a few things once
    before = (_count(client, thread_url), _count(client, inbox_url))
    for n in range(6):
        post_message(mentorship=pair, author=cast.mentee, body=f"**{n}**", files=[upload("b.pdf")])
        other = MentorshipFactory(edition=pair.edition, mentor=cast.mentor)
        post_message(mentorship=other, author=other.mentee, body="Bonjour")
    assert (_count(client, thread_url), _count(client, inbox_url)) == before
    coordinator = client_for(cast.coordinator_a)
    school = reverse("conversations:thread", kwargs={"pk": minors_pair.pk})
    post_message(mentorship=minors_pair, author=cast.minor, body="Un")
    coordinator.get(school)
    first = (_count(coordinator, school), _count(coordinator, inbox_url))
    for _ in range(5):
        post_message(
            mentorship=minors_pair, author=cast.minor, body="Encore", files=[upload("c.pdf")]
        )
    assert (_count(coordinator, school), _count(coordinator, inbox_url)) == first


def test_unread_counts_and_reading(cast, client_for, pair):
    assert unread_thread_count(cast.mentee) == 0
    first = post_message(mentorship=pair, author=cast.mentor, body="Un")
    second = post_message(mentorship=pair, author=cast.mentor, body="Deux")
    assert unread_thread_count(cast.mentee) == 1
    assert unread_thread_count(cast.mentor) == 0  # one's own messages are read
    [line] = inbox(cast.mentee)
    assert line.unread == 2
    home = client_for(cast.mentee).get(reverse("web:home")).content.decode()
    assert 'data-kind="messages"' in home
    # Read up to the first message shown only: the second stays unread.
    mark_read(thread=first.thread, user=cast.mentee, until_id=first.pk)
    assert inbox(cast.mentee)[0].unread == 1
    response = client_for(cast.mentee).post(
        reverse("conversations:mark_read", kwargs={"pk": pair.pk}),
        {"until": str(second.pk)},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert b"hx-swap-oob" in response.content
    assert unread_thread_count(cast.mentee) == 0
    # Older read marks never move the state backwards.
    mark_read(thread=first.thread, user=cast.mentee, until_id=first.pk)
    assert unread_thread_count(cast.mentee) == 0


def test_the_notification_is_queued_after_the_delay(cast, pair, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.MESSAGE_NOTIFICATION_DELAY_SECONDS = 600
    from mentorat.conversations.tasks import notify_new_message

    backend = notify_new_message.get_backend()
    backend.clear()  # type: ignore[attr-defined]
    with TestCase.captureOnCommitCallbacks(execute=True):
        message = post_message(mentorship=pair, author=cast.mentor, body="Un")
    [result] = backend.results  # type: ignore[attr-defined]
    assert result.args == [message.pk]
    assert result.task.run_after is not None
    delay = result.task.run_after - timezone.now()
    assert timedelta(seconds=590) < delay <= timedelta(seconds=600)
    assert services.notification_delay() == timedelta(seconds=600)


def test_erasure_deletes_the_person_s_files(cast, pair, django_capture_on_commit_callbacks):
    message = post_message(
        mentorship=pair, author=cast.mentee, body="Mon CV", files=[upload("cv.pdf")]
    )
    attachment = message.attachments.get()
    storage, name = attachment.file.storage, attachment.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        erase_person(person=cast.mentee, actor=cast.admin_a, reason="request")
    attachment = Attachment.objects.get(pk=attachment.pk)
    assert not attachment.file
    assert not storage.exists(name)
