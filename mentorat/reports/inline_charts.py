"""Charts the report pages draw inline (`mentorat.lib.charts`), from the report tables
themselves, so a chart can never disagree with the table or the exports next to it."""

from django.utils.translation import gettext as _

from mentorat.lib.charts import BarChart, Series
from mentorat.reports.figures import Figure, count
from mentorat.reports.tables import Table


def _shown(cell: object) -> float | None:
    return cell.shown_value if isinstance(cell, Figure) else None


def coverage_chart(table: Table) -> BarChart | None:
    """Mentees with a mentor and mentees waiting, month by month, from the
    `coverage_over_time` table (running totals). A month whose figures are hidden (small
    groups) or unknown draws nothing, as its table cells show "< 5"; waiting mentees are
    the accepted less those with a mentor, drawn only when both are shown."""
    if table.code != "coverage_over_time" or not table.rows:
        return None
    months: list[str] = []
    matched: list[float | None] = []
    waiting: list[float | None] = []
    matched_shown: list[str] = []
    waiting_shown: list[str] = []
    for month, accepted_cell, matched_cell, _share in table.rows:
        accepted, with_mentor = _shown(accepted_cell), _shown(matched_cell)
        months.append(str(month))
        matched.append(with_mentor)
        matched_shown.append(_display(matched_cell))
        if accepted is None or with_mentor is None:
            waiting.append(None)
            waiting_shown.append("—")
        else:
            gap = count(round(accepted - with_mentor))
            waiting.append(gap.shown_value)
            waiting_shown.append(gap.display())
    last = table.rows[-1]
    return BarChart(
        key="coverage",
        title=_("Mentees with a mentor and mentees waiting, by month"),
        description=_(
            "Running totals at the end of each month. Latest month (%(month)s): "
            "%(matched)s with a mentor out of %(accepted)s accepted, coverage %(share)s."
        )
        % {
            "month": last[0],
            "matched": _display(last[2]),
            "accepted": _display(last[1]),
            "share": _display(last[3]),
        },
        category_label=_("Month"),
        categories=tuple(months),
        series=(
            Series(_("With a mentor"), tuple(matched), tuple(matched_shown), tone="primary"),
            Series(_("Waiting"), tuple(waiting), tuple(waiting_shown), tone="secondary"),
        ),
    )


def _display(cell: object) -> str:
    return cell.display() if isinstance(cell, Figure) else str(cell)
