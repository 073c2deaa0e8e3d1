"""Who may manage an organisation's API keys: its admins (and platform admins). A key
then acts as its creator through the same `access_*`/`can_*` functions as the pages."""

import copy

from django.http import Http404

from mentorat.accounts.models import User
from mentorat.api.models import ApiKey
from mentorat.organizations.models import Organization, Role
from mentorat.permissions.organizations import (
    _CACHE_ATTR,
    forget_roles,
    is_platform_admin,
    roles_by_organization,
    roles_in,
)


def can_manage_api_keys(user: User, organization: Organization) -> bool:
    return is_platform_admin(user) or Role.ADMIN in roles_in(user, organization)


def access_api_key(user: User, organization: Organization, pk: int) -> ApiKey:
    """A key of `organization`; the caller has checked `can_manage_api_keys`. 404 for
    a key of another organisation."""
    key = ApiKey.objects.filter(organization=organization, pk=pk).first()
    if key is None:
        raise Http404
    return key


def key_actor(key: ApiKey) -> User:
    """The person a call with `key` acts as: its creator, seen by the permission
    functions as holding only their roles in the key's organisation and never the
    platform-admin right. A copy, so the signed-in user of the same process is untouched;
    never saved."""
    # Read the creator's roles through the permission layer, then keep only the key's
    # organisation in the per-request cache that every `access_*`/`can_*` reads.
    actor = copy.copy(key.created_by)
    actor.is_staff = False
    actor.is_superuser = False
    forget_roles(actor)
    roles = roles_by_organization(actor).get(key.organization_id, frozenset())
    # No entry at all when they hold no role there (an outsider's key): functions that
    # read the keys of the cache as "organisations I belong to" (events' audiences)
    # must not count the key's organisation for them.
    setattr(actor, _CACHE_ATTR, {key.organization_id: roles} if roles else {})
    return actor
