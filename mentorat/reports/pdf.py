"""The annual report of a program as a PDF (weasyprint), with its charts."""

import base64

from django.template.loader import render_to_string
from weasyprint import HTML

from mentorat.reports.rendered import chart_svg
from mentorat.reports.report import ProgramReport


def annual_report_pdf(report: ProgramReport, *, year: int | None) -> bytes:
    """Render `report` (built in the language wanted) as a PDF document."""
    charts = [
        (table, "data:image/svg+xml;base64," + base64.b64encode(chart_svg(table)).decode())
        for table in report.chart_tables()
    ]
    html = render_to_string(
        "reports/annual_report.html",
        {"report": report, "program": report.scope.program, "charts": charts, "year": year},
    )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
