from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", pgettext_lazy("email delivery", "Sent")
    FAILED = "failed", pgettext_lazy("email delivery", "Failed")
    SKIPPED = "skipped", _("No longer needed")


class EmailDelivery(models.Model):
    """One email to one recipient, for one purpose and one occasion: the ledger that
    lets a task resume after a crash without sending anything twice
    (`mentorat.notifications.outbox`).

    `purpose` names the email (`imports.invitation`); `key` the occasion within it: the
    object the email is about when it goes once per recipient (an import batch, a
    recruitment call), otherwise the id of the task that sends it. The ledger holds no
    message content, only who was written to and when."""

    purpose = models.CharField(_("purpose"), max_length=64)
    key = models.CharField(_("occasion"), max_length=64)
    recipient = models.EmailField(_("recipient"), max_length=254)
    status = models.CharField(
        _("status"), max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("email delivery")
        verbose_name_plural = _("email deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "key", "recipient"], name="notifications_delivery_once"
            )
        ]
        indexes = [
            models.Index(fields=["purpose", "key", "status"], name="notifications_delivery_state")
        ]

    def __str__(self) -> str:
        return f"{self.purpose} {self.key} → {self.recipient} ({self.status})"
