"""Background drawing of report outputs (see `mentorat.reports.rendered`). Both tasks
may run again after a worker died: they only fill the shared cache."""

from django.conf import settings
from django.http import QueryDict
from django.utils import translation
from django_tasks import task

from mentorat.accounts.models import User
from mentorat.programs.models import Program
from mentorat.reports import rendered
from mentorat.reports.reading import annual_scope, reader_scope
from mentorat.reports.report import prepare, program_report
from mentorat.reports.scope import Scope
from mentorat.worker.recovery import resumable


@resumable
@task()
def draw_organization_charts(organization_id: int) -> int:
    """Draw the charts of the reports of `organization_id`'s programs as their own staff
    see them (no filter), in each language, unless they are kept already. Returns the
    number drawn."""
    drawn = 0
    for program in Program.objects.filter(organization_id=organization_id):
        prepare(program)
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                for table in program_report(Scope(program=program)).chart_tables():
                    if rendered.kept_chart(table) is None:
                        rendered.chart_svg(table)
                        drawn += 1
    return drawn


@resumable
@task()
def build_annual_pdf(user_id: int, program_id: int, query: str, language: str, key: str) -> None:
    """Build the annual PDF a reader asked for (`query`: the page's filters and year) and
    keep it under `key`, the key the request computed, where the request finds it."""
    # weasyprint is heavy: loaded only where a PDF is made.
    from mentorat.reports.pdf import annual_report_pdf

    user = User.objects.get(pk=user_id)
    program = Program.objects.get(pk=program_id)
    params = QueryDict(query)
    scope, _form = reader_scope(user, program, params)
    scope, year = annual_scope(scope, params.get("year", ""))
    with translation.override(language):
        pdf = annual_report_pdf(program_report(scope), year=year)
    rendered.keep_pdf(key, pdf)
