"""Every table of the reports, built from a scope's `Facts`; the dashboard, the charts,
the exports and the PDF all read these, so they cannot disagree. Cells are text or
`Figure`s (which hide small groups when displayed)."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.utils import formats
from django.utils.translation import gettext as _

from mentorat.lib.formatting import format_number, format_percent
from mentorat.mentorships.models import OutcomeStage, Situation
from mentorat.participants.models import Gender, PriorityGroup
from mentorat.programs.models import ObjectiveUnit, ProgramKind
from mentorat.reference.rome import ROME_DOMAINS
from mentorat.reports import selectors
from mentorat.reports.figures import (
    Figure,
    Unit,
    count,
    cumulative,
    month_range,
    share,
    status_rule,
)
from mentorat.reports.indicators import GENDER_DIVERSITY_ONLY, INDICATORS, Facts, Section, compute
from mentorat.reports.objectives import program_objectives

Cell = str | Figure


def drawn_value(cell: Cell) -> float:
    """What a chart draws for `cell`: hidden or missing figures as 0."""
    return float(cell.shown_value or 0) if isinstance(cell, Figure) else 0.0


@dataclass
class Table:
    code: str
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    note: str = ""  # how the table's figures are decided, shown under it

    def digest(self) -> str:
        """A digest of what a chart of this table draws (labels, values, titles): the
        same data gives the same digest, so charts can be kept and linked under it."""
        rows = [[str(row[0]), *(drawn_value(cell) for cell in row[1:])] for row in self.rows]
        drawn = repr((self.code, self.title, self.columns, rows))
        return hashlib.sha256(drawn.encode()).hexdigest()[:32]


def month_label(month: date) -> str:
    return str(formats.date_format(month, "YEAR_MONTH_FORMAT"))


def shows_equality(facts: Facts) -> bool:
    """Equality figures appear when the program has the data: a gender-diversity program,
    or anyone in it who gave their gender."""
    return (
        facts.scope.program.kind == ProgramKind.GENDER_DIVERSITY
        or facts.coverage.gender_known > 0
        or facts.applications.accepted_mentors_gender_known > 0
    )


def indicator_codes(facts: Facts) -> list[str]:
    diversity = facts.scope.program.kind == ProgramKind.GENDER_DIVERSITY
    equality = shows_equality(facts)
    return [
        i.code
        for i in INDICATORS
        if (i.section != Section.EQUALITY or equality)
        and (i.code not in GENDER_DIVERSITY_ONLY or diversity)
    ]


def indicators_table(facts: Facts) -> Table:
    table = Table("indicators", _("Indicators"), [_("Section"), _("Indicator"), _("Value")])
    for value in compute(facts, indicator_codes(facts)):
        table.rows.append([value.indicator.section.label, str(value.indicator.label), value.figure])
    return table


def objectives_table(facts: Facts) -> Table:
    table = Table(
        "objectives",
        _("Objectives"),
        [
            _("Objective"),
            _("Target"),
            _("Deadline"),
            _("Current value"),
            _("Status"),
            _("Progress against time"),
        ],
        note=status_rule(),
    )
    for progress in program_objectives(facts):
        o = progress.objective
        label = o.get_indicator_display()
        if o.months:
            label = f"{label} (N = {o.months})"
        if o.rome_domain or o.field:
            label = f"{label} — {o.get_rome_domain_display() or o.field}"
        target = (
            format_percent(o.target) if o.unit == ObjectiveUnit.PERCENT else format_number(o.target)
        )
        deadline = formats.date_format(o.deadline, "SHORT_DATE_FORMAT") if o.deadline else "—"
        table.rows.append(
            [
                label,
                target,
                str(deadline),
                progress.figure,
                progress.status.label,
                progress.standing.comparison(),
            ]
        )
    return table


def gender_by_field_table(facts: Facts) -> Table:
    table = Table(
        "gender_by_field",
        _("Women among mentees and mentors, by occupation domain"),
        [
            _("Occupation domain"),
            _("Accepted mentees"),
            _("Women among mentees"),
            _("Accepted mentors"),
            _("Women among mentors"),
        ],
    )
    labels = dict(ROME_DOMAINS)
    for row in selectors.gender_by_field(facts.application_groups):
        table.rows.append(
            [
                str(labels.get(row.rome_domain, _("Not given"))),
                count(row.mentees),
                share(row.mentee_women, row.mentees_gender_known),
                count(row.mentors),
                share(row.mentor_women, row.mentors_gender_known),
            ]
        )
    return table


def priority_groups_table(facts: Facts) -> Table:
    """Mentees of each priority group the program set (or the one filtered on)."""
    table = Table(
        "priority_groups",
        _("Priority groups"),
        [
            _("Priority group"),
            _("Accepted mentees"),
            _("Share of accepted mentees"),
            _("Share with a mentor"),
        ],
    )
    accepted = facts.coverage.accepted
    for group, ratio in facts.coverage.groups.items():
        table.rows.append(
            [
                str(PriorityGroup(group).label),
                count(ratio.whole),
                share(ratio.whole, accepted),
                share(ratio.part, ratio.whole),
            ]
        )
    return table


def outcomes_table(facts: Facts) -> Table:
    table = Table(
        "outcomes",
        _("Situation of the mentees"),
        [_("Situation"), _("At the end"), _("Six months later"), _("Of which career changers")],
    )
    totals: dict[tuple[str, str], int] = {}
    changers: dict[str, int] = {}
    for row in facts.outcomes:
        totals[(row.stage, row.situation)] = totals.get((row.stage, row.situation), 0) + row.count
        if row.stage == OutcomeStage.END:
            changers[row.situation] = changers.get(row.situation, 0) + row.career_changers
    if not totals:
        return table
    for situation in Situation:
        table.rows.append(
            [
                str(situation.label),
                count(totals.get((OutcomeStage.END, situation), 0)),
                count(totals.get((OutcomeStage.SIX_MONTHS, situation), 0)),
                count(changers.get(situation, 0)),
            ]
        )
    return table


def outcomes_by_gender_table(facts: Facts) -> Table:
    table = Table(
        "outcomes_by_gender",
        _("Situation at the end, by gender of the mentee"),
        [_("Situation"), _("Women"), _("Men"), _("Other or not given")],
    )
    cells: dict[tuple[str, str], int] = {}
    for row in facts.outcomes:
        if row.stage != OutcomeStage.END:
            continue
        gender = row.gender if row.gender in (Gender.WOMAN, Gender.MAN) else "other"
        cells[(row.situation, gender)] = cells.get((row.situation, gender), 0) + row.count
    if not cells:
        return table
    for situation in Situation:
        table.rows.append(
            [str(situation.label)]
            + [count(cells.get((situation, g), 0)) for g in (Gender.WOMAN, Gender.MAN, "other")]
        )
    return table


def coverage_over_time_table(facts: Facts) -> Table:
    table = Table(
        "coverage_over_time",
        _("Coverage of the right to a mentor over time"),
        [
            _("Month"),
            _("Mentees accepted (total)"),
            _("Mentees with a mentor (total)"),
            _("Coverage"),
        ],
    )
    accepted, matched = facts.coverage.accepted_by_month, facts.coverage.matched_by_month
    if not accepted:
        return table
    months = month_range(min(accepted), max(facts.scope.period_end, max(accepted)))
    for month, a, m in zip(
        months, cumulative(accepted, months), cumulative(matched, months), strict=True
    ):
        table.rows.append([month_label(month), count(a), count(m), share(m, a)])
    return table


def activity_table(facts: Facts) -> Table:
    table = Table(
        "activity_by_month",
        _("Activity by month"),
        [_("Month"), _("Meetings held"), _("Hours logged"), _("Messages")],
        note=_(
            "Messages: written by the mentors and mentees in their pair's conversation, "
            "not removed (see the health rules: a message counts as contact, with less "
            "weight than a meeting)."
        ),
    )
    activity = facts.activity
    messages = facts.messages.months
    known = set(activity.months) | set(activity.minutes) | set(messages)
    if not known:
        return table
    for month in month_range(min(known), max(known)):
        meetings = activity.months.get(month, 0)
        # Hours are hidden with the meetings they come from when those are few.
        hours = Figure(activity.minutes.get(month, 0) / 60, meetings, Unit.HOURS)
        table.rows.append(
            [month_label(month), count(meetings), hours, count(messages.get(month, 0))]
        )
    return table


def satisfaction_table(facts: Facts) -> Table:
    table = Table(
        "satisfaction",
        _("Satisfaction of the participants"),
        [_("Satisfaction (1 to 5)"), _("People")],
    )
    s = facts.satisfaction
    if not s.respondents:
        return table
    for score in range(1, 6):
        table.rows.append([f"{score}/5", count(s.distribution.get(score, 0))])
    return table


BUILDERS: dict[str, Callable[[Facts], Table]] = {
    "indicators": indicators_table,
    "objectives": objectives_table,
    "coverage_over_time": coverage_over_time_table,
    "activity_by_month": activity_table,
    "satisfaction": satisfaction_table,
    "outcomes": outcomes_table,
    "outcomes_by_gender": outcomes_by_gender_table,
    "gender_by_field": gender_by_field_table,
    "priority_groups": priority_groups_table,
}
EQUALITY_TABLES = frozenset({"gender_by_field", "outcomes_by_gender"})


def build_tables(facts: Facts) -> dict[str, Table]:
    equality = shows_equality(facts)
    return {
        code: builder(facts)
        for code, builder in BUILDERS.items()
        if code not in EQUALITY_TABLES or equality
    }
