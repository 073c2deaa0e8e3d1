from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mentorat.applications.imports import services
from mentorat.applications.imports.columns import COLUMNS, template_header
from mentorat.applications.imports.forms import ConfirmForm, UploadForm
from mentorat.applications.imports.models import ImportBatch, ImportStatus
from mentorat.applications.imports.parsing import FileProblem
from mentorat.applications.imports.template_file import (
    accepted_values,
    example_value,
    template_csv,
    template_xlsx,
)
from mentorat.applications.imports.validation import Action
from mentorat.lib.errors import DomainError
from mentorat.lib.views import AuthenticatedHttpRequest, flashed_errors, on_domain_error
from mentorat.organizations.models import Organization
from mentorat.permissions import require
from mentorat.permissions.imports import (
    access_import_batch,
    can_import_decided_statuses,
    can_import_participants,
    import_organization_ids,
    import_scope,
)
from mentorat.permissions.programs import access_program
from mentorat.programs.models import Program

# The preview lists this many rows of each kind; the summary counts them all.
PREVIEW_ERROR_ROWS = 500
PREVIEW_OK_ROWS = 100


def _program(request: AuthenticatedHttpRequest, slug: str) -> Program:
    program = access_program(request.user, slug, request=request)
    require(can_import_participants(request.user, program))
    return program


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    user = request.user
    program = _program(request, slug)
    editions = list(program.editions.all())
    organizations = list(
        Organization.objects.filter(pk__in=import_organization_ids(user, program)).order_by("name")
    )
    today = timezone.localdate()
    open_now = next((e for e in editions if e.is_open_on(today)), None)
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        editions=editions,
        organizations=organizations,
        initial={
            "edition": open_now or (editions[0] if editions else None),
            "organization": program.organization
            if program.organization in organizations
            else organizations[0],
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            batch, _report = services.preview_import(
                program=program,
                edition=form.cleaned_data["edition"],
                organization=form.cleaned_data["organization"],
                default_role=form.cleaned_data["default_role"],
                filename=form.file_name(),
                content=form.cleaned_data["file"],
                actor=user,
                request=request,
            )
        except FileProblem as problem:
            for message in problem.messages:
                form.add_error("file", message)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("imports:preview", slug=program.slug, pk=batch.pk)
    scope = import_scope(user, program)
    batches = ImportBatch.objects.filter(program=program).select_related(
        "edition", "organization", "created_by"
    )
    if scope is not None:
        batches = batches.filter(organization_id__in=scope)
    return render(
        request,
        "imports/upload.html",
        {
            "program": program,
            "form": form,
            "has_editions": bool(editions),
            "batches": batches[:10],
            "may_decide": can_import_decided_statuses(user, program),
            "columns": [
                {
                    "header": template_header(column),
                    "aliases": [column.code, *column.synonyms],
                    "required": column.required,
                    "help": column.help,
                    "example": example_value(column, program=program),
                    "values": accepted_values(column),
                }
                for column in COLUMNS
            ],
        },
    )


@login_required
def preview(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    user = request.user
    program = _program(request, slug)
    batch = access_import_batch(user, program, pk)
    context: dict[str, object] = {"program": program, "batch": batch}
    if batch.status == ImportStatus.PREVIEWED:
        with on_domain_error(lambda message: context.update(problem=message)):
            report = services.check_batch(batch=batch, actor=user)
            errors = report.error_rows
            context |= {
                "report": report,
                "error_rows": errors[:PREVIEW_ERROR_ROWS],
                "more_errors": max(0, len(errors) - PREVIEW_ERROR_ROWS),
                "ok_rows": report.ok_rows[:PREVIEW_OK_ROWS],
                "ok_count": len(report.rows) - len(errors),
                "error_count": len(errors),
                # Addresses new to the platform and people the importer does not know
                # are counted together: telling them apart would say who has a record.
                "create_count": report.count(Action.CREATE) + report.count(Action.ENROLL),
                "update_count": report.count(Action.UPDATE) + report.count(Action.APPLICATION_ONLY),
                "skip_count": report.count(Action.SKIP),
                "invitation_count": report.invitations,
                "organizations": dict(
                    Organization.objects.filter(
                        pk__in=import_organization_ids(user, program)
                    ).values_list("pk", "name")
                ),
                "confirm_form": ConfirmForm(initial={"sha256": batch.sha256}),
            }
    return render(request, "imports/preview.html", context)


@login_required
@require_POST
def confirm(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    user = request.user
    program = _program(request, slug)
    batch = access_import_batch(user, program, pk)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This is not the file that was previewed: upload it again."))
        return redirect("imports:preview", slug=program.slug, pk=batch.pk)
    with flashed_errors(request):
        services.run_import(
            batch=batch, sha256=form.cleaned_data["sha256"], actor=user, request=request
        )
    # On success the page of the batch states the result.
    return redirect("imports:preview", slug=program.slug, pk=batch.pk)


@login_required
@require_POST
def discard(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    user = request.user
    program = _program(request, slug)
    batch = access_import_batch(user, program, pk)
    with flashed_errors(request):
        services.discard_import(batch=batch, actor=user, request=request)
        messages.success(request, _("The file is deleted; nothing was imported."))
        return redirect("imports:upload", slug=program.slug)
    return redirect("imports:preview", slug=program.slug, pk=batch.pk)


@login_required
def template(request: AuthenticatedHttpRequest, slug: str, fmt: str) -> HttpResponse:
    program = _program(request, slug)
    if fmt == "csv":
        response = HttpResponse(template_csv(program=program), content_type="text/csv")
    elif fmt == "xlsx":
        response = HttpResponse(
            template_xlsx(program=program),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="participants-{program.slug}.{fmt}"'
    return response
