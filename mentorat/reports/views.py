from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any, cast

from csp.decorators import csp_update
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.http import require_GET

from mentorat.lib.views import AuthenticatedHttpRequest
from mentorat.permissions import require
from mentorat.permissions.organizations import access_organization
from mentorat.permissions.programs import access_program
from mentorat.permissions.reports import (
    can_view_organization_report,
    can_view_program_report,
    report_scope,
)
from mentorat.programs.models import Program
from mentorat.reports.exports import table_csv, table_xlsx
from mentorat.reports.forms import ReportFilterForm
from mentorat.reports.organization import ORGANIZATION_TABLES
from mentorat.reports.report import (
    CHARTS,
    chart_table,
    filter_organizations,
    keep_chart_tables,
    prepare,
    program_report,
    program_table,
)
from mentorat.reports.scope import Scope
from mentorat.reports.tables import BUILDERS

ViewFunc = Callable[..., HttpResponse]


# Charts are SVG documents whose shapes carry style attributes; they run no script.
allow_svg_styles: Callable[[ViewFunc], ViewFunc] = cast(
    Any, csp_update({"style-src": ["'self'", "'unsafe-inline'"]})
)


def _program_scope(
    request: AuthenticatedHttpRequest, slug: str
) -> tuple[Program, Scope, ReportFilterForm]:
    """The program a report is asked for, checked, and the scope its filters give."""
    user = request.user
    program = access_program(user, slug, request=request)
    require(can_view_program_report(user, program))
    prepare(program)
    organizations = report_scope(user, program)
    form = ReportFilterForm(
        request.GET or None,
        program=program,
        organizations=filter_organizations(program, organizations),
    )
    scope = Scope(
        program=program,
        filters=form.report_filters(),
        organizations=organizations,
        now=timezone.now(),
    )
    return program, scope, form


@login_required
@require_GET
def program_dashboard(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Objectives and indicators of a program, with charts and tables to export."""
    program, scope, form = _program_scope(request, slug)
    report = program_report(scope)
    keep_chart_tables(report)
    return render(
        request,
        "reports/program_dashboard.html",
        {
            "program": program,
            "report": report,
            "form": form,
            "query": request.GET.urlencode(),
            "partner_view": scope.organizations is not None,
        },
    )


@login_required
@require_GET
@allow_svg_styles
def chart(request: AuthenticatedHttpRequest, slug: str, name: str) -> HttpResponse:
    """A chart as an SVG image; the SVG styles its own shapes and runs no script.

    The dashboard links each chart with the digest of its data (`v`): new figures give
    a new address, so a browser never shows a chart older than the page around it, and
    the chart drawn is that of the table the page showed (kept for a few minutes)."""
    if name not in CHARTS:
        raise Http404
    # matplotlib and weasyprint load on first use: most pages never need them.
    from mentorat.reports.charts import chart_svg

    _program, scope, _form = _program_scope(request, slug)
    table = chart_table(scope, name, digest=request.GET.get("v", ""))
    response = HttpResponse(chart_svg(table), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    return response


EXPORTS = {
    "csv": ("text/csv; charset=utf-8", table_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", table_xlsx),
}


@login_required
@require_GET
def export(request: AuthenticatedHttpRequest, slug: str, table: str, fmt: str) -> HttpResponse:
    """One table of the report as CSV or XLSX, with the same filters and hidden cells."""
    if table not in BUILDERS or fmt not in EXPORTS:
        raise Http404
    program, scope, _form = _program_scope(request, slug)
    content_type, write = EXPORTS[fmt]
    response = HttpResponse(write(program_table(scope, table)), content_type=content_type)
    filename = f"{program.slug}-{table}-{scope.today:%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def annual_pdf(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The program's annual report as a PDF, in French or English (`lang`). Without a
    period chosen, `year` (default: this year) sets it."""
    # weasyprint is heavy: loaded only when a PDF is made.
    from mentorat.reports.pdf import annual_report_pdf

    program, scope, _form = _program_scope(request, slug)
    language = request.GET.get("lang", "")
    if language not in dict(settings.LANGUAGES):
        language = translation.get_language() or settings.LANGUAGE_CODE
    year: int | None = None
    if scope.filters.date_from is None and scope.filters.date_to is None:
        year_text = request.GET.get("year", "")
        year = (
            int(year_text)
            if year_text.isdigit() and 2000 <= int(year_text) <= 2100
            else scope.today.year
        )
        scope = replace(
            scope,
            filters=replace(scope.filters, date_from=date(year, 1, 1), date_to=date(year, 12, 31)),
        )
    with translation.override(language):
        pdf = annual_report_pdf(program_report(scope), year=year)
    response = HttpResponse(pdf, content_type="application/pdf")
    suffix = year or scope.today.year
    response["Content-Disposition"] = (
        f'attachment; filename="{program.slug}-{suffix}-{language}.pdf"'
    )
    return response


@login_required
@require_GET
def organization_report(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """An organisation's programs side by side and its contribution to partners'."""
    user = request.user
    organization = access_organization(user, slug, request=request)
    require(can_view_organization_report(user, organization))
    tables = [build(organization) for build in ORGANIZATION_TABLES.values()]
    return render(
        request,
        "reports/organization_report.html",
        {"organization": organization, "tables": tables},
    )


@login_required
@require_GET
def organization_export(
    request: AuthenticatedHttpRequest, slug: str, table: str, fmt: str
) -> HttpResponse:
    if table not in ORGANIZATION_TABLES or fmt not in EXPORTS:
        raise Http404
    user = request.user
    organization = access_organization(user, slug, request=request)
    require(can_view_organization_report(user, organization))
    content_type, write = EXPORTS[fmt]
    response = HttpResponse(
        write(ORGANIZATION_TABLES[table](organization)), content_type=content_type
    )
    filename = f"{organization.slug}-{table}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
