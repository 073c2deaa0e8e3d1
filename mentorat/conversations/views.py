from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from mentorat.lib.views import AuthenticatedHttpRequest


@login_required
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The person's conversations (and messages to their cohorts)."""
    return render(request, "conversations/inbox.html", {})


@login_required
def thread(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The conversation of pair `pk`."""
    return render(request, "conversations/inbox.html", {})
