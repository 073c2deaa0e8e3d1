"""An objective is late only when its progress is behind the elapsed share of its
period (by more than the at-risk band), read over the year with time travel; the
dashboard shows the numbers compared and the rule next to the status."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils.translation import override

from mentorat.programs.models import Objective
from mentorat.reports.figures import AT_RISK_POINTS, Status
from mentorat.reports.indicators import Facts
from mentorat.reports.objectives import program_objectives
from mentorat.reports.scope import Scope


def _recruiting(program) -> Objective:
    # The dataset has 8 accepted mentors: half of a target of 16, over the period from
    # 1 February 2026 (applications open) to 31 December 2026 (333 days).
    return Objective.objects.create(
        program=program,
        indicator="mentors_recruited",
        target=16,
        unit="count",
        deadline=date(2026, 12, 31),
    )


@pytest.mark.parametrize(
    ("day", "expected", "elapsed"),
    [
        (date(2026, 6, 15), Status.ON_TRACK, "40%"),  # 134 / 333 days gone, 50 % done
        (date(2026, 7, 1), Status.ON_TRACK, "45%"),
        (date(2026, 8, 15), Status.AT_RISK, "59%"),  # 8.6 points behind
        (date(2026, 10, 15), Status.LATE, "77%"),  # 26.9 points behind
        (date(2027, 1, 2), Status.MISSED, None),
    ],
)
def test_status_follows_the_elapsed_share_of_the_period(dataset, day, expected, elapsed):
    _recruiting(dataset.program)
    now = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    with time_machine.travel(now, tick=False), override("en"):
        (progress,) = program_objectives(Facts(Scope(program=dataset.program)))
        assert progress.status == expected
        if elapsed is None:
            assert progress.standing.comparison() == "—"
        else:
            assert progress.standing.comparison() == (f"50% of the target, {elapsed} of the time")


def test_a_share_objective_is_not_late_when_ahead_of_time(dataset):
    # 60 % of women among mentees against a target of 70 %: 86 % of the way there,
    # with 40 % of the time gone. It used to read "late" until the target was met.
    Objective.objects.create(
        program=dataset.program,
        indicator="women_share",
        target=70,
        deadline=date(2026, 12, 31),
    )
    (progress,) = program_objectives(Facts(Scope(program=dataset.program)))
    assert progress.status == Status.ON_TRACK


def test_dashboard_shows_the_status_its_numbers_and_the_rule(dataset, cast, client_for):
    _recruiting(dataset.program)
    url = reverse("reports:program", kwargs={"slug": dataset.program.slug})
    with time_machine.travel(datetime(2026, 8, 15, 12, tzinfo=UTC), tick=False):
        client = client_for(cast.coordinator_a)  # signed in on the day, not in June
        client.cookies["django_language"] = "en"
        response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<td>8</td><td>At risk</td><td>50% of the target, 59% of the time</td>" in page
    assert 'aria-describedby="note-objectives"' in page
    assert f"behind time by {AT_RISK_POINTS} points or less" in page
    assert "Late: further behind" in page
