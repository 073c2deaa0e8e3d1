"""API keys and the stored answers of idempotent writes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mentorat.organizations.models import Organization


class Scope(models.TextChoices):
    """What a key may do, on top of what its creator may do (the permission layer)."""

    READ = "read", _("Read programs, applications, runs and pairs")
    WRITE_PARTICIPANTS = "participants:write", _("Import applications")
    RUN_MATCHING = "matching:run", _("Start and publish matching runs")
    REPORTS = "reports:read", _("Read report indicators")


class ApiKey(models.Model):
    """A key an organisation admin created. The secret is shown once; only its SHA-256
    is kept, found by the public `prefix` (the part before the dot). A call with the key
    acts as its creator, within its organisation, limited to its scopes."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="api_keys",
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    secret_hash = models.CharField(_("secret hash"), max_length=64)
    scopes = models.JSONField(_("scopes"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.CASCADE,
        related_name="api_keys",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def scope_labels(self) -> list[str]:
        return [str(Scope(s).label) for s in self.scopes if s in Scope.values]


class IdempotentResponse(models.Model):
    """The answer given to a write sent with an `Idempotency-Key` header: the same key
    with the same request gets it again, never a second write. Kept a day."""

    api_key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=100)
    body = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["api_key", "key"], name="api_idempotency_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.api_key_id}:{self.key}"
