"""Charts of the report tables as SVG, drawn on the server with matplotlib (see
docs/adr/0004-reports-charts.md). Pages show them through `<img>` next to the table
they are drawn from; the PDF embeds the same SVG. Hidden figures (small groups) are
left out of the drawing, as they are from the tables."""

import io
from typing import Any, cast

import matplotlib
from matplotlib.figure import Figure as Canvas

from mentorat.reports.tables import Table, drawn_value

matplotlib.use("svg")

COLOURS = ("#1d4e89", "#c2571a", "#2f7d4a")  # contrast ≥ 4.5:1 on white
STYLE = {
    "svg.fonttype": "none",  # keep text as text: selectable and read by screen readers
    "svg.hashsalt": "mentorat",  # stable ids, so the same data gives the same file
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


# Drawing takes about 0.1 s of CPU per chart (and loading matplotlib about a second):
# the same data always gives the same file, so charts are kept under the digest of what
# they draw (`mentorat.reports.rendered`). Pages link them under that digest too.


def draw(table: Table) -> bytes:
    """Draw the chart of `table` (one of `report.CHARTS`) as an SVG document."""
    with matplotlib.rc_context(cast(Any, STYLE)):
        canvas = Canvas(figsize=(7.2, 3.2), layout="constrained")
        axes = canvas.subplots()
        labels = [str(row[0]) for row in table.rows]
        # Labels are placed as ticks on positions: matplotlib would read "1/5" as a date.
        positions = list(range(len(labels)))
        if table.code == "coverage_over_time":
            values = [drawn_value(row[3]) for row in table.rows]
            axes.plot(positions, values, marker="o", color=COLOURS[0])
            axes.set_xticks(positions, labels)
            axes.set_ylim(0, 100)
            axes.set_ylabel("%")
        elif table.code == "outcomes":
            end = [drawn_value(row[1]) for row in table.rows]
            later = [drawn_value(row[2]) for row in table.rows]
            axes.barh(
                [p - 0.2 for p in positions],
                end,
                height=0.4,
                color=COLOURS[0],
                label=table.columns[1],
            )
            axes.barh(
                [p + 0.2 for p in positions],
                later,
                height=0.4,
                color=COLOURS[1],
                label=table.columns[2],
            )
            axes.set_yticks(positions, labels)
            axes.invert_yaxis()
            axes.legend(frameon=False)
            canvas.set_size_inches(7.2, 4.2)
        else:
            values = [drawn_value(row[1]) for row in table.rows]
            axes.bar(positions, values, color=COLOURS[0])
            axes.set_xticks(positions, labels)
            axes.set_ylabel(table.columns[1])
        if table.code in ("coverage_over_time", "activity_by_month") and len(labels) > 6:
            axes.tick_params(axis="x", labelrotation=45)
        axes.set_title(table.title, loc="left")
        buffer = io.BytesIO()
        canvas.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()
