"""Who may see and record mentors' safeguarding checks.

The staff of the program's owner (admins, coordinators) and platform admins see every
accepted mentor of the program and record checks in the owner's name. The staff of a
partner the program is shared with see and record only for their own organisation's
mentors, in their organisation's name. Members without a staff role get 403; everyone
else cannot tell the program exists (404, `access_program`). A check is revoked by the
organisation that recorded it."""

from django.http import Http404

from mentorat.accounts.models import User
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.organizations.models import Organization
from mentorat.permissions.organizations import is_platform_admin
from mentorat.permissions.programs import (
    application_scope,
    is_program_staff,
    partner_scope,
    shared_organization_ids,
    staff_organization_ids,
)
from mentorat.programs.models import Edition, ParticipantRole, Program
from mentorat.safeguarding.models import SafeguardingCheck


def can_manage_checks(user: User, program: Program) -> bool:
    """See the mentors' check status and record or revoke checks (own people, for a
    partner's staff)."""
    return is_program_staff(user, program) or bool(partner_scope(user, program))


def mentor_scope(user: User, program: Program) -> set[int] | None:
    """Organisation ids whose mentors `user` may see here; None means all of them."""
    return application_scope(user, program)


def recording_organization(user: User, program: Program, mentor: Application) -> Organization:
    """The organisation a check recorded by `user` for `mentor` is made in the name of:
    the program's owner for its staff, else the mentor's own (partner) organisation."""
    if is_program_staff(user, program) or mentor.organization is None:
        return program.organization
    return mentor.organization


def access_edition(user: User, program: Program, pk: int) -> Edition:
    """An edition of `program` (404 otherwise); the caller has checked the program."""
    edition = Edition.objects.filter(program=program, pk=pk).first()
    if edition is None:
        raise Http404
    return edition


def access_mentor(user: User, edition: Edition, pk: int) -> Application:
    """An accepted mentor application of `edition` that `user` may see; 404 for the
    others (another edition, another partner's mentor, a mentee)."""
    applications = Application.objects.filter(
        edition=edition, pk=pk, role=ParticipantRole.MENTOR, status=ApplicationStatus.ACCEPTED
    )
    scope = mentor_scope(user, edition.program)
    if scope is not None:
        applications = applications.filter(organization_id__in=scope)
    found = applications.select_related("user", "organization", "edition__program").first()
    if found is None:
        raise Http404
    return found


def counting_organization_ids(program: Program) -> set[int]:
    """Organisations whose checks count in `program`: its owner and its partners."""
    return {program.organization_id, *shared_organization_ids(program)}


def revocable_organization_ids(user: User, program: Program) -> set[int]:
    """Organisations whose checks `user` may revoke in `program`: those of the program
    where they are staff (every one of them, for a platform admin)."""
    organizations = counting_organization_ids(program)
    if is_platform_admin(user):
        return organizations
    return organizations & staff_organization_ids(user)


def access_check(user: User, program: Program, pk: int) -> SafeguardingCheck:
    """A check `user` may revoke in `program`: recorded by an organisation where they are
    staff (any counting one, for a platform admin) for an accepted mentor of the program
    they may see. 404 for any other."""
    organizations = revocable_organization_ids(user, program)
    mentors = Application.objects.filter(
        edition__program=program, role=ParticipantRole.MENTOR, status=ApplicationStatus.ACCEPTED
    )
    scope = mentor_scope(user, program)
    if scope is not None:
        mentors = mentors.filter(organization_id__in=scope)
    found = (
        SafeguardingCheck.objects.select_related("mentor", "organization")
        .filter(pk=pk, organization_id__in=organizations, mentor__applications__in=mentors)
        .first()
    )
    if found is None:
        raise Http404
    return found
