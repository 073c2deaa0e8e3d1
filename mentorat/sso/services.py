"""Writes of single sign-on: connections and their email domains (each change in the
organisation's audit log, never a secret), and the membership of people a provider
signs in for the first time."""

import re
import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from onelogin.saml2.idp_metadata_parser import (  # type: ignore[import-untyped]
    OneLogin_Saml2_IdPMetadataParser,
)

from mentorat.accounts.models import User
from mentorat.audit.services import record
from mentorat.lib.errors import DomainError, Problems
from mentorat.organizations.models import Membership, Organization
from mentorat.organizations.services import add_membership
from mentorat.sso import txt_records
from mentorat.sso.models import (
    Connection,
    DomainStatus,
    EmailDomain,
    JoinRole,
    Preset,
    Protocol,
    VerificationFailure,
    VerificationMethod,
)

# Fields an admin sets on each kind of connection (the secret and the SAML metadata
# are handled apart: the secret is never shown again, the metadata is parsed).
COMMON_FIELDS = ("name", "enabled", "default_role", "trust_provider_mfa")
OIDC_FIELDS = (*COMMON_FIELDS, "preset", "server_url", "client_id", "tenant", "hosted_domain")
SAML_FIELDS = (*COMMON_FIELDS, "metadata_url")

_DOMAIN = re.compile(r"^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$")
# Addresses anyone can get: no organisation can claim them.
PUBLIC_EMAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "outlook.fr",
        "hotmail.com",
        "hotmail.fr",
        "live.com",
        "live.fr",
        "msn.com",
        "yahoo.com",
        "yahoo.fr",
        "icloud.com",
        "me.com",
        "aol.com",
        "orange.fr",
        "wanadoo.fr",
        "free.fr",
        "sfr.fr",
        "laposte.net",
        "gmx.fr",
        "gmx.com",
        "protonmail.com",
        "proton.me",
    }
)


def _new_key(organization: Organization) -> str:
    while True:
        key = f"{organization.slug[:80]}-{secrets.token_hex(4)}"
        if not Connection.objects.filter(key=key).exists():
            return key


def _check_oidc(values: Mapping[str, Any], secret: str, problems: Problems) -> None:
    preset = values.get("preset") or Preset.GENERIC
    if preset == Preset.GENERIC and not values.get("server_url"):
        problems.add("server_url", _("Give the address of the provider (its issuer)."))
    if preset == Preset.ENTRA and not re.fullmatch(r"[\w.-]{1,100}", values.get("tenant") or ""):
        problems.add("tenant", _("Give the tenant ID or domain of your Entra ID directory."))
    if preset == Preset.GOOGLE and not _DOMAIN.match((values.get("hosted_domain") or "").lower()):
        problems.add("hosted_domain", _("Give your Google Workspace domain, e.g. example.org."))
    if not values.get("client_id"):
        problems.add("client_id", _("Give the client ID the provider gave you."))
    if not secret:
        problems.add("client_secret", _("Give the client secret the provider gave you."))


def read_idp_metadata(*, xml: str = "", url: str = "") -> dict[str, str]:
    """The identity provider's entity ID, sign-in address and signing certificate, read
    from its SAML metadata (a document, or fetched from `url`)."""
    try:
        if xml:
            parsed = OneLogin_Saml2_IdPMetadataParser.parse(xml)
        else:
            parsed = OneLogin_Saml2_IdPMetadataParser.parse_remote(url, timeout=10)
    except Exception as error:
        raise DomainError(
            _("The metadata could not be read: %(error)s") % {"error": str(error)[:200]},
            field_errors={"metadata": [_("The metadata could not be read.")]},
        ) from error
    idp = parsed.get("idp") or {}
    certificate = idp.get("x509cert") or next(
        iter((idp.get("x509certMulti") or {}).get("signing") or []), ""
    )
    values = {
        "idp_entity_id": idp.get("entityId") or "",
        "idp_sso_url": (idp.get("singleSignOnService") or {}).get("url") or "",
        "idp_x509cert": certificate,
    }
    if not all(values.values()):
        message = _(
            "The metadata must give the provider's entity ID, its sign-in address "
            "(HTTP-Redirect binding) and its signing certificate."
        )
        raise DomainError(message, field_errors={"metadata": [message]})
    return values


