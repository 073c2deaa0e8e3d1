"""Webhooks are an organisation's link to its own systems: only its admins (and platform
admins) see and change them. Outsiders get 404 (`access_organization`), other members 403."""

from django.http import Http404, HttpRequest

from mentorat.accounts.models import User
from mentorat.organizations.models import Organization, Role
from mentorat.permissions import require
from mentorat.permissions.organizations import access_organization, is_platform_admin, roles_in
from mentorat.webhooks.models import Delivery, Endpoint


def can_manage_webhooks(user: User, organization: Organization) -> bool:
    return is_platform_admin(user) or Role.ADMIN in roles_in(user, organization)


def access_webhooks(user: User, slug: str, *, request: HttpRequest | None = None) -> Organization:
    """The organisation whose webhooks `user` manages (404 outside it, 403 without the role)."""
    organization = access_organization(user, slug, request=request)
    require(can_manage_webhooks(user, organization))
    return organization


def access_endpoint(
    user: User, slug: str, pk: int, *, request: HttpRequest | None = None
) -> Endpoint:
    organization = access_webhooks(user, slug, request=request)
    endpoint = Endpoint.objects.filter(organization=organization, pk=pk).first()
    if endpoint is None:
        raise Http404
    endpoint.organization = organization
    return endpoint


def access_delivery(
    user: User, slug: str, pk: int, delivery_pk: int, *, request: HttpRequest | None = None
) -> Delivery:
    endpoint = access_endpoint(user, slug, pk, request=request)
    delivery = Delivery.objects.filter(endpoint=endpoint, pk=delivery_pk).first()
    if delivery is None:
        raise Http404
    delivery.endpoint = endpoint
    return delivery
