"""Agreements of partnerships: per school year or per program edition, the commitments
of each side, the terms, and each side's signature.

The partnership itself (`organizations.Partnership`) stays where program sharing and the
permissions read it; this app adds what the two organisations agree on."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mentorat.organizations.models import Organization, Partnership
from mentorat.programs.models import Edition


class CommitmentKind(models.TextChoices):
    MENTORS = "mentors", _("Mentors pledged")
    MENTEES = "mentees", _("Mentees enrolled")
    INTERNSHIPS = "internships", _("Internships")
    ALTERNANCE = "alternance", _("Alternance places")
    TUTORED_PROJECTS = "tutored_projects", _("Tutored projects")
    CLASS_INTERVENTIONS = "class_interventions", _("Class interventions")
    EVENTS = "events", _("Events hosted")


class Agreement(models.Model):
    """What the two sides of a partnership commit to for one school year
    (`school_year`, e.g. 2026 for 2026–2027) or one program edition (`edition`).

    Signed when both sides have signed (`AgreementSignature`); changing the terms or
    the commitments withdraws the signatures given so far."""

    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        related_name="agreements",
    )
    school_year = models.PositiveSmallIntegerField(
        _("school year (first year)"), null=True, blank=True
    )
    edition = models.ForeignKey(
        Edition,
        verbose_name=_("edition"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partnership_agreements",
    )
    terms = models.TextField(_("terms"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("partnership agreement")
        verbose_name_plural = _("partnership agreements")
        ordering = ("-school_year", "-created_at")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(school_year__isnull=True) ^ models.Q(edition__isnull=True),
                name="agreement_year_or_edition",
            )
        ]

    def __str__(self) -> str:
        return f"{self.partnership} — {self.period_label}"

    @property
    def period_label(self) -> str:
        if self.edition_id is not None:
            return str(self.edition)
        return f"{self.school_year}–{(self.school_year or 0) + 1}"


class Commitment(models.Model):
    """A quantity one side commits to, of one kind, in an agreement."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="commitments"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("committed by"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=CommitmentKind.choices)
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organization", "kind"], name="commitment_once_per_side"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization}: {self.quantity} × {self.get_kind_display()}"


class AgreementSignature(models.Model):
    """One side's acceptance of an agreement, recorded by that side's admin on behalf of
    the named signatory."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="signatures"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    signatory_name = models.CharField(_("signatory's name"), max_length=150)
    signatory_role = models.CharField(_("signatory's role"), max_length=150)
    signed_at = models.DateTimeField(_("signed at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("agreement signature")
        verbose_name_plural = _("agreement signatures")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organization"], name="agreement_signed_once_per_side"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement} — {self.organization}"
