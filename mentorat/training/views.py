"""Training pages: a learner's modules, the module reader and its quiz, an attempt's
result; an organisation's modules and their editor (sections, questions, sharing);
a program's assignments and completion. Each view checks access, then calls one
service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorat.lib.views import AuthenticatedHttpRequest, action, form_errors, form_page
from mentorat.organizations.models import Organization
from mentorat.permissions import require
from mentorat.permissions.organizations import access_organization, roles_by_organization
from mentorat.permissions.programs import access_program, staff_organization_ids
from mentorat.permissions.training import (
    access_attempt,
    access_module,
    access_module_to_manage,
    can_assign_training,
    can_manage_module,
    can_manage_training_of,
)
from mentorat.programs.models import Program
from mentorat.programs.services import partner_organizations
from mentorat.training import selectors, services
from mentorat.training.forms import (
    AssignmentForm,
    ModuleForm,
    QuestionForm,
    QuizForm,
    SectionForm,
    module_initial,
    question_initial,
)
from mentorat.training.models import Assignment, Module, Question, Section


def _module_url(module: Module) -> str:
    return reverse("training:module", args=[module.pk])


def _edit_url(module: Module) -> str:
    return reverse("training:module_edit", args=[module.pk])


# --- Learners -------------------------------------------------------------------------------


@login_required
@require_GET
def my_modules(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My assigned modules with progress, the other modules I may follow, and, for
    staff, where to write modules and assign them."""
    user = request.user
    today = timezone.localdate()
    assigned = selectors.assigned_modules(user=user, today=today)
    assigned_ids = {line.module.pk for line in assigned}
    orgs = set(staff_organization_ids(user)) | set(roles_by_organization(user))
    catalogue = [
        m
        for m in selectors.with_progress(
            selectors.available_modules(organization_ids=orgs), user.pk
        )
        if m.pk not in assigned_ids
    ]
    staff_orgs = Organization.objects.filter(pk__in=staff_organization_ids(user)).order_by("name")
    programs = Program.objects.filter(organization__in=staff_orgs).order_by("name")
    return render(
        request,
        "training/my_modules.html",
        {
            "assigned": assigned,
            "catalogue": catalogue,
            "staff_orgs": staff_orgs,
            "programs": programs,
        },
    )


@login_required
@require_GET
def module_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The module's overview: its sections (read or not), its quiz, my progress; a
    preview with editing links for its staff."""
    module = access_module(request.user, pk, request=request)
    sections = selectors.module_sections(module=module)
    read = selectors.read_section_ids(user_id=request.user.pk, module=module)
    completion = selectors.completion_of(user_id=request.user.pk, module=module)
    questions = selectors.module_questions(module=module)
    next_section = next((s for s in sections if s.pk not in read), None)
    return render(
        request,
        "training/module_detail.html",
        {
            "module": module,
            "sections": sections,
            "read": read,
            "questions": questions,
            "completion": completion,
            "next_section": next_section,
            "all_read": next_section is None,
            "progress": selectors.progress_percent(
                sections=len(sections),
                questions=len(questions),
                read=len(read),
                completed=completion is not None,
            ),
            "translations": selectors.translations_of(module=module),
            "can_manage": can_manage_module(request.user, module),
            "attempts": module.attempts.filter(user=request.user)[:5],
        },
    )


def _section_of(module: Module, section_pk: int) -> Section:
    return get_object_or_404(Section, module=module, pk=section_pk)


@login_required
@require_GET
def section_read(request: AuthenticatedHttpRequest, pk: int, section_pk: int) -> HttpResponse:
    module = access_module(request.user, pk, request=request)
    section = _section_of(module, section_pk)
    sections = selectors.module_sections(module=module)
    index = next(i for i, s in enumerate(sections) if s.pk == section.pk)
    read = selectors.read_section_ids(user_id=request.user.pk, module=module)
    return render(
        request,
        "training/section.html",
        {
            "module": module,
            "section": section,
            "number": index + 1,
            "total": len(sections),
            "previous": sections[index - 1] if index else None,
            "next": sections[index + 1] if index + 1 < len(sections) else None,
            "is_read": section.pk in read,
        },
    )


@login_required
@require_POST
def section_done(request: AuthenticatedHttpRequest, pk: int, section_pk: int) -> HttpResponse:
    """ "I have read this section": on to the next one, or to the quiz."""
    module = access_module(request.user, pk, request=request)
    section = _section_of(module, section_pk)
    completed = services.mark_section_read(user=request.user, section=section)
    if completed:
        messages.success(request, _("Module completed. Well done!"))
    sections = selectors.module_sections(module=module)
    after = [
        s
        for s in sections
        if s.position > section.position or (s.position == section.position and s.pk > section.pk)
    ]
    if after:
        return redirect("training:section", pk=module.pk, section_pk=after[0].pk)
    if module.questions.exists():
        return redirect("training:quiz", pk=module.pk)
    return redirect(_module_url(module))


@login_required
@require_GET
def section_image(request: AuthenticatedHttpRequest, pk: int, section_pk: int) -> FileResponse:
    """A section's image, streamed from the private storage to those who see the module."""
    module = access_module(request.user, pk, request=request)
    section = _section_of(module, section_pk)
    if not section.image:
        raise Http404
    try:
        handle = section.image.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return FileResponse(handle, content_type=section.image_type or "application/octet-stream")


