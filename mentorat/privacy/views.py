"""The processing register page (GDPR Art. 30), printable and as CSV."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from mentorat.lib.csv_export import csv_bytes, csv_response
from mentorat.lib.views import AuthenticatedHttpRequest
from mentorat.organizations.models import Organization
from mentorat.permissions import require
from mentorat.permissions.organizations import access_organization
from mentorat.permissions.privacy import can_view_register
from mentorat.privacy.selectors import processing_register, register_csv_rows


def _register_organization(request: AuthenticatedHttpRequest, slug: str) -> Organization:
    organization = access_organization(request.user, slug, request=request)
    require(can_view_register(request.user, organization))
    return organization


@login_required
def register(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The organisation's register, generated from the data map."""
    organization = _register_organization(request, slug)
    return render(
        request,
        "privacy/register.html",
        {"register": processing_register(organization=organization)},
    )


@login_required
def register_csv(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The same register as a CSV file, in the reader's language's format (see
    `mentorat.lib.csv_export`: what a spreadsheet of that language opens)."""
    organization = _register_organization(request, slug)
    rows = register_csv_rows(processing_register(organization=organization))
    return csv_response(csv_bytes(rows), filename=f"processing-register-{organization.slug}.csv")
