"""Ending a pair and recording the mentee's outcomes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mentorat.lib.timezones import in_user_time_zone
from mentorat.lib.views import AuthenticatedHttpRequest, form_errors
from mentorat.mentorships.forms import (
    EndForm,
    OutcomeForm,
)
from mentorat.mentorships.models import (
    OutcomeStage,
)
from mentorat.mentorships.services import pairs as pair_services
from mentorat.mentorships.views._common import (
    _workspace,
)
from mentorat.permissions import require
from mentorat.permissions.mentorships import (
    access_mentorship,
    can_end_mentorship,
    can_record_outcome,
)


@login_required
@in_user_time_zone
@require_http_methods(["GET", "POST"])
def end(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    mentorship = access_mentorship(user, pk, request=request)
    require(can_end_mentorship(user, mentorship))
    form = EndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
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
            return _workspace(mentorship, tab="end")
    return render(request, "mentorships/end_form.html", {"mentorship": mentorship, "form": form})


@login_required
@in_user_time_zone
@require_http_methods(["GET", "POST"])
def outcome(request: AuthenticatedHttpRequest, pk: int, stage: str) -> HttpResponse:
    user = request.user
    mentorship = access_mentorship(user, pk, request=request)
    require(can_record_outcome(user, mentorship))
    if stage not in OutcomeStage.values:
        raise Http404
    existing = mentorship.outcomes.filter(stage=stage).first()
    initial = {"situation": existing.situation, "detail": existing.detail} if existing else None
    form = OutcomeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            pair_services.record_outcome(
                mentorship=mentorship,
                stage=stage,
                situation=form.cleaned_data["situation"],
                detail=form.cleaned_data["detail"],
                actor=user,
                request=request,
            )
            messages.success(request, _("Situation recorded. Thank you!"))
            return _workspace(mentorship, tab="end")
    return render(
        request,
        "mentorships/outcome_form.html",
        {"mentorship": mentorship, "form": form, "stage": OutcomeStage(stage)},
    )
