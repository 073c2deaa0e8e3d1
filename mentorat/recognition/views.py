from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def my_engagement(request: HttpRequest) -> HttpResponse:
    """My engagement as a mentor (skeleton, filled in by the issue's work)."""
    return render(request, "recognition/my_engagement.html")
