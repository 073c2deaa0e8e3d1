"""Who may see, make and download exports of a person's data (GDPR Art. 15 and 20).

A person sees and downloads every export of their own data, whoever made it. An export
made by an organisation admin for a request received by post (`organization` set) is
also for the admins of that organisation (and platform admins). Anyone else cannot tell
an export exists (404), colleagues and other organisations' admins included.

An organisation admin may export the data of a person only if every link the person has
with the platform is with that organisation (its memberships, applications to its
programs or as its people): the export holds *everything* about the person, so a person
who also takes part in another organisation's programs asks for it themselves (or
through a platform admin), and no admin ever receives another organisation's data."""

import uuid

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest

from mentorat.accounts.models import User
from mentorat.applications.models import Application
from mentorat.organizations.models import Membership, Organization, Role
from mentorat.permissions import require
from mentorat.permissions.organizations import access_organization, is_platform_admin, roles_in
from mentorat.privacy.exports.models import ExportRequest


def can_export_for_organization(user: User, organization: Organization) -> bool:
    """Organisation admins (and platform admins) make exports for postal requests."""
    return is_platform_admin(user) or Role.ADMIN in roles_in(user, organization)


def access_organization_exports(
    user: User, slug: str, *, request: HttpRequest | None = None
) -> Organization:
    """The organisation whose exports page `user` opens: 404 for strangers, 403 for
    members who are not admins."""
    organization = access_organization(user, slug, request=request)
    require(can_export_for_organization(user, organization))
    return organization


def _applications_of(organization: Organization) -> Q:
    return Q(organization=organization) | Q(edition__program__organization=organization)


def people_held_by(organization: Organization) -> QuerySet[User]:
    """People whose data the organisation holds: its members, and applicants to its
    programs or as its people."""
    return User.objects.filter(
        Exists(Membership.objects.filter(user=OuterRef("pk"), organization=organization))
        | Exists(Application.objects.filter(_applications_of(organization), user=OuterRef("pk")))
    )


def linked_elsewhere(organization: Organization) -> QuerySet[User]:
    """People with a membership or an application tied to another organisation."""
    return User.objects.filter(
        Exists(Membership.objects.filter(user=OuterRef("pk")).exclude(organization=organization))
        | Exists(
            Application.objects.filter(user=OuterRef("pk")).filter(
                (Q(organization__isnull=False) & ~Q(organization=organization))
                | ~Q(edition__program__organization=organization)
            )
        )
    )


def exportable_ids(organization: Organization, people: list[User]) -> set[int]:
    """Those of `people` whose export the organisation's admins may make (two queries)."""
    ids = [person.pk for person in people]
    held = set(people_held_by(organization).filter(pk__in=ids).values_list("pk", flat=True))
    elsewhere = set(linked_elsewhere(organization).filter(pk__in=ids).values_list("pk", flat=True))
    return held - elsewhere


def can_export_person(organization: Organization, person: User) -> bool:
    """May the organisation's admins export `person`'s data (see the module docstring)?"""
    return person.pk in exportable_ids(organization, [person])


def can_access_export(user: User, export: ExportRequest) -> bool:
    """The person themselves; for an organisation's export, its admins too."""
    if not user.is_authenticated:
        return False
    if export.person_id == user.pk:
        return True
    return export.organization is not None and can_export_for_organization(
        user, export.organization
    )


def access_export(user: User, public_id: uuid.UUID | str) -> ExportRequest:
    """The export if `user` may see it (`can_access_export`), else 404: nobody else can
    tell that a person's export exists."""
    export = (
        ExportRequest.objects.select_related("person", "organization", "requested_by")
        .filter(public_id=public_id)
        .first()
    )
    if export is None or not can_access_export(user, export):
        raise Http404
    return export
