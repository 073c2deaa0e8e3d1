"""Bar charts drawn by the server as inline SVG (template `charts/bar_chart.html`).

The geometry is computed here, with no database and no drawing library, so a page needs
no script, no image request and no other origin. Colours come from the design-system
classes (`.chart-<tone>` in mentorat.css, built on the colour tokens); every chart also
carries its figures as a table, which is what screen readers and exports rely on."""

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

from mentorat.lib.formatting import format_number, format_percent

# The drawing's own coordinates; the SVG scales to its container (390 px phones too),
# so these only fix the proportions and the size of the text relative to the bars.
WIDTH = 400
HEIGHT = 220
LEFT = 40  # room for the value axis labels
BOTTOM = 24  # room for the category labels
TOP = 10
RIGHT = 8
MAX_CATEGORY_LABELS = 6  # more would overlap at 390 px: every n-th label is written
TONES = frozenset({"primary", "success", "warning", "danger", "neutral", "secondary"})


@dataclass(frozen=True)
class Series:
    """One kind of bar: its label (legend, table header), a value per category (None
    when the figure is hidden or unknown: nothing is drawn) and each value as the
    page's tables write it (so the chart's table agrees with them)."""

    label: str
    values: tuple[float | None, ...]
    shown: tuple[str, ...]
    tone: str = "primary"
    tones: tuple[str, ...] = ()  # one per category, when each bar has its own colour

    def tone_of(self, index: int) -> str:
        return self.tones[index] if self.tones else self.tone


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    tone: str
    text: str  # "category, series: value", the bar's tooltip


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str


def nice_top(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10ⁿ at least `value` (an axis that ends on a round
    number); 1 for an empty chart."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return float(step * power)
    return float(10 * power)  # pragma: no cover (the loop always returns)


@dataclass(frozen=True)
class BarChart:
    """A bar chart with one bar per category, its series stacked (or side by side)."""

    key: str  # unique on the page: the ids of the SVG's title and description
    title: str
    description: str  # what the chart shows, in words, for those who cannot see it
    category_label: str  # header of the table's first column
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    stacked: bool = True
    percent: bool = False  # values are percentages: the axis ends at 100

    def __post_init__(self) -> None:
        for series in self.series:
            if len(series.values) != len(self.categories) or len(series.shown) != len(
                self.categories
            ):
                raise ValueError(f"series {series.label!r} does not match the categories")
            if not {series.tone, *series.tones} <= TONES:
                raise ValueError(f"unknown tone in series {series.label!r}")

    @property
    def width(self) -> int:
        return WIDTH

    @property
    def height(self) -> int:
        return HEIGHT

    @property
    def plot_left(self) -> int:
        return LEFT

    @property
    def plot_right(self) -> int:
        return WIDTH - RIGHT

    def top(self) -> float:
        if self.percent:
            return 100.0
        if self.stacked:
            highest = max(
                (sum(s.values[i] or 0 for s in self.series) for i in range(len(self.categories))),
                default=0,
            )
        else:
            highest = max((v or 0 for s in self.series for v in s.values), default=0)
        return nice_top(highest)

    def _slot(self) -> float:
        return (WIDTH - LEFT - RIGHT) / max(len(self.categories), 1)

    def _y(self, value: float) -> float:
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - value / self.top())

    def bars(self) -> list[Bar]:
        slot = self._slot()
        bar_width = slot * 0.7
        bars = []
        for i, category in enumerate(self.categories):
            left = LEFT + slot * i + (slot - bar_width) / 2
            base = 0.0
            for j, series in enumerate(self.series):
                value = series.values[i]
                if not value:
                    continue
                text = _("%(category)s, %(series)s: %(value)s") % {
                    "category": category,
                    "series": series.label,
                    "value": series.shown[i],
                }
                if self.stacked:
                    y_top, y_bottom = self._y(base + value), self._y(base)
                    bars.append(
                        Bar(left, y_top, bar_width, y_bottom - y_top, series.tone_of(i), text)
                    )
                    base += value
                else:
                    width = bar_width / len(self.series)
                    y_top = self._y(value)
                    bars.append(
                        Bar(
                            left + width * j,
                            y_top,
                            width,
                            self._y(0) - y_top,
                            series.tone_of(i),
                            text,
                        )
                    )
        return [
            Bar(
                round(b.x, 1),
                round(b.y, 1),
                round(b.width, 1),
                round(b.height, 1),
                b.tone,
                b.text,
            )
            for b in bars
        ]

    def value_labels(self) -> list[Label]:
        """The value axis: 0, half and the top, written as numbers of the active
        language (percentages with their sign)."""
        top = self.top()
        labels = []
        for value in (0.0, top / 2, top):
            text = format_percent(value) if self.percent else format_number(value, -1)
            labels.append(Label(LEFT - 4, round(self._y(value), 1), text))
        return labels

    def category_labels(self) -> list[Label]:
        """One label in every n-th category, so that they never overlap."""
        every = math.ceil(len(self.categories) / MAX_CATEGORY_LABELS) or 1
        slot = self._slot()
        return [
            Label(round(LEFT + slot * (i + 0.5), 1), HEIGHT - 6, category)
            for i, category in enumerate(self.categories)
            if i % every == 0
        ]

    def baseline(self) -> float:
        return self._y(0)

    def rows(self) -> list[tuple[str, list[str]]]:
        """The table of the chart: each category with its series' values as shown."""
        return [
            (category, [s.shown[i] for s in self.series])
            for i, category in enumerate(self.categories)
        ]
