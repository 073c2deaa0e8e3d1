"""What a report request asks for: the program's scope for this reader and these filters
(the page, its charts, exports and the annual PDF, in a request or in a task)."""

from dataclasses import replace
from datetime import date

from django.http import QueryDict
from django.utils import timezone

from mentorat.accounts.models import User
from mentorat.permissions.reports import report_scope
from mentorat.programs.models import Program
from mentorat.reports.forms import ReportFilterForm
from mentorat.reports.report import filter_organizations, prepare
from mentorat.reports.scope import Scope


def reader_scope(user: User, program: Program, params: QueryDict) -> tuple[Scope, ReportFilterForm]:
    """The scope of `program`'s report for `user` (a partner sees their own people) with
    the filters of `params`, and the filter form (shown with its errors)."""
    prepare(program)
    organizations = report_scope(user, program)
    form = ReportFilterForm(
        params or None,
        program=program,
        organizations=filter_organizations(program, organizations),
    )
    scope = Scope(
        program=program,
        filters=form.report_filters(),
        organizations=organizations,
        now=timezone.now(),
    )
    return scope, form


def annual_scope(scope: Scope, year_text: str) -> tuple[Scope, int | None]:
    """The annual report's scope: the period chosen, or else the calendar year `year_text`
    (default: this year), which is returned."""
    if scope.filters.date_from is not None or scope.filters.date_to is not None:
        return scope, None
    year = (
        int(year_text)
        if year_text.isdigit() and 2000 <= int(year_text) <= 2100
        else scope.today.year
    )
    filters = replace(scope.filters, date_from=date(year, 1, 1), date_to=date(year, 12, 31))
    return replace(scope, filters=filters), year
