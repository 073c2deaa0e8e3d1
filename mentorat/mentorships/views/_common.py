"""Helpers shared by the follow-up pages: views parse input, ask
`mentorat.permissions.mentorships`, call one service and present the result; they run in the
signed-in person's time zone."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

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

# The workspace's tabs, the first shown by default. Messages is not among them: its tab
# links to the pair's conversation, a page of its own.
WORKSPACE_TABS = ("overview", "meetings", "goals", "resources", "people", "end")


def workspace_tab(request: HttpRequest | None, default: str = "overview") -> str:
    """The tab a workspace request or action is about: its `tab` field (a form posted
    from a tab says where it came from) or parameter, else `default`."""
    if request is not None:
        asked = request.POST.get("tab") or request.GET.get("tab")
        if asked is not None and asked in WORKSPACE_TABS:
            return asked
    return default


def workspace_url(mentorship: Mentorship, tab: str = "overview") -> str:
    url = reverse("mentorships:workspace", args=[mentorship.pk])
    return url if tab == "overview" else f"{url}?tab={tab}"


def _workspace(
    mentorship: Mentorship, *, tab: str = "overview", request: HttpRequest | None = None
) -> HttpResponse:
    """Back to the pair's workspace, on the tab the action came from (see
    `workspace_tab`), else on `tab`, the action's own."""
    return redirect(workspace_url(mentorship, workspace_tab(request, tab)))


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
