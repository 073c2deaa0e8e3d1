"""Messages in the health rules: a message from the pair within the last expected
interval softens "at risk" (long gap without a meeting) to "to watch", never more; the
bulk counts of the reports agree with the pages; the follow-up page states the rule and
keeps a constant number of queries."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from mentorat.conversations.models import Message, Thread
from mentorat.mentorships.health import HealthFacts, HealthState, compute_health
from mentorat.mentorships.selectors import active_pairs_health, health_state_counts
from tests.mentorships.factories import MentorshipFactory
from tests.mentorships.permission_cases import pair_of_a

TODAY = date(2026, 3, 16)


def _ago(n: int) -> date:
    return TODAY - timedelta(days=n)


@pytest.mark.parametrize(
    ("last_meeting", "last_message", "state"),
    [
        (40, None, HealthState.AT_RISK),  # 2 meetings a month: 15-day interval
        (40, 15, HealthState.TO_WATCH),  # a message within the interval softens
        (40, 16, HealthState.AT_RISK),  # an older one does not
        (20, 1, HealthState.TO_WATCH),  # messages never replace a meeting
        (5, 1, HealthState.ON_TRACK),
    ],
)
def test_a_recent_message_softens_a_long_gap_but_never_replaces_a_meeting(
    last_meeting, last_message, state
):
    facts = HealthFacts(
        started_on=_ago(90),
        last_meeting_on=_ago(last_meeting),
        last_message_on=_ago(last_message) if last_message is not None else None,
    )
    with translation.override("en"):
        health = compute_health(facts, 2, TODAY)
    assert health.state == state
    if last_message == 15:
        assert "exchanged messages 15 days ago" in health.reason
        assert health.code == "no_meeting"


def _message(mentorship, author, *, days_ago: int, removed: bool = False) -> Message:
    thread, _created = Thread.objects.get_or_create(mentorship=mentorship)
    message = Message.objects.create(thread=thread, author=author, body="Bonjour")
    at = timezone.now() - timedelta(days=days_ago)
    Message.objects.filter(pk=message.pk).update(
        created_at=at, removed_at=timezone.now() if removed else None
    )
    return message


def test_pages_and_report_counts_agree_on_messages(cast):
    edition = pair_of_a(cast).edition  # 2 meetings a month
    started = timezone.localdate() - timedelta(days=60)  # no meeting: a long gap
    by_mentor, by_mentee, old, removed, by_staff, silent = (
        MentorshipFactory(edition=edition, started_on=started) for _ in range(6)
    )
    _message(by_mentor, by_mentor.mentor, days_ago=3)
    _message(by_mentee, by_mentee.mentee, days_ago=15)
    _message(old, old.mentee, days_ago=16)
    _message(removed, removed.mentor, days_ago=1, removed=True)
    _message(by_staff, cast.coordinator_a, days_ago=1)  # not the pair's own contact
    rows = {
        row.mentorship.pk: row.state
        for row in active_pairs_health(edition.mentorships.all(), now=timezone.now())
    }
    assert rows[by_mentor.pk] == rows[by_mentee.pk] == HealthState.TO_WATCH
    for pair in (old, removed, by_staff, silent):
        assert rows[pair.pk] == HealthState.AT_RISK
    counts = health_state_counts(edition.mentorships.all(), editions=[edition], now=timezone.now())
    for state in HealthState:
        assert counts[state] == sum(1 for s in rows.values() if s == state)


def test_the_follow_up_page_states_the_rule_with_flat_queries(cast, client_for):
    pair = pair_of_a(cast)
    client = client_for(cast.coordinator_a)
    client.cookies["django_language"] = "en"
    url = reverse("mentorships:dashboard", kwargs={"slug": pair.edition.program.slug})
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as few:
        page = client.get(url).content.decode()
    assert "Messages count as contact, with less weight than a meeting" in page
    for _ in range(6):
        other = MentorshipFactory(edition=pair.edition)
        _message(other, other.mentor, days_ago=2)
        _message(other, other.mentee, days_ago=1)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many]
