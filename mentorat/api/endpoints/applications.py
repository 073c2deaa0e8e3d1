"""Applications, their profiles, and the batch import (the bulk import's checks)."""

import hashlib

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.decorators import decorate_view

from mentorat.api.conditional import conditional, write
from mentorat.api.endpoints.common import (
    DEFAULT,
    Cursor,
    FilterId,
    Limit,
    Pk,
    Slug,
    program_for,
    reads,
    writes,
)
from mentorat.api.models import Scope
from mentorat.api.pagination import page
from mentorat.api.schemas import (
    ApplicationOut,
    ApplicationPage,
    ApplicationsIn,
    ImportOut,
    ProfileOut,
)
from mentorat.applications.imports import services as imports
from mentorat.applications.imports.columns import BY_CODE
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.lib.csv_export import import_csv_bytes
from mentorat.lib.errors import DomainError
from mentorat.organizations.models import Organization
from mentorat.participants.models import Profile
from mentorat.permissions.imports import can_import_participants
from mentorat.permissions.programs import (
    access_application,
    application_scope,
    can_view_applications,
)
from mentorat.programs.models import Edition, ParticipantRole

router = Router(tags=["applications"])


def _applications(rows: list[Application]) -> list[ApplicationOut]:
    return [
        ApplicationOut(
            id=a.pk,
            edition_id=a.edition_id,
            role=a.role,
            status=a.status,
            organization=a.organization.slug if a.organization else None,
            email=a.user.email,
            first_name=a.user.first_name,
            last_name=a.user.last_name,
            submitted_at=a.submitted_at,
            decided_at=a.decided_at,
            is_minor=a.is_minor,
            updated_at=a.updated_at,
        )
        for a in rows
    ]


@router.get(
    "/programs/{slug}/applications", response=reads(ApplicationPage), url_name="application_list"
)
@decorate_view(conditional)
def application_list(
    request: HttpRequest,
    slug: Slug,
    cursor: Cursor = None,
    limit: Limit = DEFAULT,
    status: ApplicationStatus | None = None,
    role: ParticipantRole | None = None,
    edition_id: FilterId = None,
) -> dict[str, object]:
    """Applications in a stable order; a partner's key sees its own people only."""
    user, program = program_for(request, slug, Scope.READ, can_view_applications)
    rows = Application.objects.filter(edition__program=program).select_related(
        "user", "organization"
    )
    scope = application_scope(user, program)
    if scope is not None:
        rows = rows.filter(organization_id__in=scope)
    if status:
        rows = rows.filter(status=status)
    if role:
        rows = rows.filter(role=role)
    if edition_id:
        rows = rows.filter(edition_id=edition_id)
    return page(rows, cursor=cursor, limit=limit, serialize=_applications)


@router.get(
    "/programs/{slug}/applications/{pk}",
    response=reads(ApplicationOut),
    url_name="application_detail",
)
@decorate_view(conditional)
def application_detail(request: HttpRequest, slug: Slug, pk: Pk) -> ApplicationOut:
    user, program = program_for(request, slug, Scope.READ, can_view_applications)
    return _applications([access_application(user, program, pk, request=request)])[0]


@router.get(
    "/programs/{slug}/applications/{pk}/profile",
    response=reads(ProfileOut),
    url_name="application_profile",
)
@decorate_view(conditional)
def application_profile(request: HttpRequest, slug: Slug, pk: Pk) -> ProfileOut:
    """The participant's profile as the matching reads it."""
    user, program = program_for(request, slug, Scope.READ, can_view_applications)
    application = access_application(user, program, pk, request=request)
    profile = (
        Profile.objects.filter(user_id=application.user_id)
        .prefetch_related("skills_offered", "skills_wanted")
        .first()
    )
    if profile is None:
        profile = Profile(user_id=application.user_id)
        offered: list[str] = []
        wanted: list[str] = []
    else:
        offered = sorted(s.name for s in profile.skills_offered.all())
        wanted = sorted(s.name for s in profile.skills_wanted.all())
    return ProfileOut(
        application_id=application.pk,
        field=profile.field,
        occupation=profile.occupation,
        target_occupation=profile.target_occupation,
        rome_domain=profile.rome_domain,
        region=profile.region,
        years_of_experience=profile.years_of_experience,
        goals=[str(g) for g in profile.goals or []],
        languages=[str(g) for g in profile.languages or []],
        remote_ok=profile.remote_ok,
        skills_offered=offered,
        skills_wanted=wanted,
        updated_at=profile.updated_at,
    )


def _csv(rows: list[dict[str, str]]) -> bytes:
    """The rows as the CSV file the bulk import reads (column codes as headers)."""
    unknown = sorted({code for row in rows for code in row} - BY_CODE.keys())
    if unknown:
        raise DomainError(
            _("Unknown columns: %(names)s.") % {"names": ", ".join(unknown)},
            field_errors={
                "rows": [_("Unknown columns: %(names)s.") % {"names": ", ".join(unknown)}]
            },
        )
    codes = [code for code in BY_CODE if any(code in row for row in rows)]
    return import_csv_bytes([codes, *([row.get(code, "") for code in codes] for row in rows)])


@router.post(
    "/programs/{slug}/applications",
    response=writes(201, ImportOut),
    url_name="application_import",
)
@decorate_view(write("applications.import"))
def application_import(
    request: HttpRequest, slug: Slug, payload: ApplicationsIn
) -> Status[ImportOut]:
    """Import a batch of people into an edition, with the checks of the file import:
    if any row has an error, nothing is imported and every row's errors are listed
    (`errors` keys `rows.<index>`, from 0)."""
    user, program = program_for(request, slug, Scope.WRITE_PARTICIPANTS, can_import_participants)
    edition = get_object_or_404(Edition, pk=payload.edition_id, program=program)
    org_slug = payload.organization or request.auth.organization.slug  # type: ignore[attr-defined]
    organization = Organization.objects.filter(slug=org_slug).first()
    if organization is None:
        raise DomainError(
            _("Organisation: %(name)s does not take part in this program.") % {"name": org_slug}
        )
    content = _csv(payload.rows)
    batch, report = imports.preview_import(
        program=program,
        edition=edition,
        organization=organization,
        default_role=payload.default_role,
        filename="api.csv",
        content=content,
        actor=user,
        request=request,
    )
    if report.error_rows:
        raise imports.ImportRejected(report)
    result = imports.run_import(
        batch=batch, sha256=hashlib.sha256(content).hexdigest(), actor=user, request=request
    )
    return Status(
        201,
        ImportOut(
            created=result.created,
            updated=result.updated,
            skipped=result.skipped,
            invited=result.invited,
            accepted=result.accepted,
        ),
    )
