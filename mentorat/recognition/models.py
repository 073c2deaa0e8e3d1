"""Recognition of mentors: program-defined distinctions and their awards, mentees'
thank-you notes, PDF attestations checked on a public page, and Open Badges 3.0
credentials signed with each organisation's own key (ADR 0011)."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mentorat.lib.private_storage import private_storage
from mentorat.mentorships.models import Mentorship
from mentorat.organizations.models import Organization
from mentorat.programs.models import Program


def new_public_id() -> str:
    """An unguessable identifier for public addresses (128 bits of randomness)."""
    return secrets.token_urlsafe(16)


class Recognition(models.Model):
    """A distinction a program defines (e.g. "Mentor engagé·e 2026") and awards."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="recognitions")
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("what it recognises"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        ordering = ("name", "pk")
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="recognition_name_once")
        ]

    def __str__(self) -> str:
        return self.name


class Award(models.Model):
    """A recognition awarded to a mentor, with the coordinator's reason."""

    recognition = models.ForeignKey(Recognition, on_delete=models.CASCADE, related_name="awards")
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recognition_awards"
    )
    reason = models.TextField(_("reason"), max_length=2000)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    awarded_at = models.DateTimeField(_("awarded at"))

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ("-awarded_at", "pk")
        constraints = [models.UniqueConstraint(fields=["recognition", "mentor"], name="award_once")]

    def __str__(self) -> str:
        return f"{self.recognition_id} to {self.mentor_id}"


class ThankYouNote(models.Model):
    """What the mentee wrote to their mentor when the pair ended; shown on the mentor's
    engagement page only if the mentor chooses so."""

    mentorship = models.OneToOneField(
        Mentorship, on_delete=models.CASCADE, related_name="thank_you_note"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("your note"), max_length=2000)
    shown = models.BooleanField(_("shown on my engagement page"), default=False)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("thank-you note")
        verbose_name_plural = _("thank-you notes")
        ordering = ("-created_at", "pk")

    def __str__(self) -> str:
        return f"note on pair {self.mentorship_id}"


class AttestationKind(models.TextChoices):
    ENGAGEMENT = "engagement", _("Mentoring engagement")
    TRAINING = "training", _("Completed training")


class Attestation(models.Model):
    """A PDF attestation as issued: what it states is frozen in `details`, so the public
    verification page shows exactly that (and no more), genuine or revoked."""

    public_id = models.CharField(max_length=32, unique=True, default=new_public_id)
    kind = models.CharField(_("kind"), max_length=16, choices=AttestationKind.choices)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attestations"
    )
    holder_name = models.CharField(_("holder"), max_length=200)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="attestations"
    )
    language = models.CharField(_("language"), max_length=8)
    signatory = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    signatory_name = models.CharField(_("signatory"), max_length=200)
    # What the attestation states: hours, period, programs, modules (see services).
    details = models.JSONField(_("what it states"), default=dict)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to="attestations/%Y/", max_length=200
    )
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("attestation")
        verbose_name_plural = _("attestations")
        ordering = ("-issued_at", "pk")
        indexes = [models.Index(fields=["organization", "issued_at"])]

    def __str__(self) -> str:
        return self.public_id


class IssuerKey(models.Model):
    """An organisation's Ed25519 signing key. The private key never leaves the server
    and is stored encrypted (`mentorat.recognition.keys`); the public key is published
    as JWKS and in a did:web document."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="issuer_key"
    )
    kid = models.CharField(max_length=40, default="key-1")
    public_jwk = models.JSONField()
    private_key_encrypted = models.BinaryField()
    # Next free bit of the organisation's revocation list (Bitstring Status List).
    next_status_index = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("issuer key")
        verbose_name_plural = _("issuer keys")

    def __str__(self) -> str:
        return f"key of organisation {self.organization_id}"


class CredentialKind(models.TextChoices):
    MODULE = "module", _("Training module completed")
    AWARD = "award", _("Recognition awarded")


class Credential(models.Model):
    """An Open Badges 3.0 credential (JWT-VC). Created at once with its status bit; the
    token is signed by a background task (`issue_credential`). Revoked: its bit is set
    in the organisation's status list; a bit no row holds any more (an erased holder)
    is set too."""

    public_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="credentials"
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="credentials"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=CredentialKind.choices)
    # A training module (the training app's id: recognition only reads its selectors).
    module_id = models.PositiveIntegerField(null=True, blank=True)
    award = models.OneToOneField(
        Award, null=True, blank=True, on_delete=models.SET_NULL, related_name="credential"
    )
    achievement_name = models.CharField(_("badge"), max_length=200)
    achievement_description = models.TextField(_("description"), blank=True)
    earned_at = models.DateTimeField(_("earned at"))
    status_index = models.PositiveIntegerField()
    token = models.TextField(blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("badge")
        verbose_name_plural = _("badges")
        ordering = ("-earned_at", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "status_index"], name="credential_status_bit_once"
            ),
            models.UniqueConstraint(
                fields=["holder", "module_id"],
                condition=Q(kind="module"),
                name="credential_module_once",
            ),
        ]

    def __str__(self) -> str:
        return str(self.public_id)
