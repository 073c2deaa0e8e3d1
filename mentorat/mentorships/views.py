"""Pages of the pair workspace, the check-ins, the calendar and the coordinators'
follow-up. Views parse input, ask `mentorat.permissions.mentorships`, call one service and
present the result; they run in the signed-in person's time zone."""

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorat.accounts.models import User
from mentorat.lib.errors import DomainError
from mentorat.lib.timezones import in_user_time_zone
from mentorat.mentorships import calendar, selectors
from mentorat.mentorships.forms import (
    AssessmentForm,
    CancelMeetingForm,
    CheckInForm,
    CheckInQuestionForm,
    EndForm,
    GoalForm,
    GoalProgressForm,
    MeetingForm,
    OutcomeForm,
    ResourceForm,
    SessionLogForm,
    pair_skills,
)
from mentorat.mentorships.health import HealthState
from mentorat.mentorships.models import (
    AssessmentPhase,
    CalendarFeed,
    CheckIn,
    CheckInQuestion,
    Goal,
    Meeting,
    Mentorship,
    OutcomeStage,
    PairAnswer,
    Resource,
)
from mentorat.mentorships.services import check_ins as check_in_services
from mentorat.mentorships.services import meetings as meeting_services
from mentorat.mentorships.services import pairs as pair_services
from mentorat.participants.models import Profile
from mentorat.permissions import require
from mentorat.permissions.mentorships import (
    access_meeting,
    access_mentorship,
    access_own_check_in,
    can_end_mentorship,
    can_follow_program_mentorships,
    can_record_outcome,
    can_work_in,
    is_pair_member,
    mentorship_scope,
)
from mentorat.permissions.programs import access_program, can_edit_program
from mentorat.programs.selectors import current_charter


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _workspace(mentorship: Mentorship) -> HttpResponse:
    return redirect("mentorships:workspace", pk=mentorship.pk)


@contextmanager
def _form_errors(form: forms.Form) -> Iterator[None]:
    """Run a service for a valid form: a DomainError it raises becomes the form's error
    (and the page is shown again), else the block goes on to its success message."""
    try:
        yield
    except DomainError as error:
        form.add_error(None, error.message)


@contextmanager
def _flashed_errors(request: HttpRequest) -> Iterator[None]:
    """Run a service for a button: a DomainError it raises is shown as an error message
    and skips the rest of the block (its success message)."""
    try:
        yield
    except DomainError as error:
        messages.error(request, error.message)


def _pair_page(request: HttpRequest, pk: int) -> tuple[User, Mentorship]:
    """The signed-in person and their active pair (403 for coordinators, 404 outsiders)."""
    user = _user(request)
    mentorship = access_mentorship(user, pk, request=request)
    require(can_work_in(user, mentorship))
    return user, mentorship


# The pair's own pages --------------------------------------------------------------------


@login_required
@in_user_time_zone
def my_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
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
def workspace(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    mentorship = access_mentorship(user, pk, request=request)
    now = timezone.now()
    health = selectors.health_of(mentorship=mentorship, now=now) if mentorship.is_active else None
    program = mentorship.edition.program
    common: dict[str, Any] = {
        "mentorship": mentorship,
        "program": program,
        "health": health,
        "goals": selectors.workspace_goals(mentorship=mentorship),
        "assessments": selectors.assessment_table(mentorship=mentorship),
        "outcomes": list(mentorship.outcomes.all()),
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
                "meetings": selectors.workspace_meetings(mentorship=mentorship),
                "check_ins": selectors.check_in_summary(mentorship=mentorship),
                # What the pair shares stays theirs: coordinators see how much, not what.
                "resource_count": mentorship.resources.count(),
            },
        )
    role = mentorship.role_of(user.pk)
    profiles = {
        p.user_id: p
        for p in Profile.objects.filter(
            user_id__in=(mentorship.mentor_id, mentorship.mentee_id)
        ).prefetch_related("skills_offered", "skills_wanted")
    }
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
    return render(
        request,
        "mentorships/workspace.html",
        common
        | {
            "role": role,
            "can_work": can_work_in(user, mentorship),
            "mentor_profile": profiles.get(mentorship.mentor_id),
            "mentee_profile": profiles.get(mentorship.mentee_id),
            "charter": current_charter(program=program),
            "resources": mentorship.resources.select_related("added_by"),
            "meetings": selectors.workspace_meetings(mentorship=mentorship),
            "private_notes": selectors.private_notes_of(author=user, mentorship=mentorship),
            "check_ins": selectors.pending_check_ins(user=user).filter(mentorship=mentorship),
            "resource_form": ResourceForm(),
            "reminders_off": reminders_off,
            "introduction": introduction,
            "answer_pending": answer_pending,
            "now": timezone.now(),
            "phases": AssessmentPhase,
        },
    )


