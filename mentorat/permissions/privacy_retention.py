"""Who may see or change an organisation's retention periods: its admins (and platform
admins). Coordinators run programs, not the organisation's data protection choices."""

from mentorat.accounts.models import User
from mentorat.organizations.models import Organization, Role
from mentorat.permissions.organizations import is_platform_admin, roles_in


def can_manage_retention(user: User, organization: Organization) -> bool:
    """Organisation admins and platform admins set the organisation's retention
    periods; call after `access_organization` (other organisations: 404)."""
    return is_platform_admin(user) or Role.ADMIN in roles_in(user, organization)
