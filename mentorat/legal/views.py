from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from mentorat.legal.models import LegalPageKind
from mentorat.legal.selectors import current_version
from mentorat.privacy.selectors import privacy_notice_cookies, privacy_notice_data


def legal_page(request: HttpRequest, kind: str) -> HttpResponse:
    """Public: legal pages are readable by everyone, signed in or not."""
    if kind not in LegalPageKind.values:
        raise Http404
    page = current_version(kind=kind)
    if page is None:
        raise Http404
    context: dict[str, object] = {"page": page}
    if kind == LegalPageKind.PRIVACY:
        # Generated from the data map, after the stored text, so that it never drifts.
        context |= {"data_rows": privacy_notice_data(), "cookies": privacy_notice_cookies()}
    return render(request, "legal/page.html", context)
