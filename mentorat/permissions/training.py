"""Who may see, follow or change a training module, and see a quiz attempt.

A published module is seen by the members of its organisation, of the partner
organisations it is shared with, and by the people of a program that assigns it; the
starter set (no organisation) by every signed-in person. Drafts only by the owner's
staff. The owner's staff (admins, coordinators) and platform admins change a module (the
starter set: platform admins only); anyone else who sees it gets 403, the others 404.
An attempt is seen by its author, the staff of the organisations the author belongs to,
and the staff of the programs that assign its module to the author."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from mentorat.accounts.models import User
from mentorat.applications.models import Application
from mentorat.audit.services import record_security_event
from mentorat.organizations.models import Membership, Organization
from mentorat.permissions.organizations import is_platform_admin, roles_by_organization, roles_in
from mentorat.permissions.programs import STAFF_ROLES, is_program_staff, staff_organization_ids
from mentorat.programs.models import Program
from mentorat.training.models import Assignment, Attempt, Module, ModuleStatus


def _member_org_ids(user: User) -> set[int]:
    return set(roles_by_organization(user))


def _assigned_to(user: User, module: Module) -> bool:
    if not user.is_authenticated:
        return False
    return Assignment.objects.filter(
        module=module, program__editions__applications__user=user
    ).exists()


def can_manage_module(user: User, module: Module) -> bool:
    if is_platform_admin(user):
        return True
    return module.organization_id is not None and module.organization_id in staff_organization_ids(
        user
    )


def can_view_module(user: User, module: Module) -> bool:
    """See (follow) `module`: drafts are previews for those who manage it."""
    if can_manage_module(user, module):
        return True
    if not user.is_authenticated or module.status != ModuleStatus.PUBLISHED:
        return False
    if module.organization_id is None:
        return True
    orgs = _member_org_ids(user)
    if module.organization_id in orgs:
        return True
    shared = set(module.shared_with.values_list("id", flat=True))
    return bool(shared & orgs) or _assigned_to(user, module)


def access_module(user: User, pk: int, *, request: HttpRequest | None = None) -> Module:
    """The module if `user` may see it (a draft: only those who manage it); else 404."""
    module = Module.objects.select_related("organization").filter(pk=pk).first()
    if module is not None and can_view_module(user, module):
        return module
    if module is not None and user.is_authenticated:
        record_security_event(
            kind="access.training_module.denied", user=user, target=module, request=request
        )
    raise Http404


def access_module_to_manage(user: User, pk: int, *, request: HttpRequest | None = None) -> Module:
    """A module `user` may change: 404 when they cannot see it, 403 when they see it
    but may not change it (the starter set, a partner's module)."""
    module = access_module(user, pk, request=request)
    if not can_manage_module(user, module):
        raise PermissionDenied
    return module


def can_manage_training_of(user: User, organization: Organization) -> bool:
    """Write modules for `organization`."""
    return is_platform_admin(user) or bool(roles_in(user, organization) & STAFF_ROLES)


def can_assign_training(user: User, program: Program) -> bool:
    return is_program_staff(user, program)


def access_attempt(user: User, pk: int, *, request: HttpRequest | None = None) -> Attempt:
    """An attempt `user` may see: their own, or one of a person they coordinate; 404
    for everyone else (nobody learns someone else's results exist)."""
    attempt = Attempt.objects.select_related("module", "user").filter(pk=pk).first()
    if attempt is None:
        raise Http404
    if attempt.user_id == user.pk or can_follow_learner(user, attempt.user_id, attempt.module):
        return attempt
    if user.is_authenticated:
        record_security_event(
            kind="access.training_attempt.denied", user=user, target=attempt, request=request
        )
    raise Http404


def can_follow_learner(user: User, learner_id: int, module: Module) -> bool:
    """`user` coordinates `learner_id`: staff of an organisation the learner belongs to,
    or of a program that assigns `module` and where the learner applied."""
    if is_platform_admin(user):
        return True
    staff_orgs = staff_organization_ids(user)
    if not staff_orgs:
        return False
    learner_orgs = set(
        Membership.objects.filter(user_id=learner_id)
        .order_by()
        .values_list("organization_id", flat=True)
    )
    if learner_orgs & staff_orgs:
        return True
    return Application.objects.filter(
        user_id=learner_id,
        edition__program__organization_id__in=staff_orgs,
        edition__program__training_assignments__module=module,
    ).exists()
