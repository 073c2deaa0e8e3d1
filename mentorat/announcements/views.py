from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from mentorat.lib.views import AuthenticatedHttpRequest


@login_required
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Messages the person received as part of a cohort."""
    return render(request, "announcements/inbox.html", {})


@login_required
def program_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """A program's messages to its cohorts (coordinators and partner contacts)."""
    return render(request, "announcements/inbox.html", {})
