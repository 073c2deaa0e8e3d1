"""Calls for mentors: when a program lacks mentors, its coordinators email the partner
organisations' contacts, at most once a week."""

from datetime import datetime, timedelta

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorat.accounts.models import User
from mentorat.applications import tasks
from mentorat.applications.models import (
    RecruitmentCall,
)
from mentorat.audit.services import record
from mentorat.lib.errors import DomainError
from mentorat.permissions.programs import STAFF_ROLES, shared_organization_ids
from mentorat.programs.models import (
    Program,
)
from mentorat.programs.services import partner_organizations

RECRUITMENT_CALL_INTERVAL = timedelta(days=7)


# Right to a mentor ---------------------------------------------------------------------------


def recruitment_recipients(*, program: Program) -> list[User]:
    """Admins and coordinators of the partner organisations of the program's owner
    (current partnerships and organisations the program is shared with)."""
    partner_ids = {o.pk for o in partner_organizations(organization=program.organization)}
    partner_ids |= set(shared_organization_ids(program))
    return list(
        User.objects.filter(
            memberships__organization_id__in=partner_ids,
            memberships__role__in=STAFF_ROLES,
            is_active=True,
        )
        .distinct()
        .order_by("email")
    )


def next_recruitment_call_allowed_at(*, program: Program) -> datetime | None:
    last = RecruitmentCall.objects.filter(program=program).order_by("-sent_at").first()
    if last is None:
        return None
    allowed = last.sent_at + RECRUITMENT_CALL_INTERVAL
    return allowed if allowed > timezone.now() else None


@transaction.atomic
def send_recruitment_call(
    *,
    program: Program,
    message: str,
    mentors_needed: int,
    actor: User,
    request: HttpRequest | None = None,
) -> RecruitmentCall:
    """Email a call for mentors to the partner organisations' contacts; at most one call
    per program in 7 days."""
    Program.objects.select_for_update().filter(pk=program.pk).first()
    allowed_at = next_recruitment_call_allowed_at(program=program)
    if allowed_at is not None:
        raise DomainError(
            _("A call was sent less than 7 days ago. You can send the next one from %(date)s.")
            % {"date": timezone.localtime(allowed_at).strftime("%d/%m/%Y %H:%M")}
        )
    recipients = recruitment_recipients(program=program)
    if not recipients:
        raise DomainError(_("No partner organisation has an admin or coordinator to write to."))
    call = RecruitmentCall.objects.create(
        program=program,
        sent_by=actor,
        message=message.strip(),
        recipients=[u.email for u in recipients],
        mentors_needed=mentors_needed,
    )
    record(
        action="applications.recruitment_call.sent",
        actor=actor,
        organization=program.organization,
        target=call,
        data={"recipients": len(recipients), "mentors_needed": mentors_needed},
        request=request,
    )
    transaction.on_commit(lambda: tasks.send_recruitment_call_emails.enqueue(call.pk))
    return call
