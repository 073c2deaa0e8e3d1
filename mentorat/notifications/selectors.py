from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import timezone

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
    call) stand, from the ledger. Sending counts as in progress while rows change within
    a few `EMAIL_TIMEOUT`s of each other (each send takes at most that per SMTP step)."""
    counts = EmailDelivery.objects.filter(purpose=purpose, key=str(key)).aggregate(
        last_change=Max("updated_at"),
        **{status.value: Count("pk", filter=Q(status=status)) for status in DeliveryStatus},
    )
    last_change = counts["last_change"]
    pending = counts[DeliveryStatus.PENDING.value]
    quiet = timedelta(seconds=max(60, 3 * settings.EMAIL_TIMEOUT))
    now = now or timezone.now()
    return DeliverySummary(
        sent=counts[DeliveryStatus.SENT.value],
        failed=counts[DeliveryStatus.FAILED.value],
        pending=pending,
        skipped=counts[DeliveryStatus.SKIPPED.value],
        last_change=last_change,
        in_progress=bool(pending and last_change and now - last_change < quiet),
    )
