"""Coordinators' follow-up: the program dashboard and the check-in questions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorat.accounts.models import User
from mentorat.lib.timezones import in_user_time_zone
from mentorat.lib.views import AuthenticatedHttpRequest, action, flashed_errors, form_errors
from mentorat.mentorships import selectors
from mentorat.mentorships.forms import (
    CheckInForm,
    CheckInQuestionForm,
)
from mentorat.mentorships.health import HealthState
from mentorat.mentorships.models import (
    CheckInQuestion,
)
from mentorat.mentorships.services import check_ins as check_in_services
from mentorat.permissions import require
from mentorat.permissions.mentorships import (
    can_follow_program_mentorships,
    mentorship_scope,
)
from mentorat.permissions.programs import access_program, can_edit_program
from mentorat.programs.models import Program


@login_required
@in_user_time_zone
@require_GET
def dashboard(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Pairs of a program, at risk first, each with the reason and what to do."""
    user = request.user
    program = access_program(user, slug, request=request)
    require(can_follow_program_mentorships(user, program))
    scope = mentorship_scope(user, program)
    rows = selectors.active_pairs_health(
        selectors.program_mentorships(program=program, scope=scope), now=timezone.now()
    )
    counts = {state: sum(1 for r in rows if r.state == state) for state in HealthState}
    return render(
        request,
        "mentorships/dashboard.html",
        {
            "program": program,
            "rows": rows,
            "counts": [(state, counts[state]) for state in reversed(HealthState)],
            "ended": selectors.ended_pairs(program=program, scope=scope)[:50],
            "can_edit_questions": can_edit_program(user, program),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def check_in_questions(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    user = request.user
    program = access_program(user, slug, request=request)
    require(can_edit_program(user, program))
    form = CheckInQuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            check_in_services.add_check_in_question(
                program=program,
                label=form.cleaned_data["label"],
                kind=form.cleaned_data["kind"],
                actor=user,
                request=request,
            )
            messages.success(request, _("Question added to the check-ins."))
            return redirect("mentorships:check_in_questions", slug=program.slug)
    return render(
        request,
        "mentorships/check_in_questions.html",
        {
            "program": program,
            "form": form,
            "questions": CheckInQuestion.objects.filter(program=program),
            "fixed": CheckInForm(questions=[]),
        },
    )


def _editable_question(
    request: AuthenticatedHttpRequest, slug: str, pk: int
) -> tuple[User, Program, CheckInQuestion]:
    """The program's check-in question, for someone who may edit the program (404 otherwise)."""
    user = request.user
    program = access_program(user, slug, request=request)
    require(can_edit_program(user, program))
    question = CheckInQuestion.objects.filter(program=program, pk=pk).first()
    if question is None:
        raise Http404
    return user, program, question


@login_required
@require_POST
def check_in_question_edit(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    user, program, question = _editable_question(request, slug, pk)
    with flashed_errors(request):
        check_in_services.update_check_in_question(
            question=question,
            label=request.POST.get("label", "")[:300],
            actor=user,
            request=request,
        )
        messages.success(request, _("Question saved."))
    return redirect("mentorships:check_in_questions", slug=program.slug)


@login_required
@require_POST
def check_in_question_delete(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    user, program, question = _editable_question(request, slug, pk)
    return action(
        request,
        run=lambda: check_in_services.delete_check_in_question(
            question=question, actor=user, request=request
        ),
        success=_("Question removed."),
        next_url=reverse("mentorships:check_in_questions", args=[program.slug]),
    )
