"""The library pages: coordinators list, add, edit and delete a program's resources and
goal templates; the program's people download files; a pair adopts a template. Each
view checks access, then calls one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorat.lib.views import AuthenticatedHttpRequest, action, flashed_errors, form_page
from mentorat.permissions import require
from mentorat.permissions.mentorships import access_mentorship, can_work_in
from mentorat.permissions.programs import access_program
from mentorat.permissions.resources import (
    access_goal_template,
    access_library_resource,
    access_resource_file,
    access_template_for_pair,
    can_manage_library,
    can_view_library,
)
from mentorat.programs.models import Program
from mentorat.resources import selectors, services
from mentorat.resources.forms import GoalTemplateForm, ResourceForm
from mentorat.resources.models import GoalTemplate, Phase


def _library_url(program: Program) -> str:
    return reverse("resources:program_library", args=[program.slug])


def _managed(request: AuthenticatedHttpRequest, slug: str) -> Program:
    program = access_program(request.user, slug, request=request)
    require(can_manage_library(request.user, program))
    return program


@login_required
@require_GET
def program_library(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """A program's resource library and goal templates (read-only for partners)."""
    program = access_program(request.user, slug, request=request)
    require(can_view_library(request.user, program))
    resources = list(selectors.program_resources(program=program))
    return render(
        request,
        "resources/library.html",
        {
            "program": program,
            "can_manage": can_manage_library(request.user, program),
            "phases": [(phase, [r for r in resources if r.phase == phase]) for phase in Phase],
            "resource_count": len(resources),
            "templates": selectors.program_templates(program=program),
            "closing_days": selectors.CLOSING_DAYS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def resource_add(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    program = _managed(request, slug)
    form = ResourceForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form=form,
        save=lambda: services.add_resource(
            program=program,
            data=form.resource_data(),
            upload=form.cleaned_data["file"],
            actor=request.user,
            request=request,
        ),
        success=_("Resource added to the library."),
        next_url=lambda _resource: _library_url(program),
        template="resources/resource_form.html",
        context={"program": program},
        error_field="url",
    )


@login_required
@require_http_methods(["GET", "POST"])
def resource_edit(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    program = _managed(request, slug)
    resource = access_library_resource(request.user, program, pk)
    initial = {
        "title": resource.title,
        "kind": resource.kind,
        "audience": resource.audience,
        "phase": resource.phase,
        "description": resource.description,
        "url": resource.url,
        "whole_organization": resource.program_id is None,
    }
    form = ResourceForm(
        request.POST or None, request.FILES or None, initial=initial, has_file=bool(resource.file)
    )
    return form_page(
        request,
        form=form,
        save=lambda: services.update_resource(
            program=program,
            resource=resource,
            data=form.resource_data(),
            upload=form.cleaned_data["file"],
            remove_file=form.cleaned_data.get("remove_file", False),
            actor=request.user,
            request=request,
        ),
        success=_("Resource saved."),
        next_url=lambda _resource: _library_url(program),
        template="resources/resource_form.html",
        context={"program": program, "resource": resource},
        error_field="url",
    )


@login_required
@require_POST
def resource_delete(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    program = _managed(request, slug)
    resource = access_library_resource(request.user, program, pk)
    return action(
        request,
        run=lambda: services.delete_resource(
            program=program, resource=resource, actor=request.user, request=request
        ),
        success=_("Resource deleted."),
        next_url=_library_url(program),
    )


def _template_initial(template: GoalTemplate) -> dict[str, object]:
    return {
        "title": template.title,
        "description": template.description,
        "measure": template.measure,
        "skills": [s.pk for s in template.skills.all()],
        "whole_organization": template.program_id is None,
    }


@login_required
@require_http_methods(["GET", "POST"])
def template_add(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    program = _managed(request, slug)
    form = GoalTemplateForm(request.POST or None)
    return form_page(
        request,
        form=form,
        save=lambda: services.add_template(
            program=program, data=form.template_data(), actor=request.user, request=request
        ),
        success=_("Goal template added."),
        next_url=lambda _template: _library_url(program),
        template="resources/template_form.html",
        context={"program": program},
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    program = _managed(request, slug)
    template = access_goal_template(request.user, program, pk)
    form = GoalTemplateForm(request.POST or None, initial=_template_initial(template))
    return form_page(
        request,
        form=form,
        save=lambda: services.update_template(
            program=program,
            template=template,
            data=form.template_data(),
            actor=request.user,
            request=request,
        ),
        success=_("Goal template saved."),
        next_url=lambda _template: _library_url(program),
        template="resources/template_form.html",
        context={"program": program, "goal_template": template},
    )


@login_required
@require_POST
def template_delete(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    program = _managed(request, slug)
    template = access_goal_template(request.user, program, pk)
    return action(
        request,
        run=lambda: services.delete_template(
            program=program, template=template, actor=request.user, request=request
        ),
        success=_("Goal template deleted."),
        next_url=_library_url(program),
    )


@login_required
@require_GET
def resource_download(request: AuthenticatedHttpRequest, slug: str, pk: int) -> FileResponse:
    """A library file, streamed from the private storage as a download (never shown
    inline), to the program's staff, its partners' staff and the people of its pairs."""
    _program, resource = access_resource_file(request.user, slug, pk, request=request)
    try:
        handle = resource.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return FileResponse(
        handle,
        as_attachment=True,
        filename=resource.file_name or "document",
        content_type=resource.content_type or "application/octet-stream",
    )


@login_required
@require_POST
def template_adopt(request: AuthenticatedHttpRequest, pk: int, template_pk: int) -> HttpResponse:
    """The workspace's "Adopt" button: the pair gets the template as its own goal."""
    mentorship = access_mentorship(request.user, pk, request=request)
    require(can_work_in(request.user, mentorship))
    template = access_template_for_pair(mentorship, template_pk)
    workspace = reverse("mentorships:workspace", args=[mentorship.pk]) + "?tab=goals"
    with flashed_errors(request):
        goal = services.adopt_template(
            mentorship=mentorship, template=template, actor=request.user, request=request
        )
        messages.success(
            request,
            _("Goal “%(title)s” added: adapt it to your pair with “Edit”.") % {"title": goal.title},
        )
        return redirect(f"{workspace}#goal-{goal.pk}")
    return redirect(workspace)
