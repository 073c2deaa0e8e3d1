"""Check-ins, answered in the app or from the email's signed links."""

from contextlib import suppress
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from mentorat.accounts.models import User
from mentorat.lib.errors import DomainError
from mentorat.lib.timezones import in_user_time_zone
from mentorat.lib.views import AuthenticatedHttpRequest, form_errors
from mentorat.mentorships.forms import (
    CheckInForm,
)
from mentorat.mentorships.models import (
    CheckIn,
    CheckInQuestion,
)
from mentorat.mentorships.services import check_ins as check_in_services
from mentorat.mentorships.views._common import (
    _link_invalid,
)
from mentorat.permissions.mentorships import (
    access_own_check_in,
)


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
    with form_errors(form):
        service(check_in=check_in, answer=form.answer(), actor=actor, request=request)
        return True
    return False


@login_required
@in_user_time_zone
@require_http_methods(["GET", "POST"])
def check_in(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
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
