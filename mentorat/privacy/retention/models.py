"""An organisation's own retention periods. Optional: an organisation without a policy
keeps the defaults of the privacy notice (`mentorat.privacy.retention.periods`)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorat.privacy.retention.periods import (
    APPLICATIONS_MONTHS_BOUNDS,
    AUDIT_MONTHS_BOUNDS,
    DEFAULT_PERIODS,
    PARTICIPANTS_YEARS_BOUNDS,
)


class RetentionPolicy(models.Model):
    """How long one organisation keeps the data it holds, within the bounds of
    `mentorat.privacy.retention.periods` (checked by the validators and by the
    database). Written only by `services.update_policy`."""

    organization = models.OneToOneField(
        "organizations.Organization",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="retention_policy",
    )
    participants_years = models.PositiveSmallIntegerField(
        _("participants' data (years after their last program ended)"),
        default=DEFAULT_PERIODS.participants_years,
        validators=[
            MinValueValidator(PARTICIPANTS_YEARS_BOUNDS[0]),
            MaxValueValidator(PARTICIPANTS_YEARS_BOUNDS[1]),
        ],
    )
    applications_months = models.PositiveSmallIntegerField(
        _("declined or withdrawn applications (months)"),
        default=DEFAULT_PERIODS.applications_months,
        validators=[
            MinValueValidator(APPLICATIONS_MONTHS_BOUNDS[0]),
            MaxValueValidator(APPLICATIONS_MONTHS_BOUNDS[1]),
        ],
    )
    audit_months = models.PositiveSmallIntegerField(
        _("audit log entries (months)"),
        default=DEFAULT_PERIODS.audit_months,
        validators=[
            MinValueValidator(AUDIT_MONTHS_BOUNDS[0]),
            MaxValueValidator(AUDIT_MONTHS_BOUNDS[1]),
        ],
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    participants_years__gte=PARTICIPANTS_YEARS_BOUNDS[0],
                    participants_years__lte=PARTICIPANTS_YEARS_BOUNDS[1],
                ),
                name="retention_participants_years_bounds",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    applications_months__gte=APPLICATIONS_MONTHS_BOUNDS[0],
                    applications_months__lte=APPLICATIONS_MONTHS_BOUNDS[1],
                ),
                name="retention_applications_months_bounds",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    audit_months__gte=AUDIT_MONTHS_BOUNDS[0],
                    audit_months__lte=AUDIT_MONTHS_BOUNDS[1],
                ),
                name="retention_audit_months_bounds",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organization_id)


# The delivery ledger's purpose of the warning emails (occasion: the warning's id).
WARNING_EMAILS = "privacy.retention.warning"


class RetentionWarning(models.Model):
    """The email telling a person their account will be erased, recorded before it is
    sent so that a second run, or a run after a crash, sends nothing twice (the email
    itself goes through the delivery ledger, keyed by this row).

    `due_on` is the day the person's data became due under the periods of that run;
    `erase_on` the day the erasure may happen: `due_on`, or 30 days after the warning
    when it was sent late (and never before 30 days after the email actually went out,
    see `selectors._may_erase`). A new `due_on` (the person signed in, applied again, or an
    organisation changed its periods) needs a new warning. `erased_at` is set once the
    person is erased."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    due_on = models.DateField(_("data due on"))
    erase_on = models.DateField(_("erasure planned on"))
    created_at = models.DateTimeField(_("warned at"), default=timezone.now)
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)

    class Meta:
        verbose_name = _("retention warning")
        verbose_name_plural = _("retention warnings")
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(fields=["user", "due_on"], name="retention_warning_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.due_on}"


class AnonymisedApplication(models.Model):
    """A declined or withdrawn application whose personal values were removed when its
    retention period ran out: the row stays for the counts, and this mark keeps the
    daily run from doing it again."""

    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    anonymised_at = models.DateTimeField(_("anonymised at"), default=timezone.now)

    class Meta:
        verbose_name = _("anonymised application")
        verbose_name_plural = _("anonymised applications")

    def __str__(self) -> str:
        return str(self.application_id)
