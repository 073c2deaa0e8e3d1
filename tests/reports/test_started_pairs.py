"""Coverage and time to a mentor count a pair from the day it started (`started_on`),
never from the day its row was written: the fixed dataset's rows were all written in
June, its pairs started in March."""

from datetime import date

from django.utils.translation import override

from mentorat.mentorships.models import Mentorship
from mentorat.reports.figures import Figure
from mentorat.reports.indicators import Facts, compute
from mentorat.reports.organization import own_programs_table
from mentorat.reports.scope import Scope
from mentorat.reports.tables import coverage_over_time_table
from tests.reports.dataset import NOW


def _shown(cell: object) -> str:
    return cell.display() if isinstance(cell, Figure) else str(cell)


def _coverage_by_month(program) -> list[list[str]]:
    with override("en"):
        table = coverage_over_time_table(Facts(Scope(program=program, now=NOW)))
        return [[_shown(cell) for cell in row] for row in table.rows]


def _figures(program) -> dict[str, str]:
    with override("en"):
        facts = Facts(Scope(program=program, now=NOW))
        return {v.indicator.code: v.figure.display() for v in compute(facts)}


def _organisation_coverage(dataset, cast) -> str:
    """The program's coverage in its organisation's report."""
    with override("en"):
        rows = own_programs_table(cast.org_a).rows
        row = next(r for r in rows if r[0] == dataset.program.name)
        return _shown(row[2])


def test_coverage_over_time_counts_pairs_in_the_month_they_started(dataset):
    # Accepted on 1 March, started on 11 and 15 March, rows written in June: March
    # already shows the ten pairs (it showed 0 % when months came from the rows).
    assert _coverage_by_month(dataset.program) == [
        ["March 2026", "12", "10", "83%"],
        ["April 2026", "12", "10", "83%"],
        ["May 2026", "12", "10", "83%"],
        ["June 2026", "12", "10", "83%"],
    ]


def test_a_pair_starting_later_is_not_counted_yet_anywhere(dataset, cast):
    """A pair published for an edition that starts next month gives its mentee a
    mentor from that day: until then the program report, its chart table and the
    organisation's report all count the mentee as waiting."""
    later = dataset.pairs[0]
    Mentorship.objects.filter(pk=later.pk).update(started_on=date(2026, 7, 1))
    values = _figures(dataset.program)
    assert values["matched_mentees"] == "9"
    assert values["coverage"] == "75%"  # 9 / 12
    assert values["waiting_mentees"] == "< 5"  # a0, a10, a11
    assert values["waiting_time"] == "12 days"  # (4 × 10 + 5 × 14) / 9 = 12.2, a0 left out
    assert _coverage_by_month(dataset.program)[-1] == ["June 2026", "12", "9", "75%"]
    assert _organisation_coverage(dataset, cast) == "75%"


def test_organisation_coverage_is_the_program_report_coverage(dataset, cast):
    assert _organisation_coverage(dataset, cast) == _figures(dataset.program)["coverage"]
    assert _figures(dataset.program)["coverage"] == "83%"
