"""The pure health rules: every state, its reason in words, and the rhythm."""

from datetime import date, timedelta

import pytest
from django.utils import translation

from mentorat.mentorships.health import (
    HealthFacts,
    HealthState,
    compute_health,
    expected_interval_days,
)

TODAY = date(2026, 3, 16)


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("facts", "per_month", "state", "words"),
    [
        (HealthFacts(started_on=TODAY + timedelta(days=3)), 2, HealthState.ON_TRACK, "Starts on"),
        (HealthFacts(started_on=days_ago(10)), 2, HealthState.ON_TRACK, "since the start"),
        (HealthFacts(started_on=days_ago(20)), 2, HealthState.TO_WATCH, "20 days ago"),
        (HealthFacts(started_on=days_ago(31)), 2, HealthState.AT_RISK, "every 15 days"),
        (
            HealthFacts(started_on=days_ago(90), last_meeting_on=days_ago(3)),
            2,
            HealthState.ON_TRACK,
            "Last meeting 3 days ago",
        ),
        (
            HealthFacts(started_on=days_ago(90), last_meeting_on=days_ago(20)),
            2,
            HealthState.TO_WATCH,
            "Last meeting 20 days ago",
        ),
        (
            HealthFacts(started_on=days_ago(90), last_meeting_on=days_ago(20)),
            1,
            HealthState.ON_TRACK,
            "Last meeting 20 days ago",
        ),
        (
            HealthFacts(
                started_on=days_ago(90),
                last_meeting_on=days_ago(20),
                next_meeting_on=TODAY + timedelta(days=2),
            ),
            2,
            HealthState.ON_TRACK,
            "next one is planned",
        ),
        (
            HealthFacts(
                started_on=days_ago(90),
                last_meeting_on=days_ago(45),
                next_meeting_on=TODAY + timedelta(days=2),
            ),
            2,
            HealthState.TO_WATCH,
            "next one is planned",
        ),
        (
            HealthFacts(
                started_on=days_ago(90), last_meeting_on=days_ago(2), mentee_satisfaction=2
            ),
            2,
            HealthState.AT_RISK,
            "Satisfaction of 2/5",
        ),
        (
            HealthFacts(
                started_on=days_ago(90),
                last_meeting_on=days_ago(2),
                mentor_satisfaction=5,
                mentee_satisfaction=3,
            ),
            2,
            HealthState.TO_WATCH,
            "Satisfaction of 3/5",
        ),
        (
            HealthFacts(
                started_on=days_ago(90), last_meeting_on=days_ago(2), oldest_proposal_on=days_ago(8)
            ),
            2,
            HealthState.TO_WATCH,
            "waited 8 days for an answer",
        ),
        (
            HealthFacts(
                started_on=days_ago(90), last_meeting_on=days_ago(2), oldest_proposal_on=days_ago(3)
            ),
            2,
            HealthState.ON_TRACK,
            "Last meeting 2 days ago",
        ),
    ],
)
def test_compute_health(facts, per_month, state, words):
    health = compute_health(facts, per_month, TODAY)
    assert health.state == state
    assert words in health.reason
    if state != HealthState.ON_TRACK:
        assert health.advice  # coordinators are told what to do


def test_the_worst_finding_wins():
    facts = HealthFacts(
        started_on=days_ago(90),
        last_meeting_on=days_ago(50),
        oldest_proposal_on=days_ago(10),
        mentee_satisfaction=3,
    )
    health = compute_health(facts, 2, TODAY)
    assert health.state == HealthState.AT_RISK
    assert health.code == "no_meeting"


@pytest.mark.parametrize(("per_month", "days"), [(1, 30), (2, 15), (4, 8), (0, 30)])
def test_expected_interval(per_month, days):
    assert expected_interval_days(per_month) == days
