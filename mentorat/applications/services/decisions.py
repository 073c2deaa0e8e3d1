"""Coordinators' decisions on applications: accept, waitlist, decline or ask for more
information, one by one or in bulk."""

from dataclasses import dataclass, field
from enum import StrEnum

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorat.accounts.models import User
from mentorat.applications import tasks
from mentorat.applications.models import (
    DECIDABLE,
    Application,
    ApplicationStatus,
)
from mentorat.audit.services import record
from mentorat.lib.errors import DomainError
from mentorat.organizations.models import Role
from mentorat.organizations.services import add_membership
from mentorat.programs.models import (
    Program,
)


class Decision(StrEnum):
    ACCEPT = "accept"
    WAITLIST = "waitlist"
    DECLINE = "decline"
    REQUEST_INFO = "request_info"


_DECISION_STATUS = {
    Decision.ACCEPT: ApplicationStatus.ACCEPTED,
    Decision.WAITLIST: ApplicationStatus.WAITLISTED,
    Decision.DECLINE: ApplicationStatus.DECLINED,
    Decision.REQUEST_INFO: ApplicationStatus.INFO_REQUESTED,
}


# Decisions --------------------------------------------------------------------------------


def _apply_decision(
    application: Application,
    *,
    decision: Decision,
    reason: str,
    actor: User,
    request: HttpRequest | None,
) -> None:
    if application.status == ApplicationStatus.AWAITING_GUARDIAN_CONSENT:
        raise DomainError(_("This application is waiting for a guardian's consent."))
    if application.status not in DECIDABLE:
        raise DomainError(
            _("This application is already %(status)s.")
            % {"status": application.get_status_display().lower()}
        )
    if decision == Decision.DECLINE and not reason.strip():
        raise DomainError(_("Reason: give a reason to decline; the applicant receives it."))
    if decision == Decision.REQUEST_INFO and not reason.strip():
        raise DomainError(_("Reason: say what information you need."))
    now = timezone.now()
    program = application.edition.program
    application.status = _DECISION_STATUS[decision]
    application.decided_at = now
    application.decided_by = actor
    if decision == Decision.REQUEST_INFO:
        application.info_request = reason.strip()
    else:
        application.decision_reason = reason.strip()
    if decision == Decision.ACCEPT:
        application.accepted_at = now
        # People from outside join the program's organisation; the others keep their own.
        if application.organization_id is None:
            application.organization = program.organization
        assert application.organization is not None
        add_membership(
            user=application.user,
            organization=application.organization,
            role=Role(application.role),
            actor=actor,
        )
    application.save()
    record(
        action=f"applications.application.{application.status}",
        actor=actor,
        organization=program.organization,
        target=application,
        data={"reason": reason.strip()} if reason.strip() else {},
        request=request,
    )
    transaction.on_commit(lambda: tasks.send_decision_email.enqueue(application.pk))


@transaction.atomic
def decide_application(
    *,
    application: Application,
    decision: Decision | str,
    reason: str = "",
    actor: User,
    request: HttpRequest | None = None,
) -> Application:
    """Accept, waitlist, decline (reason required) or ask for more information
    (message required); the applicant is emailed in their language."""
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("user", "edition__program__organization", "organization")
        .get(pk=application.pk)
    )
    _apply_decision(
        locked, decision=Decision(decision), reason=reason, actor=actor, request=request
    )
    return locked


@dataclass
class BulkResult:
    decided: int = 0
    skipped: list[str] = field(default_factory=list)


@transaction.atomic
def decide_applications(
    *,
    program: Program,
    application_ids: list[int],
    decision: Decision | str,
    reason: str = "",
    actor: User,
    request: HttpRequest | None = None,
) -> BulkResult:
    """The same decision on several applications of `program`. Applications that cannot
    take it (already decided, awaiting consent) are skipped and reported by name."""
    decision = Decision(decision)
    if decision in {Decision.DECLINE, Decision.REQUEST_INFO} and not reason.strip():
        raise DomainError(_("Reason: required to decline or to ask for information."))
    result = BulkResult()
    applications = (
        Application.objects.select_for_update(of=("self",))
        .select_related("user", "edition__program__organization", "organization")
        .filter(edition__program=program, pk__in=application_ids)
        .order_by("pk")
    )
    for application in applications:
        try:
            with transaction.atomic():
                _apply_decision(
                    application, decision=decision, reason=reason, actor=actor, request=request
                )
        except DomainError as error:
            result.skipped.append(f"{application.user.display_name}: {error.message}")
        else:
            result.decided += 1
    return result
