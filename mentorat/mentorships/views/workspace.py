"""The pair's own pages: the list of one's pairs, the workspace and reminders."""

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from mentorat.accounts.models import User
from mentorat.lib.errors import DomainError
from mentorat.lib.timezones import in_user_time_zone
from mentorat.lib.views import AuthenticatedHttpRequest
from mentorat.mentorships import selectors
from mentorat.mentorships.forms import (
    ResourceForm,
)
from mentorat.mentorships.models import (
    AssessmentPhase,
    GoalStatus,
    Meeting,
    MeetingStatus,
    OutcomeStage,
    PairAnswer,
)
from mentorat.mentorships.services import pairs as pair_services
from mentorat.mentorships.views._common import (
    _link_invalid,
    _workspace,
    workspace_tab,
)
from mentorat.participants.models import Profile
from mentorat.permissions import require
from mentorat.permissions.mentorships import (
    access_mentorship,
    can_end_mentorship,
    can_record_outcome,
    can_work_in,
    is_pair_member,
)
from mentorat.programs.selectors import current_charter


@login_required
@in_user_time_zone
def my_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "mentorships/my_list.html",
        {
            "mentorships": selectors.mentorships_of_user(user=user),
            "check_ins": selectors.pending_check_ins(user=user),
            "mentor_hours": selectors.mentor_minutes(user=user) / 60,
        },
    )


