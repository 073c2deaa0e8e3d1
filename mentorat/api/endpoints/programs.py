"""Organisations, programs, editions and objectives."""

from typing import Annotated

from django.http import HttpRequest
from ninja import Path, Router
from ninja.decorators import decorate_view

from mentorat.api.auth import acting
from mentorat.api.conditional import conditional
from mentorat.api.endpoints.common import Slug, program_for, reads
from mentorat.api.models import Scope
from mentorat.api.schemas import EditionOut, ObjectiveOut, OrganizationOut, ProgramOut
from mentorat.organizations.models import Organization
from mentorat.permissions import require
from mentorat.permissions.organizations import access_organization
from mentorat.permissions.programs import can_create_program, can_view_program_settings
from mentorat.programs.models import Program
from mentorat.programs.selectors import programs_of

router = Router(tags=["programs"])
OrgSlug = Annotated[str, Path(pattern=r"^[-a-zA-Z0-9_]{1,80}$")]


def _organization(organization: Organization) -> OrganizationOut:
    return OrganizationOut(
        id=organization.pk,
        slug=organization.slug,
        name=organization.name,
        kind=organization.kind,
        city=organization.city,
        region=organization.region,
        website=organization.website,
    )


def _program(program: Program) -> ProgramOut:
    return ProgramOut(
        id=program.pk,
        slug=program.slug,
        name=program.name,
        kind=program.kind,
        summary=program.summary,
        is_published=program.is_published,
        organization=program.organization.slug,
        created_at=program.created_at,
    )


@router.get("/organization", response=reads(OrganizationOut), url_name="organization")
@decorate_view(conditional)
def organization(request: HttpRequest) -> OrganizationOut:
    """The key's organisation."""
    user = acting(request, Scope.READ)
    key_org = request.auth.organization  # type: ignore[attr-defined]
    return _organization(access_organization(user, key_org.slug, request=request))


@router.get(
    "/organizations/{slug}", response=reads(OrganizationOut), url_name="organization_detail"
)
@decorate_view(conditional)
def organization_detail(request: HttpRequest, slug: OrgSlug) -> OrganizationOut:
    """An organisation the key's creator belongs to (404 for the others)."""
    user = acting(request, Scope.READ)
    return _organization(access_organization(user, slug, request=request))


@router.get("/programs", response=reads(list[ProgramOut]), url_name="program_list")
@decorate_view(conditional)
def program_list(request: HttpRequest) -> list[ProgramOut]:
    """Programs of the key's organisation, and those partners share with it."""
    user = acting(request, Scope.READ)
    key_org = request.auth.organization  # type: ignore[attr-defined]
    organization = access_organization(user, key_org.slug, request=request)
    # As the organisation's program list page asks.
    require(can_create_program(user, organization))
    return [_program(p) for p in programs_of(organization=organization).order_by("pk")]


@router.get("/programs/{slug}", response=reads(ProgramOut), url_name="program_detail")
@decorate_view(conditional)
def program_detail(request: HttpRequest, slug: Slug) -> ProgramOut:
    _user, program = program_for(request, slug, Scope.READ, can_view_program_settings)
    return _program(program)


@router.get("/programs/{slug}/editions", response=reads(list[EditionOut]), url_name="edition_list")
@decorate_view(conditional)
def edition_list(request: HttpRequest, slug: Slug) -> list[EditionOut]:
    _user, program = program_for(request, slug, Scope.READ, can_view_program_settings)
    return [
        EditionOut(
            id=e.pk,
            name=e.name,
            applications_open_on=e.applications_open_on,
            applications_close_on=e.applications_close_on,
            matching_on=e.matching_on,
            starts_on=e.starts_on,
            ends_on=e.ends_on,
            meetings_per_month=e.meetings_per_month,
            duration_months=e.duration_months,
        )
        for e in program.editions.order_by("pk")
    ]


@router.get(
    "/programs/{slug}/objectives", response=reads(list[ObjectiveOut]), url_name="objective_list"
)
@decorate_view(conditional)
def objective_list(request: HttpRequest, slug: Slug) -> list[ObjectiveOut]:
    _user, program = program_for(request, slug, Scope.READ, can_view_program_settings)
    return [
        ObjectiveOut(
            id=o.pk,
            indicator=o.indicator,
            target=o.target,
            unit=o.unit,
            months=o.months,
            deadline=o.deadline,
            rome_domain=o.rome_domain,
            field=o.field,
        )
        for o in program.objectives.order_by("pk")
    ]
