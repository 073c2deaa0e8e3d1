from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def my_modules(request: HttpRequest) -> HttpResponse:
    """My training modules (skeleton, filled in by the issue's work)."""
    return render(request, "training/my_modules.html")
