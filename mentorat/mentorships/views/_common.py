"""Helpers shared by the follow-up pages: views parse input, ask
`mentorat.permissions.mentorships`, call one service and present the result; they run in the
signed-in person's time zone."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from mentorat.accounts.models import User
from mentorat.lib.errors import DomainError
from mentorat.lib.views import AuthenticatedHttpRequest
from mentorat.mentorships.models import (
    Mentorship,
)
from mentorat.permissions import require
from mentorat.permissions.mentorships import (
    access_mentorship,
    can_work_in,
)


def _workspace(mentorship: Mentorship) -> HttpResponse:
    return redirect("mentorships:workspace", pk=mentorship.pk)


def _pair_page(request: AuthenticatedHttpRequest, pk: int) -> tuple[User, Mentorship]:
    """The signed-in person and their active pair (403 for coordinators, 404 outsiders)."""
    user = request.user
    mentorship = access_mentorship(user, pk, request=request)
    require(can_work_in(user, mentorship))
    return user, mentorship


def _link_invalid(request: HttpRequest, error: DomainError) -> HttpResponse:
    return render(
        request, "mentorships/check_in_invalid.html", {"error": error.message}, status=410
    )
