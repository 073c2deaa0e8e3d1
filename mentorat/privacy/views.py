"""The processing register page (GDPR Art. 30), printable and as CSV."""

import csv
import io

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from mentorat.lib.views import AuthenticatedHttpRequest
from mentorat.organizations.models import Organization
from mentorat.permissions import require
from mentorat.permissions.organizations import access_organization
from mentorat.permissions.privacy import can_view_register
from mentorat.privacy.selectors import processing_register, register_csv_rows

# Cells a spreadsheet would run as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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


def _cell(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_START) else value


@login_required
def register_csv(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The same register as a CSV file (semicolons, UTF-8 with a byte order mark, as
    the reports' exports, so that spreadsheets read the accents)."""
    organization = _register_organization(request, slug)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for row in register_csv_rows(processing_register(organization=organization)):
        writer.writerow([_cell(value) for value in row])
    response = HttpResponse(
        buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="processing-register-{organization.slug}.csv"'
    )
    return response
