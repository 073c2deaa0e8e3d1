from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from mentorat.legal.models import LegalPageKind
from mentorat.legal.selectors import current_version


def legal_page(request: HttpRequest, kind: str) -> HttpResponse:
    """Public: legal pages are readable by everyone, signed in or not."""
    if kind not in LegalPageKind.values:
        raise Http404
    page = current_version(kind=kind)
    if page is None:
        raise Http404
    return render(request, "legal/page.html", {"page": page})
