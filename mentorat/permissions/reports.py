"""Who may see the reports of a program or an organisation.

A program's report is for those who see the program's management side as staff: the
owner's admins and coordinators see every figure; a partner's coordinators see figures
about their own organisation's people only (`report_scope`). An organisation's report
is for its admins and coordinators. Mentors and mentees of the owner get 403, everyone
else 404 (through `access_program` / `access_organization`)."""

from typing import TYPE_CHECKING

from mentorat.accounts.models import User
from mentorat.organizations.models import Organization
from mentorat.permissions.organizations import is_platform_admin, roles_in
from mentorat.permissions.programs import STAFF_ROLES, is_program_staff, partner_scope

if TYPE_CHECKING:
    from mentorat.programs.models import Program


def can_view_program_report(user: User, program: "Program") -> bool:
    return is_program_staff(user, program) or bool(partner_scope(user, program))


def report_scope(user: User, program: "Program") -> frozenset[int] | None:
    """Organisation ids whose people's figures `user` sees in `program`; None: all."""
    if is_program_staff(user, program):
        return None
    return frozenset(partner_scope(user, program))


def can_view_organization_report(user: User, organization: Organization) -> bool:
    return is_platform_admin(user) or bool(roles_in(user, organization) & STAFF_ROLES)
