"""A program's report as pages, exports and the PDF show it."""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.utils import translation

from mentorat.lib.charts import BarChart
from mentorat.organizations.models import Organization
from mentorat.programs.models import Program
from mentorat.reports.indicators import Facts, IndicatorValue, Section, compute
from mentorat.reports.inline_charts import coverage_chart
from mentorat.reports.objectives import ObjectiveProgress, program_objectives
from mentorat.reports.scope import Scope
from mentorat.reports.tables import BUILDERS, Table, build_tables, indicator_codes

CHARTS = ("coverage_over_time", "activity_by_month", "satisfaction", "outcomes")
KEY_FIGURES = ("coverage", "waiting_mentees", "active_pairs", "satisfaction")


@dataclass
class ProgramReport:
    scope: Scope
    sections: list[tuple[Section, list[IndicatorValue]]]
    objectives: list[ObjectiveProgress]
    tables: dict[str, Table]

    def key_figures(self) -> list[IndicatorValue]:
        """The few figures the report page leads with: the same values as its sections."""
        values = {
            v.indicator.code: v
            for _section, section_values in self.sections
            for v in section_values
        }
        return [values[code] for code in KEY_FIGURES if code in values]

    def coverage_chart(self) -> BarChart | None:
        """The chart the report page leads with, drawn from its coverage table."""
        table = self.tables.get("coverage_over_time")
        return coverage_chart(table) if table is not None else None

    def chart_tables(self) -> list[Table]:
        return [self.tables[c] for c in CHARTS if c in self.tables and self.tables[c].rows]

    def other_tables(self) -> list[Table]:
        skip = {"indicators", "objectives", *CHARTS}
        return [t for code, t in self.tables.items() if code not in skip and t.rows]


def prepare(program: Program) -> None:
    """Read once what every report of `program` looks at."""
    prefetch_related_objects([program], "objectives", "editions", "matching_settings")


def program_report(scope: Scope) -> ProgramReport:
    """Every figure of the program in scope, in a fixed number of queries."""
    prepare(scope.program)
    facts = Facts(scope)
    values = compute(facts, indicator_codes(facts))
    sections = [
        (section, [v for v in values if v.indicator.section == section])
        for section in Section
        if any(v.indicator.section == section for v in values)
    ]
    return ProgramReport(
        scope=scope,
        sections=sections,
        objectives=program_objectives(facts),
        tables=build_tables(facts),
    )


# How long the charts' tables of a page are kept for the chart requests that follow it.
CHART_TABLE_SECONDS = 600


def _chart_table_key(scope: Scope, code: str) -> str:
    """The table of one chart as a page showed it to a reader: the program, the
    organisations whose people the reader sees, the filters and the language."""
    organizations = sorted(scope.organizations) if scope.organizations is not None else None
    what = repr((scope.program.pk, organizations, scope.filters, code, translation.get_language()))
    return "reports-chart-table:" + hashlib.sha256(what.encode()).hexdigest()


def keep_chart_tables(report: ProgramReport) -> None:
    """Keep the charts' tables of a page for the chart requests it makes next: each
    chart is linked with its table's digest, so those requests draw what the page shows
    without reading the database again."""
    for table in report.chart_tables():
        cache.set(_chart_table_key(report.scope, table.code), table, CHART_TABLE_SECONDS)


def chart_table(scope: Scope, code: str, *, digest: str) -> Table:
    """The table of a chart: the one the page showed when `digest` is still that of the
    table kept for this reader and these filters, else read again."""
    kept: Table | None = cache.get(_chart_table_key(scope, code))
    if kept is not None and digest and kept.digest() == digest:
        return kept
    return program_table(scope, code)


def program_table(scope: Scope, code: str) -> Table:
    prepare(scope.program)
    return BUILDERS[code](Facts(scope))


def filter_organizations(
    program: Program, organizations: frozenset[int] | None
) -> list[Organization]:
    """Organisations a reader may filter on: the owner and partners, or their own."""
    ids = {program.organization_id, *program.shared_with.values_list("id", flat=True)}
    if organizations is not None:
        ids &= set(organizations)
    return list(Organization.objects.filter(pk__in=ids).order_by("name"))
