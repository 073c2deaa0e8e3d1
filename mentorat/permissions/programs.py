"""Who may see or run a program and its applications.

Staff of the owning organisation (admins and coordinators) run the program. Staff of a
partner organisation the program is shared with see it, but only the applications of
people from their own organisation. Members of the owner without a staff role see that
the program exists (403 on management pages); everyone else gets 404."""

from typing import TYPE_CHECKING

from django.http import Http404, HttpRequest

from mentorat.accounts.models import User
from mentorat.applications.models import Application
from mentorat.audit.services import record_security_event
from mentorat.organizations.models import Organization, Role
from mentorat.permissions.organizations import is_platform_admin, roles_by_organization, roles_in
from mentorat.programs.models import Program

if TYPE_CHECKING:
    from mentorat.applications.models import Application
    from mentorat.programs.models import Program

STAFF_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR})
_SHARED_ATTR = "_mentorat_shared_ids"


def shared_organization_ids(program: "Program") -> frozenset[int]:
    """Ids of the partner organisations the program is shared with (read once)."""
    cached: frozenset[int] | None = getattr(program, _SHARED_ATTR, None)
    if cached is None:
        cached = frozenset(program.shared_with.values_list("id", flat=True))
        setattr(program, _SHARED_ATTR, cached)
    return cached


def forget_shared(program: "Program") -> None:
    if hasattr(program, _SHARED_ATTR):
        delattr(program, _SHARED_ATTR)


def staff_organization_ids(user: User) -> set[int]:
    return {org_id for org_id, roles in roles_by_organization(user).items() if roles & STAFF_ROLES}


def is_program_staff(user: User, program: "Program") -> bool:
    """Runs the program: staff of the owning organisation or a platform admin."""
    return is_platform_admin(user) or program.organization_id in staff_organization_ids(user)


def partner_scope(user: User, program: "Program") -> set[int]:
    """Partner organisations (the program is shared with) where `user` is staff."""
    return staff_organization_ids(user) & shared_organization_ids(program)


def access_program(user: User, slug: str, *, request: HttpRequest | None = None) -> "Program":
    """The program if `user` may know about its management side; else 404 (a signed-in
    person's refusal goes to the platform's security log, not the organisation's)."""
    program = Program.objects.select_related("organization").filter(slug=slug).first()
    if program is None:
        raise Http404
    if (
        is_platform_admin(user)
        or roles_in(user, program.organization)
        or partner_scope(user, program)
    ):
        return program
    if user.is_authenticated:
        record_security_event(
            kind="access.program.denied", user=user, target=program, request=request
        )
    raise Http404


def can_create_program(user: User, organization: Organization) -> bool:
    return is_platform_admin(user) or bool(roles_in(user, organization) & STAFF_ROLES)


def can_view_program_settings(user: User, program: "Program") -> bool:
    return is_program_staff(user, program) or bool(partner_scope(user, program))


def can_edit_program(user: User, program: "Program") -> bool:
    return is_program_staff(user, program)


def can_view_applications(user: User, program: "Program") -> bool:
    return is_program_staff(user, program) or bool(partner_scope(user, program))


def can_decide_applications(user: User, program: "Program") -> bool:
    return is_program_staff(user, program)


def application_scope(user: User, program: "Program") -> set[int] | None:
    """Organisation ids whose applications `user` may see; None means all of them."""
    if is_program_staff(user, program):
        return None
    return partner_scope(user, program)


def access_application(
    user: User, program: "Program", pk: int, *, request: HttpRequest | None = None
) -> "Application":
    """An application of `program` that `user` may see; 404 for the others."""
    scope = application_scope(user, program)
    applications = Application.objects.filter(edition__program=program, pk=pk)
    if scope is not None:
        applications = applications.filter(organization_id__in=scope)
    application = applications.select_related(
        "user", "user__profile", "edition", "organization", "decided_by", "charter"
    ).first()
    if application is None:
        raise Http404
    return application


def access_public_program(user: User, slug: str) -> "Program":
    """A program's public page: published ones for everyone, drafts for their staff."""
    program = Program.objects.select_related("organization").filter(slug=slug).first()
    if program is None or not (program.is_published or can_view_program_settings(user, program)):
        raise Http404
    return program


def access_own_application(user: User, pk: int) -> "Application":
    application = (
        Application.objects.select_related("edition", "edition__program", "organization")
        .filter(pk=pk, user_id=user.pk)
        .first()
    )
    if application is None:
        raise Http404
    return application


def can_send_recruitment_call(user: User, program: "Program") -> bool:
    return is_program_staff(user, program)
