"""Reports count pairs per health state in the database (`health_state_counts`); the
follow-up pages compute each pair's `Health` in Python (`compute_health`). On pairs
drawn at random around every threshold of the rules (rhythms of 0, 1, 2 and 4 meetings a
month, meetings just before and after local midnight, proposals waiting 5 to 8 days,
every satisfaction of each person, older check-ins saying otherwise, pairs not started
yet or ended), both must give every pair the same state."""

import random
from collections import Counter
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from mentorat.mentorships.health import HealthState
from mentorat.mentorships.models import MeetingStatus, Mentorship, MentorshipStatus
from mentorat.mentorships.selectors import active_pairs_health, health_state_counts
from tests.mentorships.factories import CheckInFactory, MeetingFactory, MentorshipFactory
from tests.programs.factories import EditionFactory, ProgramFactory

RHYTHMS = (0, 1, 2, 4)  # expected intervals of 30, 30, 15 and 8 days
# Days around the thresholds: 8, 15 and 30 days, twice those, and a week of proposal.
DAYS = (0, 1, 5, 6, 7, 8, 9, 14, 15, 16, 17, 29, 30, 31, 32, 59, 60, 61, 62, 90)
# Local times just after and just before midnight (the rules count local days).
HOURS = (time(0, 30), time(12, 0), time(23, 30))


def _local(day, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def _pairs(program, *, count: int, seed: int) -> None:
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    editions = [
        EditionFactory(program=program, meetings_per_month=rhythm, name=f"Rythme {rhythm}")
        for rhythm in RHYTHMS
    ]
    for _ in range(count):
        started = rng.choice((-3, *DAYS))  # negative: starts in three days
        pair = MentorshipFactory(
            edition=rng.choice(editions),
            started_on=today - timedelta(days=started),
            status=MentorshipStatus.ENDED if rng.random() < 0.1 else MentorshipStatus.ACTIVE,
        )
        if rng.random() < 0.7:  # meetings held, the last one some days ago
            for _ in range(rng.randint(1, 2)):
                day = today - timedelta(days=rng.choice(DAYS))
                at = _local(day, rng.choice(HOURS))
                MeetingFactory(mentorship=pair, starts_at=min(at, now - timedelta(minutes=1)))
        if rng.random() < 0.3:  # a meeting planned
            MeetingFactory(mentorship=pair, starts_at=now + timedelta(days=rng.randint(1, 20)))
        if rng.random() < 0.3:  # a meeting cancelled: never counts
            MeetingFactory(
                mentorship=pair,
                starts_at=now - timedelta(days=3),
                status=MeetingStatus.CANCELLED,
                proposed_at=now - timedelta(days=60),
            )
        if rng.random() < 0.4:  # a proposal waiting for an answer
            waited = rng.choice((0, 5, 6, 7, 8, 30))
            MeetingFactory(
                mentorship=pair,
                starts_at=now + timedelta(days=10),
                status=MeetingStatus.PROPOSED,
                proposed_at=min(_local(today - timedelta(days=waited), rng.choice(HOURS)), now),
            )
        for role, person in (("mentor", pair.mentor), ("mentee", pair.mentee)):
            # An older answer first, then the latest one (possibly without a score).
            for period, score in enumerate((rng.randint(1, 5), rng.choice((None, 1, 2, 3, 4, 5)))):
                if rng.random() < 0.3:
                    continue
                CheckInFactory(
                    mentorship=pair,
                    respondent=person,
                    role=role,
                    period=period + 1,
                    sent_at=now - timedelta(days=20 - 10 * period),
                    answered_at=now - timedelta(days=19 - 10 * period),
                    satisfaction=score,
                )


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2])
def test_counted_states_are_those_of_compute_health(cast, frozen, seed):
    program = ProgramFactory(organization=cast.org_a)
    _pairs(program, count=90, seed=seed)
    pairs = Mentorship.objects.filter(edition__program=program)
    now = timezone.now()

    expected = {row.mentorship.pk: row.state for row in active_pairs_health(pairs, now=now)}
    # Pair by pair, so that two mistakes cannot cancel out in the totals.
    for pk, state in expected.items():
        counted = health_state_counts(pairs.filter(pk=pk), editions=program.editions.all(), now=now)
        assert counted == {s: int(s == state) for s in HealthState}, (pk, state, counted)
    totals = health_state_counts(pairs, editions=program.editions.all(), now=now)
    assert totals == {s: Counter(expected.values())[s] for s in HealthState}
    # The draw reaches every state, and ended pairs are left out.
    assert all(totals.values())
    assert sum(totals.values()) == pairs.filter(status=MentorshipStatus.ACTIVE).count()
