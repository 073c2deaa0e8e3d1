from collections.abc import Callable
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
)
from mentorat.programs.models import Program
from mentorat.reports import rendered
from mentorat.reports.exports import table_csv, table_xlsx
from mentorat.reports.forms import ReportFilterForm
from mentorat.reports.organization import ORGANIZATION_TABLES
from mentorat.reports.reading import annual_scope, reader_scope
from mentorat.reports.report import (
    CHARTS,
    chart_table,
    keep_chart_tables,
    program_report,
    program_table,
)
from mentorat.reports.scope import Scope
from mentorat.reports.tables import BUILDERS
from mentorat.reports.tasks import build_annual_pdf

ViewFunc = Callable[..., HttpResponse]
# The page waiting for an annual PDF asks again after this many seconds.
PDF_WAIT_SECONDS = 2


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
    scope, form = reader_scope(user, program, request.GET)
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
    _program, scope, _form = _program_scope(request, slug)
    table = chart_table(scope, name, digest=request.GET.get("v", ""))
    response = HttpResponse(rendered.chart_svg(table), content_type="image/svg+xml")
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
    period chosen, `year` (default: this year) sets it. A PDF not kept yet is built by a
    background task: this page waits for it, reloading itself, then downloads it."""
    program, scope, _form = _program_scope(request, slug)
    language = request.GET.get("lang", "")
    if language not in dict(settings.LANGUAGES):
        language = translation.get_language() or settings.LANGUAGE_CODE
    scope, year = annual_scope(scope, request.GET.get("year", ""))
    with translation.override(language):
        key = rendered.pdf_key(program_report(scope), year=year)
    pdf = rendered.kept_pdf(key)
    if pdf is None and rendered.claim_pdf_build(key):
        build_annual_pdf.enqueue(
            request.user.pk, program.pk, request.GET.urlencode(), language, key
        )
        pdf = rendered.kept_pdf(key)  # built already by a backend that runs tasks at once
    if pdf is None:
        response = render(request, "reports/pdf_pending.html", {"program": program}, status=202)
        response["Refresh"] = str(PDF_WAIT_SECONDS)
        return response
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
