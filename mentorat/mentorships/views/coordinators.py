"""Coordinators' follow-up: the program dashboard and the check-in questions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorat.accounts.models import User
from mentorat.lib.charts import BarChart, Series
from mentorat.lib.formatting import format_number
from mentorat.lib.timezones import in_user_time_zone
from mentorat.lib.views import AuthenticatedHttpRequest, action, flashed_errors, form_errors
from mentorat.mentorships import selectors
from mentorat.mentorships.forms import (
    CheckInForm,
    CheckInQuestionForm,
)
from mentorat.mentorships.health import HealthState, health_rules
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

HEALTH_TONES = {
    HealthState.AT_RISK: "danger",
    HealthState.TO_WATCH: "warning",
    HealthState.ON_TRACK: "success",
}


def _health_chart(counts: dict[HealthState, int]) -> BarChart:
    """The active pairs per health state, the tiles' numbers drawn, worst first."""
    states = list(reversed(HealthState))
    total = sum(counts.values())
    return BarChart(
        key="pairs-health",
        title=_("Active pairs by health"),
        description=ngettext(
            "%(total)s active pair: %(detail)s.", "%(total)s active pairs: %(detail)s.", total
        )
        % {
            "total": format_number(total),
            "detail": ", ".join(f"{s.label} {format_number(counts[s])}" for s in states),
        },
        category_label=_("Health"),
        categories=tuple(s.label for s in states),
        series=(
            Series(
                label=_("Pairs"),
                values=tuple(float(counts[s]) for s in states),
                shown=tuple(format_number(counts[s]) for s in states),
                tones=tuple(HEALTH_TONES[s] for s in states),
            ),
        ),
    )


@login_required
@in_user_time_zone
@require_GET
def dashboard(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Pairs of a program, at risk first, each with the reason and what to do."""
    user = request.user
    program = access_program(user, slug, request=request)
    require(can_follow_program_mentorships(user, program))
    scope = mentorship_scope(user, program)
    rows = selectors.program_pairs_health(program=program, scope=scope, now=timezone.now())
    counts = {state: sum(1 for r in rows if r.state == state) for state in HealthState}
    return render(
        request,
        "mentorships/dashboard.html",
        {
            "program": program,
            "rows": rows,
            "counts": [(state, counts[state]) for state in reversed(HealthState)],
            "health_chart": _health_chart(counts),
            "ended": selectors.last_ended_pairs(program=program, scope=scope),
            "can_edit_questions": can_edit_program(user, program),
            "health_rules": health_rules(),
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
