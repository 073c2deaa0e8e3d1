"""The demo's history is dated so that its reports tell a coherent story: applications
are accepted before their pairs start, a run is published before its pairs start,
meetings follow the start of their pair, check-ins follow meetings, outcomes follow the
end; and no month of the coverage chart reads 0 % while meetings were held in it."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from mentorat.demo.loader import load_demo
from mentorat.matching.models import PairIntroduction
from mentorat.mentorships.models import (
    CheckIn,
    CheckInOccasion,
    Meeting,
    MeetingStatus,
    Mentorship,
    Outcome,
    OutcomeStage,
)
from mentorat.programs.models import Program
from mentorat.reports.figures import Figure
from mentorat.reports.indicators import Facts
from mentorat.reports.scope import Scope
from mentorat.reports.tables import activity_table, coverage_over_time_table

pytestmark = pytest.mark.django_db


# Half past midnight in Paris on the first of a month, still the 30th in UTC: dates
# taken from UTC instead of the site's day, or months cut at the wrong place, show.
LOADED_AT = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once for the module (it takes a while), then removed."""
    with (
        django_db_blocker.unblock(),
        time_machine.travel(LOADED_AT, tick=True),
        transaction.atomic(),
    ):
        load_demo()
        yield
        transaction.set_rollback(True)


def _local(moment):
    return timezone.localdate(moment)


def test_pairs_start_after_their_applications_and_their_run(demo):
    pairs = Mentorship.objects.select_related("mentor_application", "mentee_application")
    assert pairs.exists()
    for pair in pairs:
        for application in (pair.mentor_application, pair.mentee_application):
            assert application.accepted_at is not None, pair.pk
            assert _local(application.accepted_at) <= pair.started_on, pair.pk
        if pair.ended_on is not None:
            assert pair.started_on <= pair.ended_on, pair.pk
    introductions = PairIntroduction.objects.select_related("run", "mentorship")
    for introduction in introductions.filter(run__published_at__isnull=False):
        assert _local(introduction.run.published_at) <= introduction.mentorship.started_on


def test_meetings_check_ins_and_outcomes_follow_each_other(demo):
    for meeting in Meeting.objects.select_related("mentorship"):
        assert _local(meeting.starts_at) >= meeting.mentorship.started_on, meeting.pk
    held: dict[int, list] = {}
    for pair_id, starts_at in Meeting.objects.filter(status=MeetingStatus.ACCEPTED).values_list(
        "mentorship_id", "starts_at"
    ):
        held.setdefault(pair_id, []).append(starts_at)
    for check_in in CheckIn.objects.select_related("mentorship"):
        assert _local(check_in.sent_at) >= check_in.mentorship.started_on, check_in.pk
        if check_in.answered_at is not None:
            assert check_in.answered_at >= check_in.sent_at, check_in.pk
        if check_in.occasion == CheckInOccasion.FIRST_MEETING:
            first = min(held.get(check_in.mentorship_id, []), default=None)
            assert first is not None, check_in.pk
            assert first <= check_in.sent_at, check_in.pk
    for outcome in Outcome.objects.select_related("mentorship"):
        ended_on = outcome.mentorship.ended_on
        assert ended_on is not None, outcome.pk
        assert _local(outcome.recorded_at) >= ended_on, outcome.pk
        assert outcome.recorded_at <= timezone.now(), outcome.pk
        if outcome.stage == OutcomeStage.SIX_MONTHS:
            assert (_local(outcome.recorded_at) - ended_on).days >= 180, outcome.pk


def test_every_month_with_meetings_held_has_coverage(demo):
    checked = 0
    for program in Program.objects.all():
        facts = Facts(Scope(program=program))
        coverage = {row[0]: row[3] for row in coverage_over_time_table(facts).rows}
        for month, meetings, _hours, _messages in activity_table(facts).rows:
            assert isinstance(meetings, Figure)
            if not meetings.value:
                continue
            share = coverage.get(month)
            assert isinstance(share, Figure), (program.name, month)
            assert share.value, (program.name, month, share.value)
            checked += 1
    assert checked >= 6  # the running and the past editions' months at least
