"""Who configures single sign-on: an organisation's admins (and platform admins, as for
its audit log). To anyone outside the organisation its connections do not exist (404);
its other members see the organisation exists (403)."""

from django.http import Http404, HttpRequest

from mentorat.accounts.models import User
from mentorat.organizations.models import Organization, Role
from mentorat.permissions import require
from mentorat.permissions.organizations import access_organization, is_platform_admin, roles_in
from mentorat.sso.models import Connection, EmailDomain


def can_configure_sso(user: User, organization: Organization) -> bool:
    return is_platform_admin(user) or Role.ADMIN in roles_in(user, organization)


def access_sso_settings(
    user: User, slug: str, *, request: HttpRequest | None = None
) -> Organization:
    """The organisation whose connections `user` configures: 404 outside it, 403 for
    its members who are not admins."""
    organization = access_organization(user, slug, request=request)
    require(can_configure_sso(user, organization))
    return organization


def access_connection(user: User, pk: int, *, request: HttpRequest | None = None) -> Connection:
    connection = Connection.objects.select_related("organization").filter(pk=pk).first()
    if connection is None:
        raise Http404
    access_sso_settings(user, connection.organization.slug, request=request)
    return connection


def access_email_domain(user: User, pk: int, *, request: HttpRequest | None = None) -> EmailDomain:
    email_domain = (
        EmailDomain.objects.select_related("connection__organization").filter(pk=pk).first()
    )
    if email_domain is None:
        raise Http404
    access_sso_settings(user, email_domain.connection.organization.slug, request=request)
    return email_domain


def access_domain_approval(
    user: User, pk: int, *, request: HttpRequest | None = None
) -> EmailDomain:
    """A domain claim a platform admin approves: nobody else may vouch for a domain
    (an organisation's own admins prove it by DNS)."""
    email_domain = access_email_domain(user, pk, request=request)
    require(is_platform_admin(user))
    return email_domain
