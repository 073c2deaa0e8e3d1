from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from mentorat.accounts.selectors import account_security
from mentorat.accounts.services import set_language as save_language
from mentorat.lib.timezones import in_user_time_zone
from mentorat.lib.views import AuthenticatedHttpRequest
from mentorat.matching.selectors import participant_matching
from mentorat.mentorships.selectors import home_followup
from mentorat.permissions.organizations import is_platform_admin
from mentorat.web.platform import platform_overview
from mentorat.web.selectors import home_enrollment, home_sections


@in_user_time_zone
def home(request: HttpRequest) -> HttpResponse:
    """Public landing page for visitors; a personal page, by role, once signed in."""
    if not request.user.is_authenticated:
        return render(request, "web/landing.html")
    if is_platform_admin(request.user):
        return render(request, "web/home_platform_admin.html", {"overview": platform_overview()})
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


@login_required
@require_GET
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The "My account" page: sign-in addresses, password, two-factor authentication, language,
    profile and personal data, each one link away."""
    return render(request, "web/account.html", {"security": account_security(user=request.user)})


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
