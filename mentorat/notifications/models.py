from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mentorat.notifications.kinds import EmailKind, MessageFrequency


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
            # With the id: a task claims the next pending row of its occasion in id order
            # by reading the index, without sorting every row still pending.
            models.Index(
                fields=["purpose", "key", "status", "id"], name="notifications_delivery_next"
            )
        ]

    def __str__(self) -> str:
        return f"{self.purpose} {self.key} → {self.recipient} ({self.status})"


class NotificationPreference(models.Model):
    """One person's choice for one kind of email (`kinds.EmailKind`). Only choices that
    differ from the default are stored: no row means the kind is on and, for messages,
    that the person is told soon after each unread message.

    For messages, `message_frequency` says when (immediately, in a daily digest, never)
    and `enabled` is false exactly when it is never; other kinds leave it empty.
    Mandatory kinds have no rows (`services.set_preferences` refuses them)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("kind of email"), max_length=32, choices=EmailKind.choices)
    enabled = models.BooleanField(_("receive these emails"), default=True)
    message_frequency = models.CharField(
        _("when to tell me of new messages"),
        max_length=16,
        choices=MessageFrequency.choices,
        blank=True,
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notifications_pref_once"),
            models.CheckConstraint(
                condition=(
                    ~Q(kind=EmailKind.MESSAGES) & Q(message_frequency="")
                    | Q(kind=EmailKind.MESSAGES, enabled=False, message_frequency="never")
                    | Q(
                        kind=EmailKind.MESSAGES,
                        enabled=True,
                        message_frequency__in=["immediately", "daily"],
                    )
                ),
                name="notifications_pref_frequency",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "enabled"], name="notifications_pref_kind"),
        ]

    def __str__(self) -> str:
        state = self.message_frequency or ("on" if self.enabled else "off")
        return f"user {self.user_id}: {self.kind} {state}"
