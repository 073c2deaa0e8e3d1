"""Safeguarding checks of mentors: the record that an organisation saw a proof of the
mentor's honourability before pairing them with a minor.

Only the fact is kept — which kind of proof, its date, how long it counts, who recorded
it. The document itself (a criminal record extract, a certificate) is never stored nor
uploaded, and a check that revealed a problem is simply not recorded: the platform holds
no data about offences or convictions (GDPR Art. 10)."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mentorat.organizations.models import Organization


class CheckKind(models.TextChoices):
    """The proofs French organisations ask of volunteers working with minors."""

    # The extract a person requests themselves (free, online, from the Casier judiciaire
    # national); organisations usually want one less than three months old.
    CRIMINAL_RECORD = (
        "criminal_record",
        _("Criminal record extract (bulletin n° 3 du casier judiciaire)"),
    )
    # Only authorised authorities (an employer of the education or youth sector, the
    # ministry's services) may consult the sex-offender register (FIJAIS).
    FIJAIS = (
        "fijais",
        _("Sex-offender register (FIJAIS) consulted by the employer or the ministry"),
    )
    # Issued since 2025 through the State's honourability check platform (child
    # protection, youth and sports sectors): bulletin n° 2 and FIJAIS checked at once.
    HONOURABILITY_CERTIFICATE = (
        "honourability_certificate",
        _("Certificate of honourability (attestation d'honorabilité)"),
    )
    OTHER = "other", _("Other (give details)")


class SafeguardingCheckQuerySet(models.QuerySet["SafeguardingCheck"]):
    def valid_on(self, day: date) -> "SafeguardingCheckQuerySet":
        """Checks that count on `day`: not revoked, done by then, not expired."""
        return self.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day),
            revoked_at__isnull=True,
            checked_on__lte=day,
        )


class SafeguardingCheck(models.Model):
    """One organisation's record that it checked a mentor's honourability (written by
    `services.record_check`, revoked by `services.revoke_check`)."""

    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentor"),
        on_delete=models.CASCADE,
        related_name="safeguarding_checks",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("recorded by the organisation"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("kind of check"), max_length=32, choices=CheckKind.choices)
    kind_detail = models.CharField(_("details of the check"), max_length=200, blank=True)
    checked_on = models.DateField(_("date of the check"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = SafeguardingCheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("safeguarding check")
        verbose_name_plural = _("safeguarding checks")
        ordering = ("-checked_on", "-pk")
        indexes = [models.Index(fields=["mentor", "organization"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("checked_on")),
                name="safeguarding_check_valid_after_checked",
            )
        ]

    def __str__(self) -> str:
        # No name: audit entries copy this label.
        return f"{self.get_kind_display()} ({self.checked_on:%Y-%m-%d})"

    def is_valid_on(self, day: date) -> bool:
        return (
            self.revoked_at is None
            and self.checked_on <= day
            and (self.valid_until is None or self.valid_until >= day)
        )
