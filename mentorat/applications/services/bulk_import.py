"""The entry point the bulk import uses (`import_application`)."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from mentorat.accounts.models import User
from mentorat.applications.models import (
    Application,
    ApplicationStatus,
)
from mentorat.applications.selectors import ADULT_AGE
from mentorat.applications.services.submission import clean_answers, questions_for
from mentorat.audit.services import record
from mentorat.lib.errors import DomainError
from mentorat.organizations.models import Organization, Role
from mentorat.organizations.services import add_membership
from mentorat.participants.models import Profile, age_on
from mentorat.permissions.imports import (
    can_import_decided_statuses,
    import_organization_ids,
    import_scope,
)
from mentorat.permissions.people import can_change_person, is_claimed
from mentorat.permissions.programs import shared_organization_ids
from mentorat.programs.models import Edition, ParticipantRole, Program

# Bulk import entry point ---------------------------------------------------------------------


@transaction.atomic
def import_application(
    *,
    edition: Edition,
    user: User,
    role: str,
    organization: Organization | None = None,
    status: ApplicationStatus | str = ApplicationStatus.SUBMITTED,
    answers: dict[str, Any] | None = None,
    actor: User | None = None,
) -> tuple[Application, bool]:
    """Create or update `user`'s application to `edition` from an imported list; returns
    (application, created). No email is sent and the edition may be closed: the
    organisation vouches for these people. Status must be submitted, waitlisted or
    accepted; accepted people get the role's membership. The charter is not accepted
    on their behalf (`charter` stays empty until they accept it).

    With an `actor`, the bulk import's rules apply (`mentorat.permissions.imports`): the
    organisation must be one they import for, an existing application of another
    organisation is not theirs to take over, and only the program's staff set decided
    statuses. The person's own data is not written here (`upsert_person` and
    `update_profile` check who may change it). Without an actor (the platform itself),
    none of this is checked."""
    if role not in ParticipantRole.values:
        raise DomainError(_("Role: unknown value “%(value)s”.") % {"value": role})
    allowed_statuses = {
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.WAITLISTED,
        ApplicationStatus.ACCEPTED,
    }
    if status not in allowed_statuses:
        raise DomainError(_("Status: unknown value “%(value)s”.") % {"value": status})
    program = edition.program
    if organization is not None and organization.pk not in (
        {program.organization_id} | shared_organization_ids(program)
    ):
        raise DomainError(
            _("Organisation: %(name)s does not take part in this program.")
            % {"name": organization.name}
        )
    application = Application.objects.select_for_update().filter(edition=edition, user=user).first()
    if actor is not None:
        _check_import_rights(
            actor=actor,
            program=program,
            user=user,
            application=application,
            organization=organization,
            status=status,
        )
    created = application is None
    now = timezone.now()
    if application is None:
        application = Application(edition=edition, user=user, submitted_at=now, source="import")
    application.role = role
    application.organization = organization or application.organization or program.organization
    if answers is not None:
        application.answers = clean_answers(
            questions=questions_for(program=program, role=role), raw=answers
        )
    profile = Profile.objects.filter(user=user).only("birth_date").first()
    birth_date = profile.birth_date if profile else None
    if birth_date is not None:
        age = age_on(birth_date, timezone.localdate())
        application.is_minor = age < ADULT_AGE
        application.contact_through_platform_only = application.is_minor
    if status == ApplicationStatus.ACCEPTED and application.status != ApplicationStatus.ACCEPTED:
        application.accepted_at = now
        application.decided_at = now
        application.decided_by = actor
        assert application.organization is not None
        add_membership(
            user=user, organization=application.organization, role=Role(role), actor=actor
        )
    application.status = status
    application.save()
    record(
        action="applications.application.imported",
        actor=actor,
        organization=program.organization,
        target=application,
        data={"created": created, "status": str(status), "role": role},
    )
    return application, created


def _check_import_rights(
    *,
    actor: User,
    program: Program,
    user: User,
    application: Application | None,
    organization: Organization | None,
    status: ApplicationStatus | str,
) -> None:
    """The bulk import's rules for `actor` (see `import_application`)."""
    current = application.organization if application is not None else None
    chosen = organization or current or program.organization
    if chosen.pk not in import_organization_ids(actor, program):
        raise DomainError(
            _("Organisation: you cannot import people for %(name)s.") % {"name": chosen.name}
        )
    scope = import_scope(actor, program)
    theirs = application is None or scope is None or application.organization_id in scope
    if not theirs:
        raise DomainError(
            capfirst(
                _(
                    "this person is already registered in this edition by another "
                    "organisation; ask the program's coordinators."
                )
            )
        )
    if (
        application is not None
        and organization is not None
        and organization.pk != application.organization_id
        and not is_claimed(user)
        and not can_change_person(actor, user)
    ):
        # An unclaimed person's application organisation is who owns their record
        # (mentorat.permissions.people): moving it would hand the record over.
        raise DomainError(
            _(
                "This application belongs to another organisation; only its "
                "coordinators can move it to another organisation."
            )
        )
    if status != ApplicationStatus.SUBMITTED and not can_import_decided_statuses(actor, program):
        raise DomainError(
            _(
                "Status: only the program's coordinators can import accepted or "
                "waiting-list applications."
            )
        )
