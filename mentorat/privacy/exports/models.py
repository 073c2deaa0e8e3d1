"""Exports of a person's data (GDPR Art. 15 and 20): the request, its state, and the
file once built. The file sits in the private storage (`storage.private_storage`), never
served from a public URL; it is deleted `EXPORT_VALID_DAYS` after it was ready."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorat.lib.private_storage import private_storage

# How long a ready export can be downloaded before its file is deleted.
EXPORT_VALID_DAYS = 7
EXPORT_VALIDITY = timedelta(days=EXPORT_VALID_DAYS)


class ExportStatus(models.TextChoices):
    """Where an export stands; only a ready one can be downloaded."""

    QUEUED = "queued", _("Waiting to be prepared")
    BUILDING = "building", _("Being prepared")
    READY = "ready", _("Ready to download")
    FAILED = "failed", _("Could not be prepared")
    EXPIRED = "expired", _("Expired (file deleted)")


# An export in one of these states is reused by a new request for the same person.
IN_PROGRESS = (ExportStatus.QUEUED, ExportStatus.BUILDING)


class ExportRequest(models.Model):
    """One export of everything the platform holds about `person`.

    Requested by the person themselves (`organization` empty) or, for a request received
    by post, by an admin of `organization`, whose admins may then download it too. The
    page and the emailed link name the export by `public_id`, which says nothing about
    the person."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Set when an organisation admin made the export for a postal request."),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ExportStatus.choices,
        default=ExportStatus.QUEUED,
        db_index=True,
    )
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("preparation started at"), null=True, blank=True)
    ready_at = models.DateTimeField(_("ready at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("available until"), null=True, blank=True)
    finished_at = models.DateTimeField(_("failed or expired at"), null=True, blank=True)
    file = models.FileField(_("file"), storage=private_storage, blank=True, max_length=200)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    download_count = models.PositiveIntegerField(_("downloads"), default=0)
    last_downloaded_at = models.DateTimeField(_("last downloaded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ("-created_at", "-pk")
        constraints = [
            # At most one export in progress per person and requester kind, so that a
            # second click, or a second admin, reuses the first one.
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status__in=IN_PROGRESS, organization__isnull=True),
                name="privacy_export_one_personal_in_progress",
            ),
            models.UniqueConstraint(
                fields=["person", "organization"],
                condition=Q(status__in=IN_PROGRESS, organization__isnull=False),
                name="privacy_export_one_per_organization_in_progress",
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self) -> str:
        # Shown in audit entries: no personal data.
        return f"{self._meta.verbose_name} #{self.pk}"

    @property
    def is_downloadable(self) -> bool:
        """Ready, not yet past its expiry, and its file still there."""
        return (
            self.status == ExportStatus.READY
            and bool(self.file)
            and self.expires_at is not None
            and self.expires_at > timezone.now()
        )

    @property
    def filename(self) -> str:
        """The name the browser saves the file under (no personal data)."""
        return f"mentorat-data-{self.created_at:%Y-%m-%d}-{self.pk}.zip"
