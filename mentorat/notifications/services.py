from collections.abc import Callable

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorat.accounts.models import User
from mentorat.audit.services import record
from mentorat.lib.errors import DomainError
from mentorat.notifications.models import DeliveryStatus, EmailDelivery
from mentorat.organizations.models import Organization


def retry_deliveries(
    *,
    purpose: str,
    key: str | int,
    enqueue: Callable[[], object],
    actor: User,
    organization: Organization,
    target: models.Model,
    request: HttpRequest | None = None,
) -> int:
    """Send again the emails of one occasion that failed or still wait: failed rows
    become pending, and `enqueue` (which queues the task that sends this occasion's
    emails) is called once the transaction has committed; the ledger makes that task
    skip the emails already sent. Returns how many emails it will try. Callers check
    that `actor` may act on `target`."""
    with transaction.atomic():
        rows = EmailDelivery.objects.filter(purpose=purpose, key=str(key))
        rows.filter(status=DeliveryStatus.FAILED).update(
            status=DeliveryStatus.PENDING, updated_at=timezone.now()
        )
        waiting = rows.filter(status=DeliveryStatus.PENDING).count()
        if not waiting:
            raise DomainError(_("There is no email left to send again."))
        record(
            action="notifications.emails.retried",
            actor=actor,
            organization=organization,
            target=target,
            data={"purpose": purpose, "emails": waiting},
            request=request,
        )
        transaction.on_commit(enqueue)
    return waiting
