"""Report indicators of a program, as its report page computes them (small groups
hidden the same way)."""

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router
from ninja.decorators import decorate_view

from mentorat.api.conditional import conditional
from mentorat.api.endpoints.common import Slug, program_for, reads
from mentorat.api.models import Scope
from mentorat.api.schemas import IndicatorOut
from mentorat.permissions.reports import can_view_program_report, report_scope
from mentorat.reports.report import program_report
from mentorat.reports.scope import Scope as ReportScope

router = Router(tags=["reports"])


@router.get(
    "/programs/{slug}/indicators", response=reads(list[IndicatorOut]), url_name="indicator_list"
)
@decorate_view(conditional)
def indicator_list(request: HttpRequest, slug: Slug) -> list[IndicatorOut]:
    user, program = program_for(request, slug, Scope.REPORTS, can_view_program_report)
    scope = ReportScope(
        program=program, organizations=report_scope(user, program), now=timezone.now()
    )
    report = program_report(scope)
    out = []
    for _section, values in report.sections:
        for value in values:
            figure = value.figure
            out.append(
                IndicatorOut(
                    code=value.indicator.code,
                    label=str(value.indicator.label),
                    section=str(value.indicator.section),
                    value=figure.shown_value,
                    population=None if figure.suppressed else figure.population,
                    unit=str(figure.unit),
                    available=figure.available,
                    suppressed=figure.suppressed,
                )
            )
    return out
