"""Who may read an organisation's processing register (GDPR Art. 30): its admins, who
answer for its data protection, and platform admins. Coordinators run programs, not the
organisation's data protection choices."""

from mentorat.accounts.models import User
from mentorat.organizations.models import Organization, Role
from mentorat.permissions.organizations import is_platform_admin, roles_in


def can_view_register(user: User, organization: Organization) -> bool:
    """Organisation admins and platform admins; call after `access_organization`
    (other organisations: 404)."""
    return is_platform_admin(user) or Role.ADMIN in roles_in(user, organization)
