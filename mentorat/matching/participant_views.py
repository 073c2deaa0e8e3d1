"""Pages of the participants: answering a published pair, self-matching suggestions and
requests (mentee side), incoming requests (mentor side)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mentorat.applications.models import Application, ApplicationStatus
from mentorat.applications.selectors import has_active_pair
from mentorat.lib.views import (
    AuthenticatedHttpRequest,
    action,
    flashed_errors,
    form_errors,
    on_domain_error,
    stored_text_language,
)
from mentorat.matching import explain, selectors
from mentorat.matching.forms import PairAnswerForm, RequestAnswerForm, RequestForm
from mentorat.matching.models import MentorRequest, RequestStatus
from mentorat.matching.services import publication
from mentorat.matching.services import requests as request_services
from mentorat.matching.services.withdrawal import withdraw_participant
from mentorat.matching.views import save_capacity
from mentorat.mentorships.models import PairAnswer
from mentorat.permissions.matching import (
    access_own_mentee_application,
    access_own_mentor_application,
    access_own_mentorship,
    access_request_as_mentor,
)
from mentorat.permissions.programs import access_own_application
from mentorat.programs.models import MatchingMode, ParticipantRole


@login_required
@require_http_methods(["GET", "POST"])
def pair_answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    mentorship = access_own_mentorship(user, pk)
    role = mentorship.role_of(user.pk)
    prefix = "mentor" if role == "mentor" else "mentee"
    current = getattr(mentorship, f"{prefix}_answer")
    form = PairAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            publication.answer_pair(
                mentorship=mentorship,
                user=user,
                answer=form.cleaned_data["answer"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
            if form.cleaned_data["answer"] == PairAnswer.CONFIRMED:
                messages.success(request, _("Thank you: the pair is confirmed on your side."))
            else:
                messages.success(
                    request,
                    _("Thank you for telling us. The coordinator will look for another pair."),
                )
            return redirect("matching:pair_answer", pk=mentorship.pk)
    other = mentorship.mentee if role == "mentor" else mentorship.mentor
    other_prefix = "mentee" if role == "mentor" else "mentor"
    key = stored_text_language()
    parts = (mentorship.explanation or {}).get("parts", [])
    deadline = publication.answer_deadline(mentorship)
    waiting = current == PairAnswer.PENDING and mentorship.is_active
    return render(
        request,
        "matching/pair_answer.html",
        {
            "mentorship": mentorship,
            "other": other,
            "role": role,
            "current": current,
            "pending": waiting and timezone.now() <= deadline,
            "too_late": waiting and timezone.now() > deadline,
            "deadline": deadline,
            "other_answer": getattr(mentorship, f"get_{other_prefix}_answer_display")(),
            "reasons": [str(p.get(key, "")) for p in parts if p.get("points")],
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def suggestions(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A mentee's best mentors (self-matching programs), and their requests."""
    user = request.user
    application = access_own_mentee_application(user, pk)
    requests = list(
        MentorRequest.objects.filter(mentee=application).select_related(
            "mentor__user", "mentor__organization"
        )
    )
    context: dict[str, object] = {
        "application": application,
        "program": application.edition.program,
        "requests": requests,
        # Mentors already asked (waiting) or who declined: no second request to them.
        "asked": {
            r.mentor_id: r
            for r in requests
            if r.status in (RequestStatus.PENDING, RequestStatus.DECLINED)
        },
        "paired": has_active_pair(application=application),
        "max_pending": request_services.max_pending_requests(),
        "form": RequestForm(),
    }
    if context["paired"]:
        return render(request, "matching/suggestions.html", context)
    with on_domain_error(lambda message: context.update(error=message)):
        parameters = request_services.self_matching_parameters(application)
        context["suggestions"] = explain.suggestions_for(
            edition=application.edition,
            parameters=parameters,
            mentee_id=application.pk,
            language=stored_text_language(),
            top_k=5,
        )
    return render(request, "matching/suggestions.html", context)


@login_required
@require_POST
def request_mentor(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    application = access_own_mentee_application(user, pk)
    form = RequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a mentor among your suggestions."))
    else:
        with flashed_errors(request):
            request_services.request_mentor(
                application=application,
                mentor_id=form.cleaned_data["mentor"],
                message=form.cleaned_data["message"],
                actor=user,
                language=stored_text_language(),
                request=request,
            )
            messages.success(request, _("Request sent. The mentor has been told by email."))
    return redirect("matching:suggestions", pk=application.pk)


@login_required
def my_requests(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Requests addressed to the signed-in mentor."""
    user = request.user
    found = (
        MentorRequest.objects.filter(mentor__user=user)
        .select_related("mentee__user", "mentee__user__profile", "edition__program")
        .order_by("status", "-created_at")
    )
    mentor_applications = Application.objects.filter(
        user=user,
        role=ParticipantRole.MENTOR,
        status=ApplicationStatus.ACCEPTED,
        edition__program__matching_settings__mode=MatchingMode.SELF_MATCHING,
    ).select_related("edition__program")
    return render(
        request,
        "matching/my_requests.html",
        {
            "requests": found,
            "form": RequestAnswerForm(),
            "pending": RequestStatus.PENDING,
            # Until the daily round expires it, a late request is shown as expired.
            "now": timezone.now(),
            "capacities": [
                (a, selectors.mentor_capacity_state(a)) for a in mentor_applications[:10]
            ],
        },
    )


@login_required
@require_POST
def request_answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    found = access_request_as_mentor(user, pk)
    form = RequestAnswerForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("matching:my_requests")
    with flashed_errors(request):
        request_services.answer_request(
            mentor_request=found,
            accept=form.cleaned_data["decision"] == "accept",
            reason=form.cleaned_data["reason"],
            actor=user,
            request=request,
        )
        messages.success(request, _("Answer sent."))
    return redirect("matching:my_requests")


@login_required
@require_POST
def my_capacity(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A mentor sets how many mentees they take in the edition of their application."""
    application = access_own_mentor_application(request.user, pk)
    save_capacity(request, application)
    return redirect("applications:my_detail", pk=application.pk)


@login_required
@require_POST
def withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The applicant withdraws; their pairs and requests end with it (here, above
    applications, which knows nothing of them)."""
    user = request.user
    application = access_own_application(user, pk)
    return action(
        request,
        run=lambda: withdraw_participant(application=application, actor=user, request=request),
        success=_("Your application is withdrawn."),
        next_url=reverse("applications:my_detail", args=[application.pk]),
    )
