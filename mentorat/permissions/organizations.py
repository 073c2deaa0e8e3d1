from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from mentorat.accounts.models import User
from mentorat.audit.services import record_security_event
from mentorat.lib.compiled_sql import CompiledQuery
from mentorat.organizations.models import Membership, Organization, Role

_CACHE_ATTR = "_mentorat_roles_by_org"


def is_platform_admin(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def _memberships_query(*, user_id: int) -> QuerySet[Membership, tuple[int, str]]:
    # order_by(): without the model's ordering by organisation name, no join.
    return (
        Membership.objects.filter(user_id=user_id).order_by().values_list("organization_id", "role")
    )


# Compiled once per process (mentorat.lib.compiled_sql): read on every signed-in page.
_MEMBERSHIPS = CompiledQuery(_memberships_query, user_id=int)


def roles_by_organization(user: User) -> dict[int, frozenset[str]]:
    """Roles of `user` per organisation id, read once per request (cached on the user)."""
    if not user.is_authenticated:
        return {}
    cached: dict[int, frozenset[str]] | None = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        collected: dict[int, set[str]] = {}
        for org_id, role in _MEMBERSHIPS.fetch(user_id=user.pk):
            collected.setdefault(org_id, set()).add(role)
        cached = {org_id: frozenset(roles) for org_id, roles in collected.items()}
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_roles(user: User) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def roles_in(user: User, organization: Organization) -> frozenset[str]:
    return roles_by_organization(user).get(organization.pk, frozenset())


def has_any_role(user: User, roles: set[str] | frozenset[str]) -> bool:
    return any(held & roles for held in roles_by_organization(user).values())


def access_organization(
    user: User, slug: str, *, request: HttpRequest | None = None
) -> Organization:
    """The organisation if `user` belongs to it (or is a platform admin); else 404, so
    that people outside an organisation cannot even tell it exists. A signed-in
    person's refusal goes to the platform's security log (pseudonymous, rate-limited),
    never to the organisation's audit log, which would show their email to its admins."""
    organization = Organization.objects.filter(slug=slug).first()
    if organization is not None and (is_platform_admin(user) or roles_in(user, organization)):
        return organization
    if organization is not None and user.is_authenticated:
        record_security_event(
            kind="access.organization.denied", user=user, target=organization, request=request
        )
    raise Http404


def can_view_members(user: User, organization: Organization) -> bool:
    return is_platform_admin(user) or bool(
        roles_in(user, organization) & {Role.ADMIN, Role.COORDINATOR}
    )


def can_view_audit_log(user: User, organization: Organization) -> bool:
    return is_platform_admin(user) or Role.ADMIN in roles_in(user, organization)


def invitable_roles(user: User, organization: Organization) -> list[Role]:
    """Admins invite any role; coordinators invite the people their programs serve."""
    roles = roles_in(user, organization)
    if is_platform_admin(user) or Role.ADMIN in roles:
        return list(Role)
    if Role.COORDINATOR in roles:
        return [Role.MENTOR, Role.MENTEE]
    return []


def can_invite(user: User, organization: Organization) -> bool:
    return bool(invitable_roles(user, organization))
