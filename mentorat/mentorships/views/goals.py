"""Goals, skills self-assessments and shared links of a pair."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mentorat.accounts.models import User
from mentorat.lib.timezones import in_user_time_zone
from mentorat.lib.views import AuthenticatedHttpRequest, action, flashed_errors, form_errors
from mentorat.mentorships.forms import (
    AssessmentForm,
    GoalForm,
    GoalProgressForm,
    ResourceForm,
    pair_skills,
)
from mentorat.mentorships.models import (
    AssessmentPhase,
    Goal,
    Resource,
)
from mentorat.mentorships.services import pairs as pair_services
from mentorat.mentorships.views._common import (
    _pair_page,
    _workspace,
    workspace_tab,
    workspace_url,
)


@login_required
@in_user_time_zone
@require_http_methods(["GET", "POST"])
def goal_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user, mentorship = _pair_page(request, pk)
    form = GoalForm(request.POST or None, mentorship=mentorship)
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            pair_services.add_goal(
                mentorship=mentorship, data=form.goal_data(), actor=user, request=request
            )
            messages.success(request, _("Goal added."))
            return _workspace(mentorship, tab="goals")
    return render(request, "mentorships/goal_form.html", {"mentorship": mentorship, "form": form})


def _goal(request: AuthenticatedHttpRequest, pk: int, goal_pk: int) -> tuple[User, Goal]:
    """A goal of the signed-in person's active pair (404 for another pair's goal)."""
    user, mentorship = _pair_page(request, pk)
    goal = Goal.objects.filter(mentorship=mentorship, pk=goal_pk).first()
    if goal is None:
        raise Http404
    goal.mentorship = mentorship
    return user, goal


@login_required
@in_user_time_zone
@require_http_methods(["GET", "POST"])
def goal_edit(request: AuthenticatedHttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    user, goal = _goal(request, pk, goal_pk)
    initial = {
        "title": goal.title,
        "measure": goal.measure,
        "due_on": goal.due_on,
        "skills": list(goal.skills.values_list("pk", flat=True)),
    }
    form = GoalForm(request.POST or None, mentorship=goal.mentorship, initial=initial)
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            pair_services.update_goal(goal=goal, data=form.goal_data(), actor=user, request=request)
            messages.success(request, _("Goal saved."))
            return _workspace(goal.mentorship, tab="goals")
    return render(
        request,
        "mentorships/goal_form.html",
        {"mentorship": goal.mentorship, "goal": goal, "form": form},
    )


@login_required
@require_POST
def goal_status(request: AuthenticatedHttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    """The goal card's buttons: mark achieved, abandon, or resume."""
    user, goal = _goal(request, pk, goal_pk)
    with flashed_errors(request):
        pair_services.update_goal_progress(
            goal=goal,
            progress=goal.progress,
            status=request.POST.get("status", ""),
            note="",
            actor=user,
            request=request,
        )
        messages.success(
            request,
            _("“%(goal)s”: %(status)s.")
            % {"goal": goal.title, "status": goal.get_status_display()},
        )
    return _workspace(goal.mentorship, tab="goals", request=request)


@login_required
@in_user_time_zone
@require_http_methods(["GET", "POST"])
def goal_progress(request: AuthenticatedHttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    user, goal = _goal(request, pk, goal_pk)
    mentorship = goal.mentorship
    form = GoalProgressForm(
        request.POST or None, initial={"progress": goal.progress, "status": goal.status}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with form_errors(form):
            pair_services.update_goal_progress(
                goal=goal,
                progress=d["progress"],
                status=d["status"],
                note=d["note"],
                actor=user,
                request=request,
            )
            messages.success(request, _("Progress saved."))
            return _workspace(mentorship, tab="goals")
    return render(
        request,
        "mentorships/goal_progress.html",
        {"mentorship": mentorship, "goal": goal, "form": form},
    )


@login_required
@in_user_time_zone
@require_http_methods(["GET", "POST"])
def assessment(request: AuthenticatedHttpRequest, pk: int, phase: str) -> HttpResponse:
    user, mentorship = _pair_page(request, pk)
    if phase not in AssessmentPhase.values:
        raise Http404
    goal_skills = {s for g in mentorship.goals.prefetch_related("skills") for s in g.skills.all()}
    skills = sorted(goal_skills, key=lambda s: s.name) or list(
        pair_skills(mentorship).filter(kind="transversal")
    )
    role = mentorship.role_of(user.pk)
    current = {
        f"skill_{a.skill_id}": str(a.level)
        for a in mentorship.assessments.filter(phase=phase, rater_role=role)
    }
    form = AssessmentForm(request.POST or None, skills=skills, initial=current)
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            pair_services.save_assessment(
                mentorship=mentorship,
                phase=phase,
                levels=form.levels(),
                actor=user,
                request=request,
            )
            messages.success(request, _("Assessment saved."))
            return _workspace(mentorship, tab="goals")
    return render(
        request,
        "mentorships/assessment_form.html",
        {
            "mentorship": mentorship,
            "form": form,
            "phase": AssessmentPhase(phase),
            "role": role,
        },
    )


@login_required
@require_POST
def resource_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user, mentorship = _pair_page(request, pk)
    form = ResourceForm(request.POST)
    if form.is_valid():
        with flashed_errors(request):
            pair_services.add_resource(
                mentorship=mentorship,
                title=form.cleaned_data["title"],
                url=form.cleaned_data["url"],
                actor=user,
                request=request,
            )
            messages.success(request, _("Link shared."))
    else:
        for field, problems in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for problem in problems:
                messages.error(request, f"{label}: {problem}" if label else str(problem))
    return _workspace(mentorship, tab="resources", request=request)


def _resource(
    request: AuthenticatedHttpRequest, pk: int, resource_pk: int
) -> tuple[User, Resource]:
    """A link shared in the signed-in person's active pair, whoever added it."""
    user, mentorship = _pair_page(request, pk)
    resource = Resource.objects.filter(mentorship=mentorship, pk=resource_pk).first()
    if resource is None:
        raise Http404
    resource.mentorship = mentorship
    return user, resource


@login_required
@require_http_methods(["GET", "POST"])
def resource_edit(request: AuthenticatedHttpRequest, pk: int, resource_pk: int) -> HttpResponse:
    user, resource = _resource(request, pk, resource_pk)
    form = ResourceForm(
        request.POST or None, initial={"title": resource.title, "url": resource.url}
    )
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            pair_services.update_resource(
                resource=resource,
                title=form.cleaned_data["title"],
                url=form.cleaned_data["url"],
                actor=user,
                request=request,
            )
            messages.success(request, _("Link saved."))
            return _workspace(resource.mentorship, tab="resources")
    return render(
        request,
        "mentorships/resource_form.html",
        {"mentorship": resource.mentorship, "resource": resource, "form": form},
    )


@login_required
@require_POST
def resource_delete(request: AuthenticatedHttpRequest, pk: int, resource_pk: int) -> HttpResponse:
    user, resource = _resource(request, pk, resource_pk)
    return action(
        request,
        run=lambda: pair_services.remove_resource(resource=resource, actor=user, request=request),
        success=_("Link removed."),
        next_url=workspace_url(resource.mentorship, workspace_tab(request, "resources")),
    )
