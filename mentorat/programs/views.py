from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mentorat.accounts.models import User
from mentorat.lib.errors import DomainError
from mentorat.permissions import require
from mentorat.permissions.organizations import access_organization
from mentorat.permissions.programs import (
    access_program,
    access_public_program,
    can_create_program,
    can_edit_program,
    can_view_applications,
    can_view_program_settings,
)
from mentorat.programs import selectors, services
from mentorat.programs.forms import (
    CharterForm,
    EditionForm,
    EligibilityRuleForm,
    MatchingSettingsForm,
    ObjectiveForm,
    ProgramCreateForm,
    ProgramForm,
    QuestionForm,
)
from mentorat.programs.models import (
    CustomQuestion,
    Edition,
    EligibilityRule,
    MatchingSettings,
    Objective,
    ParticipantRole,
    Program,
)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


# Public pages -------------------------------------------------------------------------


def public_list(request: HttpRequest) -> HttpResponse:
    programs = selectors.open_programs(today=timezone.localdate())
    return render(request, "programs/public_list.html", {"programs": programs})


def public_detail(request: HttpRequest, slug: str) -> HttpResponse:
    program = access_public_program(_user(request), slug)
    today = timezone.localdate()
    return render(
        request,
        "programs/public_detail.html",
        {
            "program": program,
            "edition": selectors.open_edition(program=program, today=today),
            "objectives": program.objectives.all(),
            "charter": selectors.current_charter(program=program),
            "roles": ParticipantRole,
        },
    )


# Organisation's programs ---------------------------------------------------------------


