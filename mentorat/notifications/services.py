from collections.abc import Callable, Collection

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorat.accounts.models import User
from mentorat.audit.services import record
from mentorat.lib.errors import DomainError
from mentorat.notifications.kinds import MANDATORY, EmailKind, MessageFrequency
from mentorat.notifications.models import DeliveryStatus, EmailDelivery, NotificationPreference
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


# Notification preferences -------------------------------------------------------------------


def _store(*, user: User, kind: EmailKind, enabled: bool, frequency: str) -> bool:
    """Record one choice (no row for the default); whether it changed anything."""
    is_default = enabled and frequency in ("", MessageFrequency.IMMEDIATELY)
    rows = NotificationPreference.objects.filter(user=user, kind=kind)
    if is_default:
        return bool(rows.delete()[0])
    row = rows.select_for_update().first()
    if row is not None and row.enabled == enabled and row.message_frequency == frequency:
        return False
    NotificationPreference.objects.update_or_create(
        user=user, kind=kind, defaults={"enabled": enabled, "message_frequency": frequency}
    )
    return True


@transaction.atomic
def set_preferences(
    *,
    user: User,
    turned_off: Collection[EmailKind],
    message_frequency: MessageFrequency,
    request: HttpRequest | None = None,
) -> bool:
    """Set every choice of `user` at once: the kinds in `turned_off` off, the others on,
    and when to tell them of new messages (never: the messages kind is off, whatever
    `turned_off` says). Returns whether anything changed (then audited)."""
    if set(turned_off) & MANDATORY:
        raise DomainError(_("These emails are needed to use your account: they stay on."))
    changed = []
    for kind in EmailKind:
        if kind in MANDATORY:
            continue
        if kind == EmailKind.MESSAGES:
            enabled = message_frequency != MessageFrequency.NEVER
            frequency = str(message_frequency)
        else:
            enabled, frequency = kind not in turned_off, ""
        if _store(user=user, kind=kind, enabled=enabled, frequency=frequency):
            changed.append(kind.value)
    if changed:
        record(
            action="notifications.preferences.updated",
            actor=user,
            target=user,
            data={"changed": changed},
            request=request,
        )
    return bool(changed)


@transaction.atomic
def unsubscribe(*, user: User, kind: EmailKind, request: HttpRequest | None = None) -> bool:
    """Turn `kind` off for `user` (from an email's unsubscribe link); for messages, it
    is the frequency "never". Returns whether it was on (then audited); doing it twice
    changes nothing."""
    if kind in MANDATORY:
        raise DomainError(_("These emails are needed to use your account: they stay on."))
    frequency = MessageFrequency.NEVER.value if kind == EmailKind.MESSAGES else ""
    if not _store(user=user, kind=kind, enabled=False, frequency=frequency):
        return False
    record(
        action="notifications.preferences.unsubscribed",
        actor=user,  # whoever holds the link in their mailbox
        target=user,
        data={"kind": kind.value, "via": "email"},
        request=request,
    )
    return True