@login_required
@in_user_time_zone
@require_http_methods(["GET", "POST"])
def meeting_propose(request: HttpRequest, pk: int) -> HttpResponse:
    user, mentorship = _pair_page(request, pk)
    form = MeetingForm(request.POST or None, zone_name=str(timezone.get_current_timezone()))
    if request.method == "POST" and form.is_valid():
        with _form_errors(form):
            meeting_services.propose_meeting(
                mentorship=mentorship, data=form.meeting_data(), actor=user, request=request
            )
            messages.success(request, _("Meeting proposed: we have sent the invitation."))
            return _workspace(mentorship)
    return render(
        request,
        "mentorships/meeting_form.html",
        {"mentorship": mentorship, "form": form, "title": _("Propose a meeting")},
    )


def _meeting(request: HttpRequest, pk: int, meeting_pk: int) -> tuple[User, Meeting]:
    user, mentorship = _pair_page(request, pk)
    return user, access_meeting(user, mentorship, meeting_pk)


@login_required
@require_POST
def meeting_accept(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    user, meeting = _meeting(request, pk, meeting_pk)
    with _flashed_errors(request):
        meeting_services.accept_meeting(meeting=meeting, actor=user, request=request)
        messages.success(request, _("Meeting accepted: it is in both your calendars."))
    return _workspace(meeting.mentorship)


@login_required
@in_user_time_zone
@require_http_methods(["GET", "POST"])
def meeting_reschedule(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    user, meeting = _meeting(request, pk, meeting_pk)
    zone = timezone.get_current_timezone()
    initial = {
        "starts_at": timezone.localtime(meeting.starts_at, zone).replace(tzinfo=None),
        "duration_minutes": meeting.duration_minutes,
        "mode": meeting.mode,
        "place": meeting.place,
        "video_url": meeting.video_url,
        "phone": meeting.phone,
        "agenda": meeting.agenda,
    }
    form = MeetingForm(request.POST or None, initial=initial, zone_name=str(zone))
    if request.method == "POST" and form.is_valid():
        with _form_errors(form):
            meeting_services.reschedule_meeting(
                meeting=meeting, data=form.meeting_data(), actor=user, request=request
            )
            messages.success(request, _("New time proposed: the other person must accept it."))
            return _workspace(meeting.mentorship)
    return render(
        request,
        "mentorships/meeting_form.html",
        {
            "mentorship": meeting.mentorship,
            "meeting": meeting,
            "form": form,
            "title": _("Reschedule the meeting"),
        },
    )


@login_required
@require_POST
def meeting_cancel(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    user, meeting = _meeting(request, pk, meeting_pk)
    form = CancelMeetingForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    with _flashed_errors(request):
        meeting_services.cancel_meeting(meeting=meeting, reason=reason, actor=user, request=request)
        messages.success(request, _("Meeting cancelled: the other person is informed."))
    return _workspace(meeting.mentorship)


@login_required
@require_GET
def meeting_ics(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    user = _user(request)
    mentorship = access_mentorship(user, pk, request=request)
    require(is_pair_member(user, mentorship))
    meeting = access_meeting(user, mentorship, meeting_pk)
    response = HttpResponse(
        calendar.meeting_invitation(meeting, recipient=user),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="meeting.ics"'
    return response


@login_required
@in_user_time_zone
@require_http_methods(["GET", "POST"])
def session_log(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    user, meeting = _meeting(request, pk, meeting_pk)
    existing = getattr(meeting, "log", None) if hasattr(meeting, "log") else None
    initial: dict[str, Any] = {"duration_minutes": meeting.duration_minutes}
    if existing is not None:
        initial |= {
            "duration_minutes": existing.duration_minutes,
            "topics": existing.topics,
            "shared_notes": existing.shared_notes,
            "private_note": selectors.private_notes_of(
                author=user, mentorship=meeting.mentorship
            ).get(existing.pk, ""),
        }
    form = SessionLogForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with _form_errors(form):
            meeting_services.log_session(
                meeting=meeting,
                duration_minutes=d["duration_minutes"],
                topics=d["topics"],
                shared_notes=d["shared_notes"],
                private_note=d["private_note"],
                actor=user,
                request=request,
            )
            messages.success(request, _("Session log saved."))
            return _workspace(meeting.mentorship)
    return render(
        request,
        "mentorships/session_log_form.html",
        {"mentorship": meeting.mentorship, "meeting": meeting, "form": form},
    )


@login_required
@in_user_time_zone
@require_http_methods(["GET", "POST"])
def goal_add(request: HttpRequest, pk: int) -> HttpResponse:
    user, mentorship = _pair_page(request, pk)
    form = GoalForm(request.POST or None, mentorship=mentorship)
    if request.method == "POST" and form.is_valid():
        with _form_errors(form):
            pair_services.add_goal(
                mentorship=mentorship, data=form.goal_data(), actor=user, request=request
            )
            messages.success(request, _("Goal added."))
            return _workspace(mentorship)
    return render(request, "mentorships/goal_form.html", {"mentorship": mentorship, "form": form})


def _goal(request: HttpRequest, pk: int, goal_pk: int) -> tuple[User, Goal]:
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
def goal_edit(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    user, goal = _goal(request, pk, goal_pk)
    initial = {
        "title": goal.title,
        "measure": goal.measure,
        "due_on": goal.due_on,
        "skills": list(goal.skills.values_list("pk", flat=True)),
    }
    form = GoalForm(request.POST or None, mentorship=goal.mentorship, initial=initial)
    if request.method == "POST" and form.is_valid():
        with _form_errors(form):
            pair_services.update_goal(goal=goal, data=form.goal_data(), actor=user, request=request)
            messages.success(request, _("Goal saved."))
            return _workspace(goal.mentorship)
    return render(
        request,
        "mentorships/goal_form.html",
        {"mentorship": goal.mentorship, "goal": goal, "form": form},
    )


@login_required
@require_POST
def goal_status(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    """The goal card's buttons: mark achieved, abandon, or resume."""
    user, goal = _goal(request, pk, goal_pk)
    with _flashed_errors(request):
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
    return _workspace(goal.mentorship)


@login_required
@in_user_time_zone
@require_http_methods(["GET", "POST"])
def goal_progress(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    user, goal = _goal(request, pk, goal_pk)
    mentorship = goal.mentorship
    form = GoalProgressForm(
        request.POST or None, initial={"progress": goal.progress, "status": goal.status}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with _form_errors(form):
            pair_services.update_goal_progress(
                goal=goal,
                progress=d["progress"],
                status=d["status"],
                note=d["note"],
                actor=user,
                request=request,
            )
            messages.success(request, _("Progress saved."))
            return _workspace(mentorship)
    return render(
        request,
        "mentorships/goal_progress.html",
        {"mentorship": mentorship, "goal": goal, "form": form},
    )


@login_required
@in_user_time_zone
@require_http_methods(["GET", "POST"])
def assessment(request: HttpRequest, pk: int, phase: str) -> HttpResponse:
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
        with _form_errors(form):
            pair_services.save_assessment(
                mentorship=mentorship,
                phase=phase,
                levels=form.levels(),
                actor=user,
                request=request,
            )
            messages.success(request, _("Assessment saved."))
            return _workspace(mentorship)
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
def resource_add(request: HttpRequest, pk: int) -> HttpResponse:
    user, mentorship = _pair_page(request, pk)
    form = ResourceForm(request.POST)
    if form.is_valid():
        with _flashed_errors(request):
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
    return _workspace(mentorship)


def _resource(request: HttpRequest, pk: int, resource_pk: int) -> tuple[User, Resource]:
    """A link shared in the signed-in person's active pair, whoever added it."""
    user, mentorship = _pair_page(request, pk)
    resource = Resource.objects.filter(mentorship=mentorship, pk=resource_pk).first()
    if resource is None:
        raise Http404
    resource.mentorship = mentorship
    return user, resource


@login_required
@require_http_methods(["GET", "POST"])
def resource_edit(request: HttpRequest, pk: int, resource_pk: int) -> HttpResponse:
    user, resource = _resource(request, pk, resource_pk)
    form = ResourceForm(
        request.POST or None, initial={"title": resource.title, "url": resource.url}
    )
    if request.method == "POST" and form.is_valid():
        with _form_errors(form):
            pair_services.update_resource(
                resource=resource,
                title=form.cleaned_data["title"],
                url=form.cleaned_data["url"],
                actor=user,
                request=request,
            )
            messages.success(request, _("Link saved."))
            return _workspace(resource.mentorship)
    return render(
        request,
        "mentorships/resource_form.html",
        {"mentorship": resource.mentorship, "resource": resource, "form": form},
    )


@login_required
@require_POST
def resource_delete(request: HttpRequest, pk: int, resource_pk: int) -> HttpResponse:
    user, resource = _resource(request, pk, resource_pk)
    with _flashed_errors(request):
        pair_services.remove_resource(resource=resource, actor=user, request=request)
        messages.success(request, _("Link removed."))
    return _workspace(resource.mentorship)


@login_required
@require_POST
def reminders(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    mentorship = access_mentorship(user, pk, request=request)
    require(is_pair_member(user, mentorship))
    enabled = request.POST.get("enabled") == "1"
    pair_services.set_reminders(mentorship=mentorship, user=user, enabled=enabled, request=request)
    messages.success(
        request, _("Reminders restarted.") if enabled else _("You will no longer get reminders.")
    )
    return _workspace(mentorship)


def _link_invalid(request: HttpRequest, error: DomainError) -> HttpResponse:
    return render(
        request, "mentorships/check_in_invalid.html", {"error": error.message}, status=410
    )


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
    other = mentorship.mentee if person.pk == mentorship.mentor_id else mentorship.mentor
    return render(
        request,
        "mentorships/reminders_stop.html",
        {
            "mentorship": mentorship,
            "other": other,
            "stopped": pair_services.reminders_stopped(mentorship=mentorship, user=person),
        },
    )


# Closure and outcomes --------------------------------------------------------------------


@login_required
@in_user_time_zone
@require_http_methods(["GET", "POST"])
def end(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    mentorship = access_mentorship(user, pk, request=request)
    require(can_end_mentorship(user, mentorship))
    form = EndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with _form_errors(form):
            pair_services.end_mentorship(
                mentorship=mentorship,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                actor=user,
                request=request,
            )
            messages.success(
                request, _("The mentorship has ended. Both of you will receive a last check-in.")
            )
            return _workspace(mentorship)
    return render(request, "mentorships/end_form.html", {"mentorship": mentorship, "form": form})


@login_required
@in_user_time_zone
@require_http_methods(["GET", "POST"])
def outcome(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    user = _user(request)
    mentorship = access_mentorship(user, pk, request=request)
    require(can_record_outcome(user, mentorship))
    if stage not in OutcomeStage.values:
        raise Http404
    existing = mentorship.outcomes.filter(stage=stage).first()
    initial = {"situation": existing.situation, "detail": existing.detail} if existing else None
    form = OutcomeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with _form_errors(form):
            pair_services.record_outcome(
                mentorship=mentorship,
                stage=stage,
                situation=form.cleaned_data["situation"],
                detail=form.cleaned_data["detail"],
                actor=user,
                request=request,
            )
            messages.success(request, _("Situation recorded. Thank you!"))
            return _workspace(mentorship)
    return render(
        request,
        "mentorships/outcome_form.html",
        {"mentorship": mentorship, "form": form, "stage": OutcomeStage(stage)},
    )


# Check-ins ---------------------------------------------------------------------------------


def _check_in_form(
    request: HttpRequest, check_in: CheckIn, *, satisfaction: int | None = None
) -> CheckInForm:
    """The check-in form, filled with the answer already given (to add details or correct
    it), else with the score of the link."""
    questions = list(
        CheckInQuestion.objects.filter(program_id=check_in.mentorship.edition.program_id)
    )
    if check_in.answered_at is not None:
        initial: dict[str, Any] = {
            "satisfaction": check_in.satisfaction,
            "progress": check_in.progress,
            "recommend": check_in.recommend,
            "comment": check_in.comment,
        }
        for key, given in check_in.answers.items():
            value = given.get("answer")
            initial[f"q_{key}"] = ("yes" if value else "no") if isinstance(value, bool) else value
    else:
        initial = {"satisfaction": satisfaction or request.GET.get("satisfaction")}
    return CheckInForm(request.POST or None, questions=questions, initial=initial)


def _answer(
    request: HttpRequest, check_in: CheckIn, form: CheckInForm, *, actor: User | None
) -> bool:
    """Answer the check-in, or revise the answer already given (signed link only)."""
    service = (
        check_in_services.answer_check_in
        if check_in.answered_at is None or actor is not None
        else check_in_services.revise_check_in
    )
    try:
        service(check_in=check_in, answer=form.answer(), actor=actor, request=request)
    except DomainError as error:
        form.add_error(None, error.message)
        return False
    return True


@login_required
@in_user_time_zone
@require_http_methods(["GET", "POST"])
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    item = access_own_check_in(user, pk)
    form = _check_in_form(request, item)
    if request.method == "POST" and form.is_valid() and _answer(request, item, form, actor=user):
        messages.success(request, _("Thank you for your answer!"))
        return redirect("mentorships:workspace", pk=item.mentorship_id)
    return render(request, "mentorships/check_in.html", {"check_in": item, "form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def check_in_link(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed links, no sign-in needed. Each score in the email is its own link: its
    page posts that score on load (static js/auto-submit.js; a visible button without
    JavaScript), so one click answers while a GET alone, as mail scanners make, writes
    nothing. Once answered, the same link lets the person add details or correct the
    score. (The plain link, without a score, shows the whole form.)"""
    try:
        link = check_in_services.check_in_from_token(token)
    except DomainError as error:
        return _link_invalid(request, error)
    item, score = link.check_in, link.satisfaction
    if request.method == "POST" and "confirm" in request.POST:
        if score is not None and item.answered_at is None:
            # A double submit finds it answered: the page then shows the answer.
            with suppress(DomainError):
                check_in_services.answer_check_in(
                    check_in=item,
                    answer=check_in_services.CheckInAnswer(satisfaction=score),
                    actor=None,
                    request=request,
                )
        return redirect(request.path)
    if request.method == "GET" and score is not None and item.answered_at is None:
        return render(
            request, "mentorships/check_in_quick.html", {"check_in": item, "score": score}
        )
    form = _check_in_form(request, item, satisfaction=score)
    if request.method == "POST" and form.is_valid() and _answer(request, item, form, actor=None):
        return render(
            request, "mentorships/check_in_done.html", {"check_in": item, "completed": True}
        )
    template = "check_in_done.html" if item.answered_at is not None else "check_in.html"
    return render(
        request, f"mentorships/{template}", {"check_in": item, "form": form, "public": True}
    )


# Calendar ----------------------------------------------------------------------------------


@login_required
@require_GET
def calendar_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    feed = meeting_services.calendar_feed_for(user=user)
    return render(
        request,
        "mentorships/calendar.html",
        {"feed_url": request.build_absolute_uri(_feed_path(feed))},
    )


def _feed_path(feed: CalendarFeed) -> str:
    return reverse("mentorships:calendar_feed", kwargs={"token": feed.token})


@login_required
@require_POST
def calendar_reset(request: HttpRequest) -> HttpResponse:
    meeting_services.reset_calendar_feed(user=_user(request), request=request)
    messages.success(request, _("New calendar address created: the old one no longer works."))
    return redirect("mentorships:calendar")


@never_cache
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The subscription feed; the token in the address is the only credential."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    meetings = list(selectors.meetings_of_user(user=feed.user))
    response = HttpResponse(
        calendar.meetings_feed(meetings, owner=feed.user),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="mentorat.ics"'
    return response


# Coordinators ------------------------------------------------------------------------------


@login_required
@in_user_time_zone
@require_GET
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """Pairs of a program, at risk first, each with the reason and what to do."""
    user = _user(request)
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
def check_in_questions(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    program = access_program(user, slug, request=request)
    require(can_edit_program(user, program))
    form = CheckInQuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with _form_errors(form):
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


@login_required
@require_POST
def check_in_question_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user = _user(request)
    program = access_program(user, slug, request=request)
    require(can_edit_program(user, program))
    question = CheckInQuestion.objects.filter(program=program, pk=pk).first()
    if question is None:
        raise Http404
    with _flashed_errors(request):
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
def check_in_question_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user = _user(request)
    program = access_program(user, slug, request=request)
    require(can_edit_program(user, program))
    question = CheckInQuestion.objects.filter(program=program, pk=pk).first()
    if question is None:
        raise Http404
    check_in_services.delete_check_in_question(question=question, actor=user, request=request)
    messages.success(request, _("Question removed."))
    return redirect("mentorships:check_in_questions", slug=program.slug)
