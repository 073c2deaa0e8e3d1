from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class LegalPageKind(models.TextChoices):
    PRIVACY = "privacy", _("Privacy notice")
    LEGAL_NOTICE = "legal-notice", _("Legal notice")
    ACCESSIBILITY = "accessibility", _("Accessibility statement")


class LegalPageVersion(models.Model):
    """One published version of a legal page. Versions are never edited: publishing a
    change adds a version, so we can tell which text each person accepted."""

    kind = models.CharField(_("page"), max_length=32, choices=LegalPageKind.choices)
    version = models.PositiveIntegerField(_("version"))
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    body_fr = models.TextField(_("text (French)"))
    body_en = models.TextField(_("text (English)"))
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        verbose_name = _("legal page version")
        verbose_name_plural = _("legal page versions")
        ordering = ("kind", "-version")
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="legal_unique_kind_version")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"

    @property
    def title(self) -> str:
        return self.title_en if get_language() == "en" else self.title_fr

    @property
    def body(self) -> str:
        return self.body_en if get_language() == "en" else self.body_fr
