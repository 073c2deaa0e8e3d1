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
from mentorat.matching.selectors import ParticipantMatching, participant_matching
from mentorat.mentorships.selectors import home_followup
from mentorat.permissions.organizations import is_platform_admin
from mentorat.permissions.programs import staff_organization_ids
from mentorat.web.platform import platform_overview
from mentorat.web.selectors import (
    home_enrollment,
    home_figures,
    home_sections,
    member_organizations,
)


@in_user_time_zone
def home(request: HttpRequest) -> HttpResponse:
    """Public landing page for visitors; a personal page, by role, once signed in."""
    if not request.user.is_authenticated:
        return render(request, "web/landing.html")
    if is_platform_admin(request.user):
        return render(request, "web/home_platform_admin.html", {"overview": platform_overview()})
    # The counts of every section in one statement; the reads they show empty skipped.
    now = timezone.now()
    user = request.user
    figures = home_figures(user=user, now=now)
    organizations = member_organizations(user=user)
    return render(
        request,
        "web/home.html",
        {
            "sections": home_sections(user=user, organizations=organizations),
            "enrollment": home_enrollment(
                user=user, now=now, figures=figures, organizations=organizations
            ),
            "followup": home_followup(
                user=user,
                now=now,
                in_pairs=bool(figures.applications),
                check_ins=bool(figures.applications),
                # Staff of no organisation (mentors, mentees) follow no pair.
                follows=bool(staff_organization_ids(user)),
            ),
            # Without an application, a person is in no matching.
            "matching": participant_matching(
                user=user,
                now=now,
                pending_requests=figures.mentor_requests,
                introductions=figures.introductions,
            )
            if figures.applications
            else ParticipantMatching(),
            # Counted with the other figures: the opportunities section reads no query.
            "open_opportunities": figures.open_opportunities,
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
