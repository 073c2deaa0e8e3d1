from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def list(request: HttpRequest) -> HttpResponse:
    """Events (skeleton, filled in by the issue's work)."""
    return render(request, "events/list.html")