@login_required
@in_user_time_zone
def workspace(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    mentorship = access_mentorship(user, pk, request=request)
    now = timezone.now()
    health = selectors.health_of(mentorship=mentorship, now=now) if mentorship.is_active else None
    program = mentorship.edition.program
    common: dict[str, Any] = {
        "mentorship": mentorship,
        "program": program,
        "health": health,
        "can_end": can_end_mentorship(user, mentorship),
        "can_record_outcome": can_record_outcome(user, mentorship),
        "stages": OutcomeStage,
    }
    if not is_pair_member(user, mentorship):
        # Coordinators' summary: no shared or private notes, no resources.
        return render(
            request,
            "mentorships/summary.html",
            common
            | {
                "goals": selectors.workspace_goals(mentorship=mentorship),
                "assessments": selectors.assessment_table(mentorship=mentorship),
                "outcomes": selectors.pair_outcomes(mentorship=mentorship),
                "meetings": selectors.workspace_meetings(mentorship=mentorship),
                "check_ins": selectors.check_in_summary(mentorship=mentorship),
                # What the pair shares stays theirs: coordinators see how much, not what.
                "resource_count": selectors.pair_resource_count(mentorship=mentorship),
            },
        )
    tab = workspace_tab(request)
    role = mentorship.role_of(user.pk)
    reminders_off = (
        mentorship.mentor_reminders_off if role == "mentor" else mentorship.mentee_reminders_off
    )
    # Pairs introduced by the matching wait for both sides to confirm before a deadline.
    introduction = getattr(mentorship, "introduction", None)
    answer_pending = (
        introduction is not None
        and mentorship.is_active
        and getattr(mentorship, f"{role}_answer") == PairAnswer.PENDING
    )
    can_work = can_work_in(user, mentorship)
    meetings = selectors.workspace_meetings(mentorship=mentorship)
    overview = _overview(meetings, user=user, now=now, can_work=can_work)
    check_ins = selectors.pair_pending_check_ins(mentorship=mentorship, user=user)
    # The overview counts the goals; only their tab shows their skills and updates.
    goals = (
        selectors.workspace_goals(mentorship=mentorship)
        if tab == "goals"
        else selectors.pair_goals(mentorship=mentorship)
    )
    context = (
        common
        | overview
        | {
            "tab": tab,
            "to_do_count": int(answer_pending)
            + len(check_ins)
            + len(overview["meetings_to_answer"])
            + len(overview["meetings_to_log"]),
            "goals": goals,
            "goals_achieved": sum(1 for g in goals if g.status == GoalStatus.ACHIEVED),
            "role": role,
            "can_work": can_work,
            "resources": selectors.pair_resources(mentorship=mentorship),
            "meetings": meetings,
            "check_ins": check_ins,
            "resource_form": ResourceForm(),
            "reminders_off": reminders_off,
            "introduction": introduction,
            "answer_pending": answer_pending,
            "now": now,
            "phases": AssessmentPhase,
        }
    )
    # Each tab reads only what it shows (the page renders one tab at a time): the
    # overview, opened most, no longer reads the profiles, charter, notes, assessments
    # and outcomes of the other tabs (docs/benchmarks.md, issue 23).
    if tab == "goals":
        context["assessments"] = selectors.assessment_table(mentorship=mentorship)
    elif tab == "meetings":
        context["private_notes"] = selectors.private_notes_of(author=user, mentorship=mentorship)
    elif tab == "people":
        profiles = {
            p.user_id: p
            for p in Profile.objects.filter(
                user_id__in=(mentorship.mentor_user_id, mentorship.mentee_user_id)
            ).prefetch_related("skills_offered", "skills_wanted")
        }
        context["mentor_profile"] = profiles.get(mentorship.mentor_user_id)
        context["mentee_profile"] = profiles.get(mentorship.mentee_user_id)
        context["charter"] = current_charter(program=program)
    elif tab == "end":
        context["outcomes"] = selectors.pair_outcomes(mentorship=mentorship)
    return render(request, "mentorships/workspace.html", context)


def _overview(
    meetings: list[Meeting], *, user: User, now: datetime, can_work: bool
) -> dict[str, Any]:
    """The overview tab's "what next" from the pair's meetings (already loaded): the next
    meeting, the proposals waiting for `user`'s answer, the past meetings to log (for
    who may still act on them) and the meetings held (accepted and begun, as the
    follow-up dashboard counts them)."""
    upcoming = sorted(
        (
            m
            for m in meetings
            if m.starts_at > now and m.status in (MeetingStatus.PROPOSED, MeetingStatus.ACCEPTED)
        ),
        key=lambda m: m.starts_at,
    )
    held = [m for m in meetings if m.status == MeetingStatus.ACCEPTED and m.starts_at <= now]
    to_answer = [
        m for m in upcoming if m.status == MeetingStatus.PROPOSED and m.proposed_by_id != user.pk
    ]
    to_log = [m for m in held if getattr(m, "log", None) is None]
    return {
        "next_meeting": upcoming[0] if upcoming else None,
        "meetings_to_answer": to_answer if can_work else [],
        "meetings_to_log": to_log if can_work else [],
        "meetings_held": len(held),
    }


@login_required
@require_POST
def reminders(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    mentorship = access_mentorship(user, pk, request=request)
    require(is_pair_member(user, mentorship))
    enabled = request.POST.get("enabled") == "1"
    pair_services.set_reminders(mentorship=mentorship, user=user, enabled=enabled, request=request)
    messages.success(
        request, _("Reminders restarted.") if enabled else _("You will no longer get reminders.")
    )
    return _workspace(mentorship, tab="end", request=request)


@never_cache
@require_http_methods(["GET", "POST"])
def reminders_stop_link(request: HttpRequest, token: str) -> HttpResponse:
    """The "stop these reminders" link of a reminder email, no sign-in needed. Opening it
    (GET) changes nothing: its page posts the stop on load (or with its button)."""
    try:
        mentorship, person = pair_services.reminders_stop_from_token(token)
    except DomainError as error:
        return _link_invalid(request, error)
    if request.method == "POST":
        pair_services.set_reminders(
            mentorship=mentorship, user=person, enabled=False, via="email", request=request
        )
        return redirect(request.path)
    other = mentorship.mentee if person.pk == mentorship.mentor_user_id else mentorship.mentor
    return render(
        request,
        "mentorships/reminders_stop.html",
        {
            "mentorship": mentorship,
            "other": other,
            "stopped": pair_services.reminders_stopped(mentorship=mentorship, user=person),
        },
    )
