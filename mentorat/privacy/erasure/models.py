"""A person's request to have their data erased (GDPR Art. 17), and its decision.

The organisations holding the person's data (their memberships, their applications'
organisations, the owners of the programs they applied to) handle it within one month
(`deadline`); their admins confirm it, which runs `services.erase_person`, or refuse it
with a reason. Written only by `mentorat.privacy.erasure.services`."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ErasureStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    CONFIRMED = "confirmed", _("Confirmed: data erased")
    REFUSED = "refused", _("Refused")
    CANCELLED = "cancelled", _("Cancelled by the person")


class ErasureRequest(models.Model):
    """One request; at most one pending per person. After a confirmation the row stays,
    pointing at the pseudonymised account, as the record that the request was met."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="erasure_requests",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    deadline = models.DateTimeField(_("answer due by"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ErasureStatus.choices,
        default=ErasureStatus.PENDING,
        db_index=True,
    )
    organizations = models.ManyToManyField(
        "organizations.Organization",
        verbose_name=_("organisations handling it"),
        blank=True,
        related_name="erasure_requests",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for the refusal"), blank=True)

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ("deadline", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status="pending"),
                name="erasure_request_one_pending_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.status == ErasureStatus.PENDING

    @property
    def is_overdue(self) -> bool:
        return self.is_pending and timezone.now() > self.deadline
