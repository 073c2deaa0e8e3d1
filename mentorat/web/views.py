from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from mentorat.accounts.services import set_language as save_language
from mentorat.lib.timezones import in_user_time_zone
from mentorat.matching.selectors import participant_matching
from mentorat.mentorships.selectors import home_followup
from mentorat.web.selectors import home_enrollment, home_sections


@in_user_time_zone
def home(request: HttpRequest) -> HttpResponse:
    """Public landing page for visitors; a personal page, by role, once signed in."""
    if not request.user.is_authenticated:
        return render(request, "web/landing.html")
    return render(
        request,
        "web/home.html",
        {
            "sections": home_sections(user=request.user),
            "enrollment": home_enrollment(user=request.user),
            "followup": home_followup(user=request.user, now=timezone.now()),
            "matching": participant_matching(user=request.user),
        },
    )


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, remembering the choice on the account for emails."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in {"fr", "en"}:
        save_language(user=request.user, language=language)
    return response


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
