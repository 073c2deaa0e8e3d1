from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from mentorat.lib.views import AuthenticatedHttpRequest


@login_required
def program_library(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """A program's resource library and goal templates."""
    return render(request, "resources/library.html", {})
