"""A program's report as pages, exports and the PDF show it."""

from dataclasses import dataclass

from django.db.models import prefetch_related_objects

from mentorat.organizations.models import Organization
from mentorat.programs.models import Program
from mentorat.reports.indicators import Facts, IndicatorValue, Section, compute
from mentorat.reports.objectives import ObjectiveProgress, program_objectives
from mentorat.reports.scope import Scope
from mentorat.reports.tables import BUILDERS, Table, build_tables, indicator_codes

CHARTS = ("coverage_over_time", "activity_by_month", "satisfaction", "outcomes")


@dataclass
class ProgramReport:
    scope: Scope
    sections: list[tuple[Section, list[IndicatorValue]]]
    objectives: list[ObjectiveProgress]
    tables: dict[str, Table]

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