@login_required
def program_list(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    organization = access_organization(user, slug, request=request)
    require(can_create_program(user, organization))
    return render(
        request,
        "programs/program_list.html",
        {
            "organization": organization,
            "programs": selectors.programs_of(organization=organization),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def program_create(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    organization = access_organization(user, slug, request=request)
    require(can_create_program(user, organization))
    form = ProgramCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            program = services.create_program(
                organization=organization,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                summary=form.cleaned_data["summary"],
                actor=user,
                request=request,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Program created from its type's template."))
            return redirect("programs:manage", slug=program.slug)
    return render(
        request,
        "programs/program_form.html",
        {"form": form, "title": _("New program"), "organization": organization},
    )


# Management ----------------------------------------------------------------------------


@login_required
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    program = access_program(user, slug, request=request)
    require(can_view_program_settings(user, program))
    program = selectors.program_with_settings(program_id=program.pk)
    settings = getattr(program, "matching_settings", None)
    return render(
        request,
        "programs/manage.html",
        {
            "program": program,
            "settings": settings,
            "can_edit": can_edit_program(user, program),
            "can_view_applications": can_view_applications(user, program),
        },
    )


def _edit_page(
    request: HttpRequest,
    slug: str,
    *,
    make_form: Callable[[Program, dict[str, Any] | None], forms.BaseForm],
    save: Callable[[Program, forms.BaseForm, User], object],
    title: str,
    success: str,
    error_field: str | None = None,
) -> HttpResponse:
    """Shared shape of the management forms: check, validate, call one service."""
    user = _user(request)
    program = access_program(user, slug, request=request)
    require(can_edit_program(user, program))
    form = make_form(program, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            save(program, form, user)
        except DomainError as error:
            form.add_error(error_field, error.message)
        else:
            messages.success(request, success)
            return redirect("programs:manage", slug=program.slug)
    return render(
        request, "programs/program_form.html", {"form": form, "title": title, "program": program}
    )


@login_required
@require_http_methods(["GET", "POST"])
def program_edit(request: HttpRequest, slug: str) -> HttpResponse:
    def make_form(program: Program, data: dict[str, Any] | None) -> forms.BaseForm:
        partners = services.partner_organizations(organization=program.organization)
        initial = {
            "name": program.name,
            "summary": program.summary,
            "description": program.description,
            "is_published": program.is_published,
            "shared_with": list(program.shared_with.all()),
        }
        return ProgramForm(data, initial=initial, partners=partners)

    def save(program: Program, form: forms.BaseForm, user: User) -> object:
        data = form.cleaned_data
        return services.update_program(
            program=program,
            name=data["name"],
            summary=data["summary"],
            description=data["description"],
            is_published=data["is_published"],
            shared_with=list(data["shared_with"]),
            actor=user,
            request=request,
        )

    return _edit_page(
        request,
        slug,
        make_form=make_form,
        save=save,
        title=_("Edit the program"),
        success=_("Program saved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def matching_edit(request: HttpRequest, slug: str) -> HttpResponse:
    def make_form(program: Program, data: dict[str, Any] | None) -> forms.BaseForm:
        settings, _created = MatchingSettings.objects.get_or_create(program=program)
        return MatchingSettingsForm(data, initial=MatchingSettingsForm.initial_from(settings))

    def save(program: Program, form: forms.BaseForm, user: User) -> object:
        assert isinstance(form, MatchingSettingsForm)
        data = form.cleaned_data
        return services.update_matching_settings(
            program=program,
            mode=data["mode"],
            criteria_weights=form.weights(),
            default_mentor_capacity=data["default_mentor_capacity"],
            hard_rules=data["hard_rules"],
            priority_groups=data["priority_groups"],
            women_share_target=data["women_share_target"],
            answer_days=data["answer_days"],
            actor=user,
            request=request,
        )

    return _edit_page(
        request,
        slug,
        make_form=make_form,
        save=save,
        title=_("Matching settings"),
        success=_("Matching settings saved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def charter_edit(request: HttpRequest, slug: str) -> HttpResponse:
    def make_form(program: Program, data: dict[str, Any] | None) -> forms.BaseForm:
        current = selectors.current_charter(program=program)
        return CharterForm(data, initial={"text": current.text if current else ""})

    def save(program: Program, form: forms.BaseForm, user: User) -> object:
        return services.publish_charter(
            program=program, text=form.cleaned_data["text"], actor=user, request=request
        )

    return _edit_page(
        request,
        slug,
        make_form=make_form,
        save=save,
        title=_("Charter"),
        success=_("New charter version published."),
        error_field="text",
    )


@login_required
@require_http_methods(["GET", "POST"])
def objective_add(request: HttpRequest, slug: str) -> HttpResponse:
    def save(program: Program, form: forms.BaseForm, user: User) -> object:
        return services.add_objective(
            program=program, actor=user, request=request, **form.cleaned_data
        )

    return _edit_page(
        request,
        slug,
        make_form=lambda p, d: ObjectiveForm(d),
        save=save,
        title=_("New objective"),
        success=_("Objective added."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def edition_add(request: HttpRequest, slug: str) -> HttpResponse:
    def save(program: Program, form: forms.BaseForm, user: User) -> object:
        return services.save_edition(
            program=program, actor=user, request=request, **form.cleaned_data
        )

    return _edit_page(
        request,
        slug,
        make_form=lambda p, d: EditionForm(d),
        save=save,
        title=_("New edition"),
        success=_("Edition saved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def edition_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    def make_form(program: Program, data: dict[str, Any] | None) -> forms.BaseForm:
        edition = get_object_or_404(Edition, program=program, pk=pk)
        return EditionForm(data, initial=model_to_dict(edition))

    def save(program: Program, form: forms.BaseForm, user: User) -> object:
        edition = get_object_or_404(Edition, program=program, pk=pk)
        return services.save_edition(
            program=program, edition=edition, actor=user, request=request, **form.cleaned_data
        )

    return _edit_page(
        request,
        slug,
        make_form=make_form,
        save=save,
        title=_("Edit the edition"),
        success=_("Edition saved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def rule_add(request: HttpRequest, slug: str) -> HttpResponse:
    def save(program: Program, form: forms.BaseForm, user: User) -> object:
        return services.add_eligibility_rule(
            program=program, actor=user, request=request, **form.cleaned_data
        )

    return _edit_page(
        request,
        slug,
        make_form=lambda p, d: EligibilityRuleForm(d),
        save=save,
        title=_("New eligibility rule"),
        success=_("Eligibility rule added."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_add(request: HttpRequest, slug: str) -> HttpResponse:
    def save(program: Program, form: forms.BaseForm, user: User) -> object:
        assert isinstance(form, QuestionForm)
        data = form.cleaned_data
        return services.add_question(
            program=program,
            label=data["label"],
            help_text=data["help_text"],
            kind=data["kind"],
            role=data["role"],
            required=data["required"],
            choices=form.choice_list(),
            actor=user,
            request=request,
        )

    return _edit_page(
        request,
        slug,
        make_form=lambda p, d: QuestionForm(d),
        save=save,
        title=_("New question"),
        success=_("Question added."),
        error_field=None,
    )


def _delete(
    request: HttpRequest, slug: str, remove: Callable[[Program, User], None], success: str
) -> HttpResponse:
    user = _user(request)
    program = access_program(user, slug, request=request)
    require(can_edit_program(user, program))
    remove(program, user)
    messages.success(request, success)
    return redirect("programs:manage", slug=program.slug)


@login_required
@require_POST
def objective_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    def remove(program: Program, user: User) -> None:
        objective = get_object_or_404(
            Objective.objects.select_related("program__organization"), program=program, pk=pk
        )
        services.remove_objective(objective=objective, actor=user, request=request)

    return _delete(request, slug, remove, _("Objective removed."))


@login_required
@require_POST
def rule_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    def remove(program: Program, user: User) -> None:
        rule = get_object_or_404(
            EligibilityRule.objects.select_related("program__organization"), program=program, pk=pk
        )
        services.remove_eligibility_rule(rule=rule, actor=user, request=request)

    return _delete(request, slug, remove, _("Eligibility rule removed."))


@login_required
@require_POST
def question_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    def remove(program: Program, user: User) -> None:
        question = get_object_or_404(
            CustomQuestion.objects.select_related("program__organization"), program=program, pk=pk
        )
        services.remove_question(question=question, actor=user, request=request)

    return _delete(request, slug, remove, _("Question removed."))
