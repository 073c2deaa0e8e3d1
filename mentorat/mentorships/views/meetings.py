"""Meetings of a pair: propose, accept, reschedule, cancel, .ics file, session log."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorat.accounts.models import User
from mentorat.lib.timezones import in_user_time_zone
from mentorat.lib.views import AuthenticatedHttpRequest, action, flashed_errors, form_errors
from mentorat.mentorships import calendar, selectors
from mentorat.mentorships.forms import (
    CancelMeetingForm,
    MeetingForm,
    SessionLogForm,
)
from mentorat.mentorships.models import (
    Meeting,
)
from mentorat.mentorships.services import meetings as meeting_services
from mentorat.mentorships.views._common import (
    _pair_page,
    _workspace,
    workspace_tab,
    workspace_url,
)
from mentorat.permissions import require
from mentorat.permissions.mentorships import (
    access_meeting,
    access_mentorship,
    is_pair_member,
)


@login_required
@in_user_time_zone
@require_http_methods(["GET", "POST"])
def meeting_propose(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user, mentorship = _pair_page(request, pk)
    form = MeetingForm(
        request.POST or None,
        zone_name=str(timezone.get_current_timezone()),
        mentorship=mentorship,
    )
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            meeting_services.propose_meeting(
                mentorship=mentorship, data=form.meeting_data(), actor=user, request=request
            )
            messages.success(request, _("Meeting proposed: we have sent the invitation."))
            return _workspace(mentorship, tab="meetings")
    return render(
        request,
        "mentorships/meeting_form.html",
        {"mentorship": mentorship, "form": form, "title": _("Propose a meeting")},
    )


def _meeting(request: AuthenticatedHttpRequest, pk: int, meeting_pk: int) -> tuple[User, Meeting]:
    user, mentorship = _pair_page(request, pk)
    return user, access_meeting(user, mentorship, meeting_pk)


@login_required
@require_POST
def meeting_accept(request: AuthenticatedHttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    user, meeting = _meeting(request, pk, meeting_pk)
    with flashed_errors(request):
        meeting_services.accept_meeting(meeting=meeting, actor=user, request=request)
        messages.success(request, _("Meeting accepted: it is in both your calendars."))
    return _workspace(meeting.mentorship, tab="meetings", request=request)


@login_required
@in_user_time_zone
@require_http_methods(["GET", "POST"])
def meeting_reschedule(request: AuthenticatedHttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
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
    form = MeetingForm(
        request.POST or None, initial=initial, zone_name=str(zone), mentorship=meeting.mentorship
    )
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            meeting_services.reschedule_meeting(
                meeting=meeting, data=form.meeting_data(), actor=user, request=request
            )
            messages.success(request, _("New time proposed: the other person must accept it."))
            return _workspace(meeting.mentorship, tab="meetings")
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
def meeting_cancel(request: AuthenticatedHttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    user, meeting = _meeting(request, pk, meeting_pk)
    form = CancelMeetingForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return action(
        request,
        run=lambda: meeting_services.cancel_meeting(
            meeting=meeting, reason=reason, actor=user, request=request
        ),
        success=_("Meeting cancelled: the other person is informed."),
        next_url=workspace_url(meeting.mentorship, workspace_tab(request, "meetings")),
    )


@login_required
@require_GET
def meeting_ics(request: AuthenticatedHttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    user = request.user
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
def session_log(request: AuthenticatedHttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
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
        with form_errors(form):
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
            return _workspace(meeting.mentorship, tab="meetings")
    return render(
        request,
        "mentorships/session_log_form.html",
        {"mentorship": meeting.mentorship, "meeting": meeting, "form": form},
    )