@transaction.atomic
def save_connection(
    *,
    organization: Organization,
    protocol: Protocol | str,
    values: Mapping[str, Any],
    client_secret: str = "",
    metadata_xml: str = "",
    connection: Connection | None = None,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> Connection:
    """Create `connection` (None) or change it. A blank secret keeps the saved one; SAML
    metadata, given as a document or an address, is read now and its values kept."""
    is_new = connection is None
    if connection is None:
        connection = Connection(organization=organization, protocol=protocol)
    fields = OIDC_FIELDS if connection.protocol == Protocol.OIDC else SAML_FIELDS
    before = {name: getattr(connection, name) for name in (*fields, "client_secret")}
    before_idp = (connection.idp_entity_id, connection.idp_sso_url, connection.idp_x509cert)
    for name in fields:
        if name in values:
            setattr(connection, name, values[name])
    if connection.default_role not in JoinRole.values:
        raise DomainError(_("People signing in for the first time can be mentors or mentees."))
    problems = Problems()
    if connection.protocol == Protocol.OIDC:
        if client_secret:
            connection.client_secret = client_secret
        _check_oidc(values, connection.client_secret, problems)
        problems.raise_if_any()
    elif metadata_xml or (
        connection.metadata_url and connection.metadata_url != before.get("metadata_url")
    ):
        for name, value in read_idp_metadata(xml=metadata_xml, url=connection.metadata_url).items():
            setattr(connection, name, value)
    elif not connection.idp_entity_id:
        message = _("Upload the identity provider's metadata or give its address.")
        raise DomainError(message, field_errors={"metadata": [message]})
    if is_new:
        connection.key = _new_key(organization)
    connection.save()
    changed = sorted(name for name in before if before[name] != getattr(connection, name))
    if before_idp != (connection.idp_entity_id, connection.idp_sso_url, connection.idp_x509cert):
        changed.append("metadata")
    record(
        action="sso.connection.created" if is_new else "sso.connection.updated",
        actor=actor,
        organization=organization,
        target=connection,
        # Names of what changed only: the secret's value never reaches the log.
        data={"protocol": connection.protocol, "changed": changed},
        request=request,
    )
    return connection


@transaction.atomic
def delete_connection(
    *, connection: Connection, actor: User | None = None, request: HttpRequest | None = None
) -> None:
    organization = connection.organization
    record(
        action="sso.connection.deleted",
        actor=actor,
        organization=organization,
        target=connection,
        data={
            "protocol": connection.protocol,
            "domains": [d.domain for d in connection.domains.all()],
        },
        request=request,
    )
    connection.delete()


def normalize_domain(value: str) -> str:
    domain = value.strip().lower().lstrip("@").rstrip(".")
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return domain


@transaction.atomic
def add_domain(
    *,
    connection: Connection,
    domain: str,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> EmailDomain:
    """Claim `domain` for `connection`: a pending claim with a token of its own, which
    neither routes nor links anyone until `check_domain` finds the token in the domain's
    DNS or a platform admin approves it. Several organisations may claim a domain (the
    first to claim cannot lock its real owner out); once one has proven it, no other can
    claim it."""
    name = normalize_domain(domain)
    if not _DOMAIN.match(name):
        raise DomainError(
            _("Give a domain such as example.org."),
            field_errors={"domain": [_("Give a domain such as example.org.")]},
        )
    if name in PUBLIC_EMAIL_DOMAINS:
        message = _("%(domain)s is a public email service: no organisation can claim it.") % {
            "domain": name
        }
        raise DomainError(message, field_errors={"domain": [message]})
    if EmailDomain.objects.filter(domain=name, status=DomainStatus.VERIFIED).exists():
        taken = _("%(domain)s is already signed in through a connection.") % {"domain": name}
        raise DomainError(taken, field_errors={"domain": [taken]})
    if EmailDomain.objects.filter(
        domain=name, connection__organization_id=connection.organization_id
    ).exists():
        message = _("Your organisation has already claimed %(domain)s.") % {"domain": name}
        raise DomainError(message, field_errors={"domain": [message]})
    email_domain = EmailDomain.objects.create(
        connection=connection, domain=name, token=secrets.token_hex(16)
    )
    record(
        action="sso.domain.added",
        actor=actor,
        organization=connection.organization,
        target=email_domain,
        data={"domain": name, "connection": connection.name},
        request=request,
    )
    return email_domain


def _mark_verified(email_domain: EmailDomain, *, method: VerificationMethod, now: datetime) -> bool:
    """Verify the claim unless another one of the domain is; False if it is."""
    if (
        EmailDomain.objects.filter(domain=email_domain.domain, status=DomainStatus.VERIFIED)
        .exclude(pk=email_domain.pk)
        .exists()
    ):
        return False
    email_domain.status = DomainStatus.VERIFIED
    email_domain.method = method
    email_domain.verified_at = now
    email_domain.failure = ""
    try:
        # The partial unique index settles two claims verified at the same moment.
        with transaction.atomic():
            email_domain.save()
    except IntegrityError:
        return False
    return True


@transaction.atomic
def check_domain(
    *, email_domain: EmailDomain, actor: User | None = None, request: HttpRequest | None = None
) -> EmailDomain:
    """Look for the claim's TXT record (`record_name`, `record_value`) in the domain's
    DNS now: verified if it is there, failed with the reason otherwise. A verified claim
    is left as it is. Holds a row lock on the claim while the DNS answers."""
    email_domain = EmailDomain.objects.select_for_update().get(pk=email_domain.pk)
    if email_domain.is_verified:
        return email_domain
    now = timezone.now()
    email_domain.checked_at = now
    failure: VerificationFailure | None
    try:
        values = txt_records.txt_values(email_domain.record_name)
    except txt_records.LookupFailed:
        failure = VerificationFailure.DNS_ERROR
    else:
        if email_domain.record_value in values:
            failure = (
                VerificationFailure.TAKEN
                if not _mark_verified(email_domain, method=VerificationMethod.DNS, now=now)
                else None
            )
        else:
            failure = VerificationFailure.WRONG_VALUE if values else VerificationFailure.NO_RECORD
    data: dict[str, Any] = {"domain": email_domain.domain, "record": email_domain.record_name}
    if failure is None:
        action = "sso.domain.verified"
        data["method"] = VerificationMethod.DNS.value
    else:
        action = "sso.domain.verification_failed"
        data["reason"] = failure.value
        email_domain.status = DomainStatus.FAILED
        email_domain.failure = failure
        email_domain.save(update_fields=["status", "failure", "checked_at"])
    record(
        action=action,
        actor=actor,
        organization=email_domain.connection.organization,
        target=email_domain,
        data=data,
        request=request,
    )
    return email_domain


@transaction.atomic
def approve_domain(
    *, email_domain: EmailDomain, actor: User, request: HttpRequest | None = None
) -> EmailDomain:
    """A platform admin vouches for the claim (for schools that cannot publish a DNS
    record), after checking with the organisation by other means. The caller has
    checked that `actor` is a platform admin."""
    email_domain = EmailDomain.objects.select_for_update().get(pk=email_domain.pk)
    if email_domain.is_verified:
        return email_domain
    if not _mark_verified(
        email_domain, method=VerificationMethod.PLATFORM_ADMIN, now=timezone.now()
    ):
        raise DomainError(
            _("Another organisation has already proven that it controls this domain.")
        )
    record(
        action="sso.domain.approved",
        actor=actor,
        organization=email_domain.connection.organization,
        target=email_domain,
        data={"domain": email_domain.domain, "method": VerificationMethod.PLATFORM_ADMIN.value},
        request=request,
    )
    return email_domain


@transaction.atomic
def remove_domain(
    *, email_domain: EmailDomain, actor: User | None = None, request: HttpRequest | None = None
) -> None:
    record(
        action="sso.domain.removed",
        actor=actor,
        organization=email_domain.connection.organization,
        target=email_domain,
        data={"domain": email_domain.domain},
        request=request,
    )
    email_domain.delete()


def join_organization(*, user: User, connection: Connection) -> Membership | None:
    """Just-in-time membership: a person the provider signed in who has no role in the
    organisation yet gets the connection's default role (mentor or mentee)."""
    organization = connection.organization
    if Membership.objects.filter(user=user, organization=organization).exists():
        return None
    return add_membership(user=user, organization=organization, role=connection.default_role)
