"""The home page reads its counts in one statement, and they are never stale.

`home_figures` gathers the to-do counts, the unread messages (to-do line and menu badge)
and the counts of the matching and opportunities sections in one SELECT of scalar
subqueries; the menu's badge reuses it instead of counting again, and other pages count
the badge once (issue 23: it was counted twice on the home, in two statements each).
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentorat.conversations.services import mark_read, post_message
from tests.mentorships.factories import MentorshipFactory, RunningEditionFactory
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.django_db

BADGE = re.compile(r'class="badge badge-info">(\d+)<span class="visually-hidden">')


def _get(client, url: str) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in queries]


def _unread_counts(statements: list[str]) -> list[str]:
    """The statements counting unread messages (threads and messages to a cohort)."""
    return [sql for sql in statements if "announcements_announcementrecipient" in sql]


def _badge(page: str) -> int:
    found = BADGE.search(page)
    return int(found.group(1)) if found else 0


def test_unread_messages_are_counted_once_and_follow_each_write(client_for, cast):
    pair = MentorshipFactory(
        edition=RunningEditionFactory(program=ProgramFactory(organization=cast.org_a)),
        mentor=cast.mentor,
        mentee=cast.mentee,
    )
    client = client_for(cast.mentee)
    page, _ = _get(client, "/")
    assert _badge(page) == 0
    assert 'data-kind="messages"' not in page

    first = post_message(mentorship=pair, author=cast.mentor, body="Bonjour")
    page, statements = _get(client, "/")
    assert _badge(page) == 1
    assert 'data-kind="messages"' in page
    [counts] = _unread_counts(statements)
    assert "conversations_thread" in counts
    workspace, statements = _get(client, reverse("mentorships:workspace", args=[pair.pk]))
    assert _badge(workspace) == 1
    [counts] = _unread_counts(statements)
    assert "conversations_thread" in counts

    mark_read(thread=first.thread, user=cast.mentee, until_id=first.pk)
    page, _ = _get(client, "/")
    assert _badge(page) == 0
    assert 'data-kind="messages"' not in page


def test_the_home_counts_are_one_statement(client_for, cast):
    """However many kinds of pending action: one statement counts them all."""
    _, statements = _get(client_for(cast.mentor), "/")
    counting = [sql for sql in statements if "mentorships_checkin" in sql]
    assert len(counting) == 1
    [figures] = counting
    for table in (
        "mentorships_meeting",
        "matching_mentorrequest",
        "announcements_announcementrecipient",
        "opportunities_opportunity",
    ):
        assert table in figures
