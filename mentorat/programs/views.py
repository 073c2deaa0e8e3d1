from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_stubs_ext import StrOrPromise

from mentorat.accounts.models import User
from mentorat.lib.views import AuthenticatedHttpRequest, action, form_page, user_of
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

# Public pages -------------------------------------------------------------------------


def public_list(request: HttpRequest) -> HttpResponse:
    programs = selectors.open_programs(today=timezone.localdate())
    return render(request, "programs/public_list.html", {"programs": programs})


def public_detail(request: HttpRequest, slug: str) -> HttpResponse:
    program = access_public_program(user_of(request), slug)
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
def program_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organization = access_organization(request.user, slug, request=request)
    require(can_create_program(request.user, organization))
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
def program_create(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organization = access_organization(request.user, slug, request=request)
    require(can_create_program(request.user, organization))
    form = ProgramCreateForm(request.POST or None)

    def save() -> Program:
        return services.create_program(
            organization=organization,
            name=form.cleaned_data["name"],
            kind=form.cleaned_data["kind"],
            summary=form.cleaned_data["summary"],
            actor=request.user,
            request=request,
        )

    return form_page(
        request,
        form=form,
        save=save,
        success=_("Program created from its type's template."),
        next_url=lambda program: reverse("programs:manage", args=[program.slug]),
        template="programs/program_form.html",
        context={"title": _("New program"), "organization": organization},
    )


# Management ----------------------------------------------------------------------------


@login_required
def manage(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    user = request.user
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
            # A partner's coordinator cannot open the owner's pages: no link there.
            "can_open_organization": can_create_program(user, program.organization),
        },
    )


def _program_page(
    make_form: Callable[..., forms.BaseForm],
    save: Callable[..., object],
    *,
    title: StrOrPromise,
    success: StrOrPromise,
    error_field: str | None = None,
) -> Callable[..., HttpResponse]:
    """A management form of a program: check, `make_form(program, data, **url_kwargs)`,
    then on a valid POST `save(program, form, request, **url_kwargs)` (one service call)
    and back to the management page."""

    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request: AuthenticatedHttpRequest, slug: str, **url_kwargs: Any) -> HttpResponse:
        program = access_program(request.user, slug, request=request)
        require(can_edit_program(request.user, program))
        data = request.POST if request.method == "POST" else None
        form = make_form(program, data, **url_kwargs)
        return form_page(
            request,
            form=form,
            save=lambda: save(program, form, request, **url_kwargs),
            success=str(success),
            next_url=lambda _saved: reverse("programs:manage", args=[program.slug]),
            template="programs/program_form.html",
            context={"title": title, "program": program},
            error_field=error_field,
        )

    return view


def _added_with(add: Callable[..., object]) -> Callable[..., object]:
    """`save` for a form whose fields are the arguments of the service
    `add(program=, actor=, request=, **fields)`."""

    def save(program: Program, form: forms.BaseForm, request: AuthenticatedHttpRequest) -> object:
        return add(program=program, actor=request.user, request=request, **form.cleaned_data)

    return save


def _program_form(program: Program, data: dict[str, Any] | None) -> forms.BaseForm:
    initial = {
        "name": program.name,
        "summary": program.summary,
        "description": program.description,
        "is_published": program.is_published,
        "shared_with": list(program.shared_with.all()),
        **{name: getattr(program, name) for name in ProgramForm.MINORS_FIELDS},
    }
    partners = services.partner_organizations(organization=program.organization)
    return ProgramForm(data, initial=initial, partners=partners)


def _update_program(
    program: Program, form: forms.BaseForm, request: AuthenticatedHttpRequest
) -> object:
    data = form.cleaned_data
    return services.update_program(
        program=program,
        name=data["name"],
        summary=data["summary"],
        description=data["description"],
        is_published=data["is_published"],
        shared_with=list(data["shared_with"]),
        minors={name: data[name] for name in ProgramForm.MINORS_FIELDS},
        actor=request.user,
        request=request,
    )


def _matching_form(program: Program, data: dict[str, Any] | None) -> forms.BaseForm:
    # Read only: every program has its settings row since its creation.
    settings = MatchingSettings.objects.filter(program=program).first()
    initial = MatchingSettingsForm.initial_from(settings or MatchingSettings())
    return MatchingSettingsForm(data, initial=initial)


