from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorat.reference.regions import REGION_CHOICES


class OrganizationKind(models.TextChoices):
    UNIVERSITY = "university", _("University or school")
    VOCATIONAL_SCHOOL = "vocational_school", _("Vocational high school")
    COMPANY = "company", _("Company")
    ASSOCIATION = "association", _("Association")
    TRAINING_BODY = "training_body", _("Training body")
    EMPLOYMENT_SERVICE = "employment_service", _("Public employment service")


class Role(models.TextChoices):
    ADMIN = "admin", _("Organisation admin")
    COORDINATOR = "coordinator", _("Coordinator")
    MENTOR = "mentor", _("Mentor")
    MENTEE = "mentee", _("Mentee")


class ApprovalStatus(models.TextChoices):
    """Where an organisation that signed up on its own stands. Until approved by a
    platform admin it prepares (edits itself, drafts programs) but neither invites,
    publishes nor proposes partnerships (`Organization.is_approved`)."""

    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class Organization(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganizationKind.choices)
    city = models.CharField(_("city"), max_length=120, blank=True)
    region = models.CharField(_("region"), max_length=3, choices=REGION_CHOICES, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    siret = models.CharField(
        _("SIRET"),
        max_length=14,
        blank=True,
        help_text=_("14 digits, for companies and associations."),
    )
    uai = models.CharField(
        _("UAI"), max_length=8, blank=True, help_text=_("7 digits and a letter, for schools.")
    )
    address = models.TextField(_("address"), blank=True)
    # Organisations created by a platform admin (or before sign-up existed) are approved;
    # the sign-up service sets PENDING.
    approval_status = models.CharField(
        _("approval"),
        max_length=16,
        choices=ApprovalStatus.choices,
        default=ApprovalStatus.APPROVED,
        db_index=True,
    )
    approval_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name

    @property
    def is_approved(self) -> bool:
        return self.approval_status == ApprovalStatus.APPROVED


class Membership(models.Model):
    """A person's role in an organisation. A person may hold several roles, in several
    organisations (e.g. coordinator at a school and mentor for a partner company)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ("organization__name", "role")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.organization})"


class PartnershipKind(models.TextChoices):
    MENTOR_COMMITMENT = "mentor_commitment", _("Mentors committed to a partner's programs")
    JOINT_PROGRAM = "joint_program", _("Programs run together")
    REFERRAL = "referral", _("Referral of mentees")


class PartnershipStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    DECLINED = "declined", _("Declined")
    ENDED = "ended", _("Ended")


class Partnership(models.Model):
    """An agreement between two organisations to run mentoring programs together.

    `organization` proposed it to `partner` (`mentorat.partnerships.services`); rows made
    by a platform admin are active at once. Only an active partnership lets programs be
    shared (`programs.services.partner_organizations`)."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="partnerships_started",
    )
    partner = models.ForeignKey(
        Organization,
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        related_name="partnerships_received",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=PartnershipKind.choices)
    description = models.TextField(_("description"), blank=True)
    started_on = models.DateField(_("start"), default=timezone.localdate)
    ended_on = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PartnershipStatus.choices,
        default=PartnershipStatus.ACTIVE,
        db_index=True,
    )
    message = models.TextField(_("message"), blank=True)
    proposed_at = models.DateTimeField(_("proposed at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ("-started_on",)
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(organization=models.F("partner")),
                name="partnership_between_two_organizations",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} ↔ {self.partner}"


class Invitation(models.Model):
    """An emailed invitation to join an organisation with a role. The link carries a
    signed token; the invitation expires at `expires_at` and can be used once."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.email} → {self.organization} ({self.get_role_display()})"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at
