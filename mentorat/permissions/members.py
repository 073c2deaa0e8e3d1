"""Who may change the roles of an organisation's members or remove them."""

from mentorat.accounts.models import User
from mentorat.organizations.models import Organization, Role
from mentorat.permissions.organizations import is_platform_admin, roles_in


def can_manage_members(user: User, organization: Organization) -> bool:
    """Organisation admins (and platform admins) change roles and remove members;
    coordinators only see the list and invite."""
    return is_platform_admin(user) or Role.ADMIN in roles_in(user, organization)