def _update_matching(
    program: Program, form: forms.BaseForm, request: AuthenticatedHttpRequest
) -> object:
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
        actor=request.user,
        request=request,
    )


def _charter_form(program: Program, data: dict[str, Any] | None) -> forms.BaseForm:
    current = selectors.current_charter(program=program)
    return CharterForm(data, initial={"text": current.text if current else ""})


def _publish_charter(
    program: Program, form: forms.BaseForm, request: AuthenticatedHttpRequest
) -> object:
    return services.publish_charter(
        program=program, text=form.cleaned_data["text"], actor=request.user, request=request
    )


def _edition_form(program: Program, data: dict[str, Any] | None, pk: int) -> forms.BaseForm:
    edition = get_object_or_404(Edition, program=program, pk=pk)
    return EditionForm(data, initial=model_to_dict(edition))


def _save_edition(
    program: Program, form: forms.BaseForm, request: AuthenticatedHttpRequest, pk: int
) -> object:
    edition = get_object_or_404(Edition, program=program, pk=pk)
    return services.save_edition(
        program=program, edition=edition, actor=request.user, request=request, **form.cleaned_data
    )


def _add_question(
    program: Program, form: forms.BaseForm, request: AuthenticatedHttpRequest
) -> object:
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
        actor=request.user,
        request=request,
    )


program_edit = _program_page(
    _program_form,
    _update_program,
    title=gettext_lazy("Edit the program"),
    success=gettext_lazy("Program saved."),
)
matching_edit = _program_page(
    _matching_form,
    _update_matching,
    title=gettext_lazy("Matching settings"),
    success=gettext_lazy("Matching settings saved."),
)
charter_edit = _program_page(
    _charter_form,
    _publish_charter,
    title=gettext_lazy("Charter"),
    success=gettext_lazy("New charter version published."),
    error_field="text",
)
edition_edit = _program_page(
    _edition_form,
    _save_edition,
    title=gettext_lazy("Edit the edition"),
    success=gettext_lazy("Edition saved."),
)


def _add_page(
    form_class: type[forms.BaseForm],
    add: Callable[..., object],
    title: StrOrPromise,
    success: StrOrPromise,
) -> Callable[..., HttpResponse]:
    """A page adding one item whose form fields are the arguments of `add`."""
    make_form = lambda _program, data: form_class(data)  # noqa: E731
    return _program_page(make_form, _added_with(add), title=title, success=success)


edition_add = _add_page(
    EditionForm, services.save_edition, gettext_lazy("New edition"), gettext_lazy("Edition saved.")
)
objective_add = _add_page(
    ObjectiveForm,
    services.add_objective,
    gettext_lazy("New objective"),
    gettext_lazy("Objective added."),
)
rule_add = _add_page(
    EligibilityRuleForm,
    services.add_eligibility_rule,
    gettext_lazy("New eligibility rule"),
    gettext_lazy("Eligibility rule added."),
)
question_add = _program_page(
    lambda _program, data: QuestionForm(data),
    _add_question,
    title=gettext_lazy("New question"),
    success=gettext_lazy("Question added."),
)


def _delete_page(
    model: type[Objective | EligibilityRule | CustomQuestion],
    remove: Callable[[Any, User, HttpRequest], object],
    *,
    success: StrOrPromise,
) -> Callable[..., HttpResponse]:
    """The delete button of one item of a program: check, call one service, back to the
    management page."""

    @login_required
    @require_POST
    def view(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
        program = access_program(request.user, slug, request=request)
        require(can_edit_program(request.user, program))
        item = get_object_or_404(
            model.objects.select_related("program__organization"), program=program, pk=pk
        )
        return action(
            request,
            run=lambda: remove(item, request.user, request),
            success=str(success),
            next_url=reverse("programs:manage", args=[program.slug]),
        )

    return view


objective_delete = _delete_page(
    Objective,
    lambda item, user, request: services.remove_objective(
        objective=item, actor=user, request=request
    ),
    success=gettext_lazy("Objective removed."),
)
rule_delete = _delete_page(
    EligibilityRule,
    lambda item, user, request: services.remove_eligibility_rule(
        rule=item, actor=user, request=request
    ),
    success=gettext_lazy("Eligibility rule removed."),
)
question_delete = _delete_page(
    CustomQuestion,
    lambda item, user, request: services.remove_question(
        question=item, actor=user, request=request
    ),
    success=gettext_lazy("Question removed."),
)
