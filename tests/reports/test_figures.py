"""The pure maths of the reports, on values computed by hand."""

from datetime import date

import pytest
from django.utils.translation import override

from mentorat.reports.figures import (
    Figure,
    Status,
    Unit,
    average,
    count,
    cumulative,
    month_range,
    nps,
    objective_status,
    per_pair_month,
    share,
)


@pytest.mark.parametrize(
    ("figure", "english", "french"),
    [
        (count(0), "0", "0"),
        (count(4), "< 5", "< 5"),
        (count(12345), "12,345", "12\xa0345"),
        (share(5, 12), "42%", "42\u202f%"),  # 41.67 rounds up
        (share(0, 0), "—", "—"),
        (share(3, 4), "< 5", "< 5"),  # computed over 4 people: hidden
        (average(29, 8, unit=Unit.SCORE), "3.6/5", "3,6/5"),
        (Figure(-12.5, 40, Unit.NPS), "-13", "-13"),
        (Figure(25, 8, Unit.NPS), "+25", "+25"),
        (Figure(None, 0, Unit.PERCENT, available=False), "not available yet", None),
    ],
)
def test_display(figure, english, french):
    with override("en"):
        assert figure.display() == english
    if french is not None:
        with override("fr"):
            assert figure.display() == french


def test_half_percent_rounds_up():
    with override("en"):
        assert share(1, 8).display() == "13%"  # 12.5 %


def test_suppression_hides_the_value_everywhere():
    hidden = share(2, 3)
    assert hidden.suppressed
    assert hidden.shown_value is None
    assert hidden.value == pytest.approx(66.67, abs=0.01)
    assert not count(0).suppressed
    assert not count(5).suppressed


def test_nps_and_meetings_per_pair_month():
    assert nps(promoters=4, detractors=2, respondents=8) == 25
    assert nps(promoters=0, detractors=3, respondents=3) == -100
    assert nps(promoters=0, detractors=0, respondents=0) is None
    # 26 meetings over 859 pair-days (28.22 months of 30.4375 days).
    assert per_pair_month(meetings=26, pair_days=859) == pytest.approx(0.9213, abs=1e-4)
    assert per_pair_month(meetings=3, pair_days=0) is None


def test_months_and_running_totals():
    months = month_range(date(2025, 11, 20), date(2026, 2, 3))
    assert months == [date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]
    assert cumulative({date(2025, 11, 1): 3, date(2026, 1, 1): 2}, months) == [3, 3, 5, 5]


@pytest.mark.parametrize(
    ("value", "target", "deadline", "expected"),
    [
        (80, 80, date(2026, 12, 31), Status.REACHED),
        (79, 80, date(2026, 6, 1), Status.MISSED),
        (None, 80, None, Status.UNKNOWN),
        (10, 80, None, Status.ON_TRACK),  # no period: never late
        # On 2 July, 182 of the 364 days from 1 January to 31 December 2026 are gone
        # (50 %): 15 of 30 is on track, 12 of 30 (40 %) at risk, 11 of 30 (36.7 %) late.
        (15, 30, date(2026, 12, 31), Status.ON_TRACK),
        (12, 30, date(2026, 12, 31), Status.AT_RISK),
        (11, 30, date(2026, 12, 31), Status.LATE),
        # Shares follow the same rule: 40 of a target of 80 % is half way.
        (40, 80, date(2026, 12, 31), Status.ON_TRACK),
        (79, 80, date(2026, 12, 31), Status.ON_TRACK),
    ],
)
def test_objective_status(value, target, deadline, expected):
    standing = objective_status(
        value=value,
        target=target,
        deadline=deadline,
        today=date(2026, 7, 2),
        started_on=date(2026, 1, 1),
    )
    assert standing.status == expected
