"""The charts the follow-up dashboard and the report page lead with: inline SVG drawn by
the server (no script, no other origin), accessible (role, title, description, the
figures as a table), and drawn from the very numbers the pages show next to them."""

import html
import re
from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from mentorat.lib.charts import BarChart, Series, nice_top
from mentorat.reports.figures import count, share
from mentorat.reports.inline_charts import coverage_chart
from mentorat.reports.tables import Table
from tests.mentorships.factories import MeetingFactory
from tests.mentorships.permission_cases import pair_of_a


def _chart(**changes) -> BarChart:
    values = {
        "key": "t",
        "title": "Titre",
        "description": "Description",
        "category_label": "Mois",
        "categories": ("a", "b", "c"),
        "series": (
            Series("Un", (2.0, None, 4.0), ("2", "< 5", "4")),
            Series("Deux", (1.0, 3.0, 0.0), ("1", "3", "0"), tone="secondary"),
        ),
    }
    return BarChart(**(values | changes))


@pytest.mark.parametrize(
    ("value", "top"), [(0, 1), (0.4, 0.5), (3, 5), (7, 10), (12, 20), (24, 25), (101, 200)]
)
def test_the_axis_ends_on_a_round_number(value, top):
    assert nice_top(value) == top


def test_stacked_bars_are_as_high_as_their_values_and_hidden_values_draw_nothing():
    chart = _chart()
    bars = chart.bars()
    assert chart.top() == 5  # highest stack: 2 + 1 = 3 and 4 + 0 = 4, axis to 5
    # "b"/"Un" is hidden and "c"/"Deux" is zero: no bar for those.
    assert [b.text.split(",")[0] for b in bars] == ["a", "a", "b", "c"]
    unit = (chart.baseline() - 10) / 5  # pixels per unit of value (TOP margin: 10)
    assert [round(b.height / unit, 6) for b in bars] == [2, 1, 3, 4]
    # Stacked: the second bar of "a" sits on the first.
    assert round(bars[1].y + bars[1].height, 6) == round(bars[0].y, 6)
    assert chart.rows() == [("a", ["2", "1"]), ("b", ["< 5", "3"]), ("c", ["4", "0"])]


def test_a_series_must_match_the_categories_and_use_a_design_tone():
    with pytest.raises(ValueError, match="categories"):
        _chart(series=(Series("Un", (1.0,), ("1",)),))
    with pytest.raises(ValueError, match="tone"):
        _chart(series=(Series("Un", (1.0, 2.0, 3.0), ("1", "2", "3"), tone="#ff0000"),))


def test_category_labels_never_crowd_a_phone():
    months = tuple(f"m{i}" for i in range(14))
    chart = _chart(
        categories=months,
        series=(Series("Un", tuple(1.0 for _ in months), tuple("1" for _ in months)),),
    )
    assert len(chart.category_labels()) <= 6


def test_the_svg_is_accessible_and_its_numbers_are_not_localised():
    with translation.override("fr"):
        page = render_to_string(
            "charts/bar_chart.html",
            {"chart": _chart(series=(Series("Un", (2.5, 1.25, 4.0), ("2,5", "1,25", "4")),))},
        )
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in svg
    assert 'aria-labelledby="chart-t-title chart-t-desc"' in svg
    assert '<title id="chart-t-title">Titre</title>' in svg
    assert '<desc id="chart-t-desc">Description</desc>' in svg
    # Coordinates are SVG numbers, never "12,5" (French decimal comma).
    for attribute in re.findall(r' (?:x|y|width|height|x1|x2|y1|y2)="([^"]*)"', svg):
        float(attribute)
    assert "style=" not in svg  # colours from the stylesheet's classes (CSP-safe)
    assert 'class="chart-bar chart-primary"' in svg
    assert '<th scope="row">b</th><td>1,25</td>' in page  # the figures as a table


def test_the_coverage_chart_draws_the_coverage_table():
    table = Table("coverage_over_time", "Couverture", ["Mois", "Acceptés", "Avec", "Part"])
    table.rows = [
        ["janv.", count(10), count(3), share(3, 10)],
        ["févr.", count(20), count(12), share(12, 20)],
        ["mars", count(24), count(20), share(20, 24)],
    ]
    with translation.override("fr"):
        chart = coverage_chart(table)
    assert chart is not None
    matched, waiting = chart.series
    assert matched.values == (None, 12.0, 20.0)  # 3 people: hidden, as in the table
    assert matched.shown == ("< 5", "12", "20")
    # Waiting: accepted less those with a mentor, only when both are shown; a small
    # group is hidden too.
    assert waiting.values == (None, 8.0, None)
    assert waiting.shown == ("—", "8", "< 5")
    assert "mars" in chart.description
    assert "83\u202f%" in chart.description
    assert coverage_chart(Table("coverage_over_time", "C", ["M", "A", "B", "P"])) is None


def _svg(page: str) -> str:
    start = page.index('<svg class="chart-svg"')
    return page[start : page.index("</svg>", start)]


def test_the_report_page_leads_with_its_key_figures_and_the_coverage_chart(
    dataset, cast, client_for
):
    client = client_for(cast.coordinator_a)
    client.cookies["django_language"] = "fr"
    page = client.get(reverse("reports:program", kwargs={"slug": dataset.program.slug}))
    content = page.content.decode()
    lead = content[content.index('id="key-figures-title"') : content.index("</section>")]
    tiles = re.findall(
        r'<span class="stat-value[^"]*">([^<]*)</span>\s*<span class="stat-label">([^<]*)</span>',
        lead,
    )
    assert [label for _value, label in tiles][:1] == ["Couverture du droit à un·e mentor·e"]
    # Each key figure is the value the same indicator shows further down the page.
    rest = content[content.index("</section>") :]
    for value, label in tiles:
        figure = re.search(
            rf'<span class="figure-label">{re.escape(label)}</span>\s*'
            r'<span class="figure-value[^"]*">([^<]*)</span>',
            rest,
        )
        assert figure is not None, label
        assert figure.group(1) == value
    svg = _svg(lead)
    assert 'role="img"' in svg
    assert "chart-primary" in svg
    # The chart's table repeats the coverage table's "with a mentor" column.
    assert "Avec un·e mentor·e" in lead or "With a mentor" in lead
    assert lead.index("<svg") < content.index('id="filters-title"')


def test_the_follow_up_dashboard_draws_its_health_counts(cast, client_for):
    pair = pair_of_a(cast)
    MeetingFactory(mentorship=pair, starts_at=timezone.now() + timedelta(days=2))
    client = client_for(cast.coordinator_a)
    client.cookies["django_language"] = "en"
    program = pair.edition.program
    page = client.get(reverse("mentorships:dashboard", kwargs={"slug": program.slug}))
    content = page.content.decode()
    tiles = {
        label: value
        for value, label in re.findall(
            r'<span class="stat-value">([^<]*)</span> <span class="badge health[^"]*">([^<]*)<',
            content,
        )
    }
    assert sum(int(v) for v in tiles.values()) == 1
    svg = _svg(content)
    assert '<title id="chart-pairs-health-title">Active pairs by health</title>' in svg
    drawn = re.findall(r"<title>([^<]*)</title></rect>", svg)
    assert [html.unescape(t) for t in drawn] == [
        f"{label}, Pairs: {value}" for label, value in tiles.items() if value != "0"
    ]
    table = content[content.index('class="chart-data"') :]
    for label, value in tiles.items():
        assert f'<th scope="row">{label}</th><td>{value}</td>' in table
