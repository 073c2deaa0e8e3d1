"""Single sign-on connections of an organisation and the email domains they sign in.

A connection is one identity provider (OpenID Connect or SAML 2.0) an organisation's
admins configured; allauth reads it as a `SocialApp` built on the fly
(`mentorat.sso.apps_source`), so these rows are the only copy of the configuration
(docs/adr/0014-single-sign-on.md)."""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mentorat.organizations.models import Organization, Role


class Protocol(models.TextChoices):
    OIDC = "oidc", _("OpenID Connect")
    SAML = "saml", _("SAML 2.0")


class Preset(models.TextChoices):
    GENERIC = "generic", _("Any OpenID Connect provider")
    ENTRA = "entra", _("Microsoft Entra ID")
    GOOGLE = "google", _("Google Workspace")


class JoinRole(models.TextChoices):
    """The role given to a person the provider signs in for the first time: never a
    staff role, which an admin grants by hand."""

    MENTEE = Role.MENTEE.value, Role.MENTEE.label
    MENTOR = Role.MENTOR.value, Role.MENTOR.label


class Connection(models.Model):
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="sso_connections",
    )
    # In the provider's addresses (OIDC redirect URI, SAML ACS and metadata): never changes.
    key = models.SlugField(_("key"), max_length=100, unique=True, editable=False)
    protocol = models.CharField(_("protocol"), max_length=8, choices=Protocol.choices)
    name = models.CharField(
        _("name shown to people"),
        max_length=100,
        help_text=_("For example the name of your identity provider or of your organisation."),
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    default_role = models.CharField(
        _("role of people who sign in for the first time"),
        max_length=16,
        choices=JoinRole.choices,
        default=JoinRole.MENTEE,
    )
    trust_provider_mfa = models.BooleanField(
        _("accept the provider's two-factor authentication"),
        default=True,
        help_text=_(
            "When the provider says the person used a second factor, admins and "
            "coordinators are not asked for their Mentorat code as well."
        ),
    )
    # OpenID Connect
    preset = models.CharField(
        _("provider"), max_length=16, choices=Preset.choices, default=Preset.GENERIC
    )
    server_url = models.URLField(_("issuer address"), blank=True)
    client_id = models.CharField(_("client ID"), max_length=255, blank=True)
    client_secret = models.CharField(_("client secret"), max_length=500, blank=True)
    tenant = models.CharField(_("Entra ID tenant"), max_length=100, blank=True)
    hosted_domain = models.CharField(_("Google Workspace domain"), max_length=253, blank=True)
    # SAML 2.0 (the identity provider's values, read from its metadata)
    metadata_url = models.URLField(_("metadata address"), blank=True)
    idp_entity_id = models.CharField(_("identity provider entity ID"), max_length=500, blank=True)
    idp_sso_url = models.URLField(
        _("identity provider sign-in address"), max_length=500, blank=True
    )
    idp_x509cert = models.TextField(_("identity provider signing certificate"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("single sign-on connection")
        verbose_name_plural = _("single sign-on connections")
        ordering = ("organization__name", "name")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_protocol_display()})"

    @property
    def is_oidc(self) -> bool:
        return self.protocol == Protocol.OIDC

    @property
    def masked_secret(self) -> str:
        """The secret as the pages show it once saved: its last four characters."""
        if not self.client_secret:
            return ""
        return "••••" + self.client_secret[-4:] if len(self.client_secret) > 8 else "••••"


class DomainStatus(models.TextChoices):
    PENDING = "pending", _("waiting for proof")
    VERIFIED = "verified", _("verified")
    FAILED = "failed", _("check failed")


class VerificationMethod(models.TextChoices):
    DNS = "dns", _("DNS record")
    PLATFORM_ADMIN = "platform_admin", _("approved by a platform admin")


class VerificationFailure(models.TextChoices):
    """Why the last check of a claim failed; the message shown is `failure_message`."""

    NO_RECORD = "no_record", _("no record")
    WRONG_VALUE = "wrong_value", _("wrong value")
    DNS_ERROR = "dns_error", _("DNS error")
    TAKEN = "taken", _("verified by another organisation")


# The name and value of the TXT record that proves control of a domain.
CHALLENGE_PREFIX = "_mentorat-challenge"
CHALLENGE_VALUE_PREFIX = "mentorat-verification="


class EmailDomain(models.Model):
    """An organisation's claim that the addresses of `domain` sign in through
    `connection`. A claim routes and links accounts only once `status` is verified: its
    control proven by a DNS TXT record carrying `token`, or approved by a platform admin.
    Several organisations may claim a domain; at most one claim of it is verified."""

    connection = models.ForeignKey(
        Connection,
        verbose_name=_("connection"),
        on_delete=models.CASCADE,
        related_name="domains",
    )
    domain = models.CharField(_("email domain"), max_length=253)
    status = models.CharField(
        _("status"), max_length=16, choices=DomainStatus.choices, default=DomainStatus.PENDING
    )
    # Secret until published in the claimant's DNS: one per claim, so that a record
    # published for one organisation never proves another's claim.
    token = models.CharField(_("verification token"), max_length=64, editable=False)
    method = models.CharField(
        _("verified by"), max_length=16, choices=VerificationMethod.choices, blank=True
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    checked_at = models.DateTimeField(_("last checked at"), null=True, blank=True)
    failure = models.CharField(
        _("reason of the failure"), max_length=16, choices=VerificationFailure.choices, blank=True
    )
    created_at = models.DateTimeField(_("claimed at"), auto_now_add=True, null=True)

    class Meta:
        verbose_name = _("email domain")
        verbose_name_plural = _("email domains")
        ordering = ("domain",)
        constraints = [
            models.UniqueConstraint(
                fields=["domain"],
                condition=models.Q(status="verified"),
                name="sso_domain_verified_once",
            ),
            models.UniqueConstraint(
                fields=["connection", "domain"], name="sso_domain_claimed_once_per_connection"
            ),
        ]

    def __str__(self) -> str:
        return self.domain

    @property
    def is_verified(self) -> bool:
        return self.status == DomainStatus.VERIFIED

    @property
    def record_name(self) -> str:
        return f"{CHALLENGE_PREFIX}.{self.domain}"

    @property
    def record_value(self) -> str:
        return f"{CHALLENGE_VALUE_PREFIX}{self.token}"

    @property
    def failure_message(self) -> str:
        """Why the last check failed, in the reader's language ('' if it did not)."""
        name = self.record_name
        messages: dict[str, str] = {
            VerificationFailure.NO_RECORD: gettext(
                "No TXT record was found at %(name)s. Publish it, wait a few minutes for "
                "the DNS to spread it, then check again."
            ),
            VerificationFailure.WRONG_VALUE: gettext(
                "The TXT records at %(name)s do not contain the value expected for this "
                "claim: copy it again exactly as shown."
            ),
            VerificationFailure.DNS_ERROR: gettext(
                "The DNS servers did not answer for %(name)s: try again in a few minutes."
            ),
            VerificationFailure.TAKEN: gettext(
                "Another organisation has already proven that it controls this domain."
            ),
        }
        message = messages.get(self.failure)
        return message % {"name": name} if message else ""
