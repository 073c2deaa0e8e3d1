from dataclasses import dataclass, field

from mentorat.accounts.models import User
from mentorat.organizations.models import Membership, Organization, Role


@dataclass
class RoleSection:
    """One block of a person's home page: a role they hold, and where they hold it."""

    role: Role
    organizations: list[Organization] = field(default_factory=list)


def home_sections(*, user: User) -> list[RoleSection]:
    sections: dict[str, RoleSection] = {}
    for membership in Membership.objects.filter(user=user).select_related("organization"):
        section = sections.setdefault(membership.role, RoleSection(role=Role(membership.role)))
        section.organizations.append(membership.organization)
    order = [Role.ADMIN, Role.COORDINATOR, Role.MENTOR, Role.MENTEE]
    return [sections[r] for r in order if r in sections]
