"""Pages of the exports: "My data" (rights, requests, downloads), an export's page (the
emailed link leads there), and the organisation admins' page for postal requests.

Downloads are POST buttons: they write a download record, and GET never writes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files import File
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mentorat.legal.models import LegalPageKind
from mentorat.lib.errors import DomainError
from mentorat.lib.private_storage import private_storage
from mentorat.lib.timezones import in_user_time_zone
from mentorat.lib.views import AuthenticatedHttpRequest, action
from mentorat.permissions.privacy_exports import (
    access_export,
    access_organization_exports,
    exportable_ids,
    people_held_by,
)
from mentorat.privacy.exports import selectors, services
from mentorat.privacy.exports.forms import PersonChoiceForm, PersonSearchForm
from mentorat.privacy.exports.models import EXPORT_VALID_DAYS, ExportRequest


def _erasure_url() -> str | None:
    # The erasure page belongs to another sub-app; until it exists the link is left out.
    try:
        return reverse("privacy:erasure_request")
    except NoReverseMatch:
        return None


@login_required
@in_user_time_zone
def my_data(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The person's rights, their exports and the button to ask for one."""
    return render(
        request,
        "privacy_exports/my_data.html",
        {
            "exports": selectors.exports_of(request.user),
            "erasure_url": _erasure_url(),
            "privacy_kind": LegalPageKind.PRIVACY,
            "valid_days": EXPORT_VALID_DAYS,
        },
    )


@login_required
@require_POST
def request_my_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Ask for an export of one's own data."""
    return action(
        request,
        run=lambda: services.request_export(
            person=request.user, requested_by=request.user, request=request
        ),
        success=_(
            "Your export is being prepared. We will email you a link as soon as it is ready."
        ),
        next_url=reverse("privacy:my_data"),
    )


def _back_url(export: ExportRequest, user_id: int) -> str:
    if export.organization is not None and export.person_id != user_id:
        return reverse("privacy:org_exports", kwargs={"slug": export.organization.slug})
    return reverse("privacy:my_data")


@login_required
@in_user_time_zone
def export_detail(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """One export: its state and, once ready, the download button."""
    export = access_export(request.user, public_id)
    return render(
        request,
        "privacy_exports/export_detail.html",
        {
            "export": export,
            "back_url": _back_url(export, request.user.pk),
            "for_someone_else": export.person_id != request.user.pk,
        },
    )


def _open_file(export: ExportRequest) -> File[bytes] | None:
    """The export's file, open for reading; None if it has none or it is gone."""
    if not export.file:
        return None
    try:
        return private_storage().open(export.file.name, "rb")
    except FileNotFoundError:
        return None


@login_required
@require_POST
def export_download(
    request: AuthenticatedHttpRequest, public_id: str
) -> HttpResponse | FileResponse:
    """The ZIP, streamed from the private storage, once the download is recorded."""
    export = access_export(request.user, public_id)
    handle = _open_file(export)
    if handle is None:
        messages.error(request, _("This export is no longer available. You can ask for a new one."))
        return redirect("privacy:export_detail", public_id=export.public_id)
    try:
        export = services.record_download(export=export, actor=request.user, request=request)
    except DomainError as error:
        handle.close()
        messages.error(request, error.message)
        return redirect("privacy:export_detail", public_id=export.public_id)
    response = FileResponse(
        handle, as_attachment=True, filename=export.filename, content_type="application/zip"
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@in_user_time_zone
@require_http_methods(["GET", "POST"])
def organization_exports(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Exports made for postal requests: find a person (POST, so that names stay out of
    addresses), make their export, download it."""
    organization = access_organization_exports(request.user, slug, request=request)
    form = PersonSearchForm(request.POST or None)
    results: list[tuple[object, bool]] | None = None
    if request.method == "POST" and form.is_valid():
        people = selectors.search_people(organization, form.cleaned_data["query"])
        allowed = exportable_ids(organization, people)
        results = [(person, person.pk in allowed) for person in people]
    return render(
        request,
        "privacy_exports/organization_exports.html",
        {
            "organization": organization,
            "form": form,
            "results": results,
            "exports": selectors.exports_by(organization),
        },
    )


@login_required
@require_POST
def organization_export_create(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Make the export of one person the organisation holds."""
    organization = access_organization_exports(request.user, slug, request=request)
    form = PersonChoiceForm(request.POST)
    if not form.is_valid():
        raise Http404
    person = people_held_by(organization).filter(pk=form.cleaned_data["person"]).first()
    if person is None:
        raise Http404
    return action(
        request,
        run=lambda: services.request_export(
            person=person,
            requested_by=request.user,
            organization=organization,
            request=request,
        ),
        success=_("The export is being prepared. It will appear below once ready."),
        next_url=reverse("privacy:org_exports", kwargs={"slug": organization.slug}),
    )
