from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mentorat.organizations.models import Organization
from mentorat.programs.models import Charter, Edition, ParticipantRole, Program


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    AWAITING_GUARDIAN_CONSENT = "awaiting_guardian_consent", _("Awaiting a guardian's consent")
    INFO_REQUESTED = "info_requested", _("More information requested")
    WAITLISTED = "waitlisted", _("Waiting list")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    # A minor's guardian withdrew their consent: nothing goes on (no decision, no
    # matching) until the applicant withdraws or applies again with a new consent.
    SUSPENDED = "suspended", _("Suspended (consent withdrawn)")


class GuardianRelationship(models.TextChoices):
    """How the person who consents for a pupil under 15 is related to them."""

    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    LEGAL_GUARDIAN = "legal_guardian", _("Legal guardian (tutor)")
    OTHER = "other", _("Other holder of parental authority")


# Applications a coordinator can still decide on.
DECIDABLE = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.INFO_REQUESTED,
    ApplicationStatus.WAITLISTED,
)
# Applications still alive for their author (they may withdraw them).
OPEN_STATUSES = (
    *DECIDABLE,
    ApplicationStatus.AWAITING_GUARDIAN_CONSENT,
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.SUSPENDED,
)


class Application(models.Model):
    """A request by a person to join an edition of a program as mentor or mentee.

    `organization` is the applicant's own organisation (the program's owner or one of the
    partners it is shared with, or empty for someone from outside); partner coordinators
    see the applications of their organisation only. `contact_through_platform_only` is
    set for minors: their contact details are never shown to mentors or partners."""

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.PROTECT, related_name="applications"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.CASCADE,
        related_name="applications",
    )
    role = models.CharField(_("role"), max_length=8, choices=ParticipantRole.choices)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("applicant's organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=32, choices=ApplicationStatus.choices, db_index=True
    )
    answers = models.JSONField(
        _("answers"),
        default=dict,
        blank=True,
        help_text=_("Answers to the custom questions, by question id, with the question text."),
    )
    charter = models.ForeignKey(
        Charter,
        verbose_name=_("charter version accepted"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    charter_accepted_at = models.DateTimeField(_("charter accepted at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    info_request = models.TextField(_("information requested"), blank=True)
    is_minor = models.BooleanField(_("minor when applying"), default=False)
    contact_through_platform_only = models.BooleanField(
        _("contact only through the platform"), default=False
    )
    guardian_email = models.EmailField(_("guardian's email address"), blank=True)
    guardian_consent_at = models.DateTimeField(
        _("guardian's consent given at"), null=True, blank=True
    )
    # Set with the consent: the link was sent to `guardian_email`, so following it proves
    # that whoever consented reads that mailbox.
    guardian_email_verified_at = models.DateTimeField(
        _("guardian's email address confirmed at"), null=True, blank=True
    )
    # Set when the guardian withdraws their consent through their link (the application
    # is then suspended); `guardian_consent_at` keeps when it had been given.
    guardian_consent_withdrawn_at = models.DateTimeField(
        _("guardian's consent withdrawn at"), null=True, blank=True
    )
    guardian_name = models.CharField(_("guardian's name"), max_length=150, blank=True)
    guardian_relationship = models.CharField(
        _("guardian's relationship to the applicant"),
        max_length=16,
        choices=GuardianRelationship.choices,
        blank=True,
    )
    guardian_relationship_detail = models.CharField(
        _("guardian's relationship, in their words"), max_length=100, blank=True
    )
    source = models.CharField(_("source"), max_length=16, default="form")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ("-submitted_at",)
        constraints = [
            models.UniqueConstraint(fields=["edition", "user"], name="application_one_per_edition")
        ]
        indexes = [models.Index(fields=["edition", "status", "role"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.edition} ({self.get_role_display()})"

    @property
    def program(self) -> Program:
        return self.edition.program

    def answer_items(self) -> list[tuple[str, str]]:
        """(question, answer as text) pairs, in the order they were given."""
        items = []
        for item in self.answers.values():
            answer = item.get("answer")
            if answer is True:
                text = str(_("Yes"))
            elif answer is False:
                text = str(_("No"))
            elif isinstance(answer, list):
                text = ", ".join(str(a) for a in answer)
            else:
                text = str(answer)
            items.append((str(item.get("question", "")), text))
        return items


class RecruitmentCall(models.Model):
    """A call for mentors sent to the contacts of a program's partner organisations."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="recruitment_calls")
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    message = models.TextField(_("message"), blank=True)
    recipients = models.JSONField(_("recipients"), default=list)
    mentors_needed = models.PositiveIntegerField(_("mentors needed"), default=0)

    class Meta:
        verbose_name = _("mentor recruitment call")
        verbose_name_plural = _("mentor recruitment calls")
        ordering = ("-sent_at",)

    def __str__(self) -> str:
        return f"{self.program} — {self.sent_at:%Y-%m-%d}"