@login_required
@require_http_methods(["GET", "POST"])
def quiz(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    module = access_module(request.user, pk, request=request)
    questions = selectors.module_questions(module=module)
    if not questions:
        raise Http404
    # An empty POST (nothing ticked) is bound too, so that it shows its errors.
    form = QuizForm(request.POST if request.method == "POST" else None, questions=questions)
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            attempt = services.submit_attempt(
                user=request.user, module=module, answers=form.answers()
            )
            return redirect("training:attempt", pk=attempt.pk)
    return render(
        request,
        "training/quiz.html",
        {
            "module": module,
            "form": form,
            "completion": selectors.completion_of(user_id=request.user.pk, module=module),
        },
    )


@login_required
@require_GET
def attempt_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An attempt's result: score, and per question the answers given, the right ones
    and the explanation."""
    attempt = access_attempt(request.user, pk, request=request)
    questions = selectors.module_questions(module=attempt.module)
    chosen = {int(q): set(ids) for q, ids in attempt.answers.items()}
    _score, right = services.score_answers(questions, chosen)
    return render(
        request,
        "training/attempt.html",
        {
            "attempt": attempt,
            "module": attempt.module,
            "own": attempt.user_id == request.user.pk,
            "lines": [(q, chosen.get(q.pk, set()), right[q.pk]) for q in questions],
        },
    )


# --- Organisation staff: writing modules --------------------------------------------------


def _staff_org(request: AuthenticatedHttpRequest, slug: str) -> Organization:
    organization = access_organization(request.user, slug, request=request)
    require(can_manage_training_of(request.user, organization))
    return organization


@login_required
@require_GET
def organization_modules(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organization = _staff_org(request, slug)
    return render(
        request,
        "training/organization_modules.html",
        {
            "organization": organization,
            "modules": selectors.organization_modules(organization=organization),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def module_add(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organization = _staff_org(request, slug)
    form = ModuleForm(
        request.POST or None, partners=partner_organizations(organization=organization)
    )
    return form_page(
        request,
        form=form,
        save=lambda: services.create_module(
            organization=organization, data=form.module_data(), actor=request.user, request=request
        ),
        success=_("Module created: add its sections and quiz questions."),
        next_url=_edit_url,
        template="training/module_form.html",
        context={"organization": organization},
    )


@login_required
@require_http_methods(["GET", "POST"])
def module_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The module's settings (status, sharing) and the list of its sections and
    questions with their editing links."""
    module = access_module_to_manage(request.user, pk, request=request)
    partners = (
        partner_organizations(organization=module.organization) if module.organization else []
    )
    form = ModuleForm(request.POST or None, initial=module_initial(module), partners=partners)
    return form_page(
        request,
        form=form,
        save=lambda: services.update_module(
            module=module, data=form.module_data(), actor=request.user, request=request
        ),
        success=_("Module saved."),
        next_url=_edit_url,
        template="training/module_form.html",
        context={
            "organization": module.organization,
            "module": module,
            "sections": selectors.module_sections(module=module),
            "questions": selectors.module_questions(module=module),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def module_translate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A new module of the same organisation in the other language, paired with this
    one: completing either counts for both."""
    module = access_module_to_manage(request.user, pk, request=request)
    organization = module.organization
    if organization is None:  # the starter set ships both languages already
        raise Http404
    other = "en" if module.language == "fr" else "fr"
    form = ModuleForm(
        request.POST or None,
        initial={**module_initial(module), "language": other, "status": "draft"},
        partners=partner_organizations(organization=organization),
    )
    return form_page(
        request,
        form=form,
        save=lambda: services.create_module(
            organization=organization,
            data=form.module_data(),
            actor=request.user,
            translation_of=module,
            request=request,
        ),
        success=_("Translation created: add its sections and quiz questions."),
        next_url=_edit_url,
        template="training/module_form.html",
        context={"organization": organization, "translation_of": module},
    )


@login_required
@require_http_methods(["GET", "POST"])
def section_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    module = access_module_to_manage(request.user, pk, request=request)
    form = SectionForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form=form,
        save=lambda: services.add_section(
            module=module,
            data=form.section_data(),
            upload=form.cleaned_data["image"],
            actor=request.user,
            request=request,
        ),
        success=_("Section added."),
        next_url=lambda _s: _edit_url(module),
        template="training/section_form.html",
        context={"module": module},
    )


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request: AuthenticatedHttpRequest, pk: int, section_pk: int) -> HttpResponse:
    module = access_module_to_manage(request.user, pk, request=request)
    section = _section_of(module, section_pk)
    initial = {
        "title": section.title,
        "body": section.body,
        "video_url": section.video_url,
        "image_alt": section.image_alt,
    }
    form = SectionForm(
        request.POST or None, request.FILES or None, initial=initial, has_image=bool(section.image)
    )
    return form_page(
        request,
        form=form,
        save=lambda: services.update_section(
            section=section,
            data=form.section_data(),
            upload=form.cleaned_data["image"],
            remove_image=form.cleaned_data.get("remove_image", False),
            actor=request.user,
            request=request,
        ),
        success=_("Section saved."),
        next_url=lambda _s: _edit_url(module),
        template="training/section_form.html",
        context={"module": module, "section": section},
    )


@login_required
@require_POST
def section_delete(request: AuthenticatedHttpRequest, pk: int, section_pk: int) -> HttpResponse:
    module = access_module_to_manage(request.user, pk, request=request)
    section = _section_of(module, section_pk)
    return action(
        request,
        run=lambda: services.delete_section(section=section, actor=request.user, request=request),
        success=_("Section deleted."),
        next_url=_edit_url(module),
    )


def _question_of(module: Module, question_pk: int) -> Question:
    return get_object_or_404(Question, module=module, pk=question_pk)


@login_required
@require_http_methods(["GET", "POST"])
def question_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    module = access_module_to_manage(request.user, pk, request=request)
    form = QuestionForm(request.POST or None)
    return form_page(
        request,
        form=form,
        save=lambda: services.add_question(
            module=module, data=form.question_data(), actor=request.user, request=request
        ),
        success=_("Question added."),
        next_url=lambda _q: _edit_url(module),
        template="training/question_form.html",
        context={"module": module},
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request: AuthenticatedHttpRequest, pk: int, question_pk: int) -> HttpResponse:
    module = access_module_to_manage(request.user, pk, request=request)
    question = _question_of(module, question_pk)
    form = QuestionForm(request.POST or None, initial=question_initial(question))
    return form_page(
        request,
        form=form,
        save=lambda: services.update_question(
            question=question, data=form.question_data(), actor=request.user, request=request
        ),
        success=_("Question saved."),
        next_url=lambda _q: _edit_url(module),
        template="training/question_form.html",
        context={"module": module, "question": question},
    )


@login_required
@require_POST
def question_delete(request: AuthenticatedHttpRequest, pk: int, question_pk: int) -> HttpResponse:
    module = access_module_to_manage(request.user, pk, request=request)
    question = _question_of(module, question_pk)
    return action(
        request,
        run=lambda: services.delete_question(
            question=question, actor=request.user, request=request
        ),
        success=_("Question deleted."),
        next_url=_edit_url(module),
    )


# --- Program staff: assignments and completion ----------------------------------------------


def _program_training_url(program: Program) -> str:
    return reverse("training:program_training", args=[program.slug])


def _assigning(request: AuthenticatedHttpRequest, slug: str) -> Program:
    program = access_program(request.user, slug, request=request)
    require(can_assign_training(request.user, program))
    return program


@login_required
@require_GET
def program_training(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """A program's modules (assigned to whom, how) and completion per person and per
    module in its current editions."""
    program = _assigning(request, slug)
    report = selectors.program_training(program=program, today=timezone.localdate())
    return render(
        request,
        "training/program_training.html",
        {
            "program": program,
            "report": report,
            "coverage": selectors.training_coverage(program=program),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_add(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    program = _assigning(request, slug)
    form = AssignmentForm(
        request.POST or None, modules=selectors.assignable_modules(program=program)
    )
    return form_page(
        request,
        form=form,
        save=lambda: services.assign_module(
            program=program,
            module=form.cleaned_data["module"],
            audience=form.cleaned_data["audience"],
            requirement=form.cleaned_data["requirement"],
            days=form.cleaned_data["days"],
            actor=request.user,
            request=request,
        ),
        success=_("Module assigned."),
        next_url=lambda _a: _program_training_url(program),
        template="training/assignment_form.html",
        context={"program": program},
    )


@login_required
@require_POST
def assignment_delete(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    program = _assigning(request, slug)
    assignment = get_object_or_404(
        Assignment.objects.select_related("program"), program=program, pk=pk
    )
    return action(
        request,
        run=lambda: services.unassign_module(
            assignment=assignment, actor=request.user, request=request
        ),
        success=_("Module no longer assigned."),
        next_url=_program_training_url(program),
    )
