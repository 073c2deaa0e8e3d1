from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mentorat.organizations.models import Organization
from mentorat.programs.models import Edition, Program


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Previewed")
    IMPORTED = "imported", _("Imported")


class ImportBatch(models.Model):
    """An uploaded participant file, kept between its preview and its confirmation so
    that the confirmation imports exactly the bytes that were previewed (`sha256`).

    `organization` is where people without an organisation column go; for a partner
    coordinator it is also the only organisation the file may name. The file content is
    erased once imported, and unconfirmed files are purged after a day: they hold
    personal data."""

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="+"
    )
    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="+"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation of the people imported"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    default_role = models.CharField(_("default role"), max_length=8, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("file content"))
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    error_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED
    )
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)

    class Meta:
        verbose_name = _("participant import")
        verbose_name_plural = _("participant imports")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.program} — {self.filename}"
