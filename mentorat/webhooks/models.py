"""Webhook endpoints of an organisation, the deliveries owed to them and each attempt.

A delivery is created in the same transaction as the audit entry of the change it
announces (`mentorat.webhooks.services.deliveries_for_entry`), so it exists exactly
when the change does. Its `message_id` is the Standard Webhooks `webhook-id`: the same
on every attempt and replay of that delivery, so a receiver can drop repeats."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    """What an organisation can subscribe to (the payload's `type`)."""

    APPLICATION_SUBMITTED = "application.submitted", _("Application submitted")
    APPLICATION_DECIDED = "application.decided", _("Application decided")
    RUN_COMPLETED = "run.completed", _("Matching run completed")
    PAIRS_PUBLISHED = "pairs.published", _("Pairs published")
    PAIR_HEALTH_CHANGED = "pair.health_changed", _("Pair health changed")
    PAIR_CLOSED = "pair.closed", _("Pair closed")
    OUTCOME_RECORDED = "outcome.recorded", _("Outcome recorded")
    PING = "webhook.test", _("Test event")


class Endpoint(models.Model):
    """A URL an organisation's admins subscribed to some event types."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
        verbose_name=_("organisation"),
    )
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    event_types = models.JSONField(_("events"), default=list)
    #: Standard Webhooks secret (`whsec_` + base64), used to sign every delivery.
    secret = models.CharField(_("signing secret"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)
    disabled_reason = models.CharField(_("why it was disabled"), max_length=200, blank=True)
    #: failed attempts in a row (any delivery); reset by a success.
    failures_in_a_row = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ("organization", "created_at", "id")

    def __str__(self) -> str:
        return self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SUCCEEDED = "succeeded", _("Delivered")
    FAILED = "failed", _("Given up")


class Delivery(models.Model):
    """One event owed to one endpoint, tried until it succeeds or retries run out."""

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    message_id = models.CharField(_("delivery id"), max_length=64, unique=True)
    event_type = models.CharField(_("event"), max_length=40, choices=EventType.choices)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    #: a worker sending it holds it until then; past it, another worker may take it over.
    leased_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event_type} {self.message_id}"


class Attempt(models.Model):
    """One HTTP request of a delivery and what the receiver answered."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField(_("when"), default=timezone.now)
    status_code = models.PositiveIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    #: "retry", "replay" (asked by an admin) or "first".
    trigger = models.CharField(max_length=10, default="first")

    class Meta:
        ordering = ("-at", "-id")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.status_code or self.error}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class PairHealthState(models.Model):
    """The last health announced for a pair, to tell when it changes (health is computed
    from dates, so nothing writes when it changes by itself)."""

    mentorship = models.OneToOneField(
        "mentorships.Mentorship", on_delete=models.CASCADE, related_name="+"
    )
    state = models.CharField(max_length=20)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.mentorship_id}: {self.state}"
