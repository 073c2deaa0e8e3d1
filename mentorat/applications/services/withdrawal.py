"""Withdrawing an application. What follows for the person's pairs and self-matching
requests is done by `mentorat.matching.services.withdrawal.withdraw_participant`, which
calls this: the layers above know about the applications, not the reverse."""

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from mentorat.accounts.models import User
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.audit.services import record
from mentorat.lib.errors import DomainError


@transaction.atomic
def withdraw_application(
    *, application: Application, actor: User, request: HttpRequest | None = None
) -> Application:
    """Close the application as withdrawn (locked row, audited); refused when it is
    already withdrawn or declined. Returns the locked, updated row. Pages call
    `withdraw_participant` instead, which also ends the person's pairs and requests."""
    application = (
        Application.objects.select_for_update()
        .select_related("edition__program")
        .get(pk=application.pk)
    )
    if application.status in {ApplicationStatus.WITHDRAWN, ApplicationStatus.DECLINED}:
        raise DomainError(_("This application is already closed."))
    application.status = ApplicationStatus.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    record(
        action="applications.application.withdrawn",
        actor=actor,
        organization=application.edition.program.organization,
        target=application,
        request=request,
    )
    return application
