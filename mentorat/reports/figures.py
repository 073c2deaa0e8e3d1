"""The figures reports show, and the maths behind them, as pure functions (no database).

Every figure carries the number of people it was computed over, so that small-group
suppression is decided here once: the dashboard, the exports and the PDF only ever show
`Figure.display()`, which hides any figure computed over 1 to 4 people."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from django.utils import formats
from django.utils.translation import gettext as _

from mentorat.lib.formatting import format_percent
from mentorat.lib.small_groups import HIDDEN, is_small

DAYS_PER_MONTH = 30.4375


class Unit(StrEnum):
    COUNT = "count"
    PERCENT = "percent"
    DAYS = "days"
    HOURS = "hours"
    SCORE = "score"  # an average on a 1–5 scale
    NPS = "nps"  # from -100 to 100
    RATE = "rate"  # a plain decimal number (meetings per pair per month, skill levels)


@dataclass(frozen=True)
class Figure:
    """A computed value and the number of people it was computed over.

    `value` is None when there is nothing to compute on (no one in the group);
    `available` is False when the platform does not record the source data yet."""

    value: float | None
    population: int
    unit: Unit
    available: bool = True
    part: int | None = None  # for shares: the number of people counted

    @property
    def suppressed(self) -> bool:
        return is_small(self.population)

    @property
    def shown_value(self) -> float | None:
        """The value a person may see: None when suppressed, missing or unavailable."""
        if not self.available or self.suppressed:
            return None
        return self.value

    def display(self) -> str:
        if not self.available:
            return _("not available yet")
        if self.suppressed:
            return HIDDEN
        if self.value is None:
            return "—"
        return format_value(self.value, self.unit)


def rounded(value: float, places: int = 0) -> Decimal:
    """`value` rounded half up (12.5 % shows as 13 %, as people expect)."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _number(value: float, places: int = 0) -> str:
    return str(
        formats.number_format(rounded(value, places), places, use_l10n=True, force_grouping=True)
    )


def format_value(value: float, unit: Unit) -> str:
    if unit == Unit.COUNT:
        return _number(value)
    if unit == Unit.PERCENT:
        return format_percent(value)
    if unit == Unit.DAYS:
        return _("%(n)s days") % {"n": _number(value)}
    if unit == Unit.HOURS:
        return _("%(n)s h") % {"n": _number(value)}
    if unit == Unit.SCORE:
        return f"{_number(value, 1)}/5"
    if unit == Unit.NPS:
        return f"{rounded(value):+}"
    return _number(value, 1)


def count(n: int) -> Figure:
    """A number of people (hidden from 1 to 4, shown when 0)."""
    return Figure(float(n), n, Unit.COUNT)


def share(part: int, whole: int) -> Figure:
    """`part` out of `whole` people, as a percentage of `whole`."""
    return Figure(percent(part, whole), whole, Unit.PERCENT, part=part)


def percent(part: int, whole: int) -> float | None:
    if whole <= 0:
        return None
    return 100.0 * part / whole


def average(total: float, n: int, *, population: int | None = None, unit: Unit) -> Figure:
    """`total / n` computed over `population` people (default: `n`)."""
    people = n if population is None else population
    return Figure(total / n if n else None, people, unit)


def nps(*, promoters: int, detractors: int, respondents: int) -> float | None:
    """Net promoter score: % of answers 9–10 minus % of answers 0–6, from -100 to 100."""
    if respondents <= 0:
        return None
    return 100.0 * (promoters - detractors) / respondents


def per_pair_month(*, meetings: int, pair_days: float) -> float | None:
    """Meetings held per pair and per month of mentoring (`pair_days`: the days all the
    pairs were active, added up)."""
    if pair_days <= 0:
        return None
    return meetings / (pair_days / DAYS_PER_MONTH)


def cumulative(monthly: dict[date, int], months: list[date]) -> list[int]:
    """Running totals of `monthly` counts over `months` (in order)."""
    total = 0
    result = []
    for month in months:
        total += monthly.get(month, 0)
        result.append(total)
    return result


def month_range(first: date, last: date) -> list[date]:
    """First days of the months from `first`'s month to `last`'s month, inclusive."""
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


class Status(StrEnum):
    REACHED = "reached"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    LATE = "late"
    MISSED = "missed"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        labels = {
            Status.REACHED: _("Reached"),
            Status.ON_TRACK: _("On track"),
            Status.AT_RISK: _("At risk"),
            Status.LATE: _("Late"),
            Status.MISSED: _("Missed"),
            Status.UNKNOWN: _("Not enough data"),
        }
        return labels[self]


# An objective whose progress is behind the elapsed share of its period by at most this
# many points is "at risk"; further behind, it is "late".
AT_RISK_POINTS = 10


def status_rule() -> str:
    """The rule `objective_status` follows, in words, shown next to the statuses."""
    return _(
        "Progress is the current value as a share of the target; time is the share of "
        "the period elapsed, from the opening of the program's first applications to the "
        "deadline. On track: progress at least equal to time. At risk: progress behind "
        "time by %(points)s points or less. Late: further behind. Missed: the deadline "
        "passed before the target was reached. Without a deadline, an objective not yet "
        "reached is on track."
    ) % {"points": AT_RISK_POINTS}


@dataclass(frozen=True)
class Standing:
    """Where an objective stands, and the two numbers its status was decided on:
    `progress` (value over target) and `elapsed` (share of the period gone), in percent,
    None when not compared (no value, no deadline, reached, missed)."""

    status: Status
    progress: float | None = None
    elapsed: float | None = None

    def comparison(self) -> str:
        """ "46 % of the target, 40 % of the time", or "—" when nothing was compared."""
        if self.progress is None or self.elapsed is None:
            return "—"
        return _("%(progress)s of the target, %(elapsed)s of the time") % {
            "progress": format_value(self.progress, Unit.PERCENT),
            "elapsed": format_value(self.elapsed, Unit.PERCENT),
        }


def objective_status(
    *,
    value: float | None,
    target: float,
    deadline: date | None,
    today: date,
    started_on: date | None,
) -> Standing:
    """Where an objective stands (see `status_rule`).

    Reached when the value meets the target; missed when the deadline has passed
    without it. Otherwise progress (value over target) is compared with the share of
    the period from `started_on` to the deadline elapsed by `today`: on track when not
    behind, at risk when behind by up to `AT_RISK_POINTS` points, late beyond. Late is
    never given without a period to compare with. An unknown or hidden value gives
    "not enough data"."""
    if value is None:
        return Standing(Status.UNKNOWN)
    if value >= target:
        return Standing(Status.REACHED)
    if deadline is not None and today > deadline:
        return Standing(Status.MISSED)
    if deadline is None or started_on is None or deadline <= started_on:
        return Standing(Status.ON_TRACK)
    total_days = (deadline - started_on).days
    elapsed = 100.0 * min(max((today - started_on).days, 0), total_days) / total_days
    progress = 100.0 * max(value, 0) / target if target > 0 else 0.0
    behind = float(rounded(elapsed - progress, 1))
    if behind <= 0:
        status = Status.ON_TRACK
    elif behind <= AT_RISK_POINTS:
        status = Status.AT_RISK
    else:
        status = Status.LATE
    return Standing(status, progress=progress, elapsed=elapsed)
