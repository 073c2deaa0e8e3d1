from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from mentorat.audit.selectors import entries_for_organization, log_lines
from mentorat.lib.timezones import in_user_time_zone, user_zone
from mentorat.lib.views import AuthenticatedHttpRequest
from mentorat.permissions import require
from mentorat.permissions.organizations import access_organization, can_view_audit_log


@login_required
@in_user_time_zone
def organization_log(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The organisation's audit log, in words and in the reader's time zone."""
    organization = access_organization(request.user, slug, request=request)
    require(can_view_audit_log(request.user, organization))
    page = Paginator(entries_for_organization(organization=organization), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "audit/organization_log.html",
        {
            "organization": organization,
            "page": page,
            "lines": log_lines(page),
            "zone": user_zone(request.user).key,
        },
    )
