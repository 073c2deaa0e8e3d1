from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext

from mentorat.accounts.models import User
from mentorat.lib.errors import DomainError
from mentorat.notifications import links
from mentorat.notifications.kinds import EmailKind
from mentorat.notifications.models import DeliveryStatus, EmailDelivery


@dataclass(frozen=True)
class DeliverySummary:
    sent: int
    failed: int
    pending: int
    skipped: int
    last_change: datetime | None
    # Some row changed recently: a task is probably sending the pending ones now.
    in_progress: bool

    @property
    def total(self) -> int:
        return self.sent + self.failed + self.pending + self.skipped

    @property
    def retryable(self) -> int:
        return self.failed + self.pending

    @property
    def may_retry(self) -> bool:
        return bool(self.failed or (self.pending and not self.in_progress))


def delivery_summary(
    *, purpose: str, key: str | int, now: datetime | None = None
) -> DeliverySummary:
    """How the emails of one occasion (an import batch's invitations, a recruitment
    call) stand, from the ledger (`delivery_summaries` for one key)."""
    return delivery_summaries(purpose=purpose, keys=[key], now=now)[str(key)]


def delivery_summaries(
    *, purpose: str, keys: Iterable[str | int], now: datetime | None = None
) -> dict[str, DeliverySummary]:
    """`DeliverySummary` per occasion key (as a string) of `purpose`, in one query. Sending
    counts as in progress while rows change within a few `EMAIL_TIMEOUT`s of each other
    (each send takes at most that per SMTP step)."""
    wanted = [str(key) for key in keys]
    rows = (
        EmailDelivery.objects.filter(purpose=purpose, key__in=wanted)
        .values("key")
        .annotate(
            last_change=Max("updated_at"),
            **{status.value: Count("pk", filter=Q(status=status)) for status in DeliveryStatus},
        )
        .order_by()
    )
    counts = {row["key"]: row for row in rows}
    quiet = timedelta(seconds=max(60, 3 * settings.EMAIL_TIMEOUT))
    now = now or timezone.now()
    summaries: dict[str, DeliverySummary] = {}
    for key in wanted:
        row = counts.get(key, {})
        last_change = row.get("last_change")
        pending = row.get(DeliveryStatus.PENDING.value, 0)
        summaries[key] = DeliverySummary(
            sent=row.get(DeliveryStatus.SENT.value, 0),
            failed=row.get(DeliveryStatus.FAILED.value, 0),
            pending=pending,
            skipped=row.get(DeliveryStatus.SKIPPED.value, 0),
            last_change=last_change,
            in_progress=bool(pending and last_change and now - last_change < quiet),
        )
    return summaries


def unsubscribe_target(token: str) -> tuple[User, EmailKind]:
    """The person and kind an unsubscribe link names; DomainError if the link was altered
    or its account is gone."""
    user_id, kind = links.unsubscribe_payload(token)
    person = User.objects.filter(pk=user_id, is_active=True).first()
    if person is None:
        raise DomainError(gettext("This link is not valid."))
    return person, kind
