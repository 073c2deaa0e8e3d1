"""Whether the identity provider says the person used a second factor: the OpenID
Connect `amr` claim of the ID token (RFC 8176 values, and Entra ID's), or the SAML
assertion's AuthnContextClassRef."""

from collections.abc import Iterable, Mapping
from typing import Any

from mentorat.sso.models import Connection, Protocol

# Where the SAML provider of `mentorat.sso.providers` keeps the assertion's
# AuthnContextClassRef values in the account's extra data.
AUTHN_CONTEXTS_KEY = "mentorat_authn_contexts"

# RFC 8176: "mfa" says it outright; a one-time code, a hardware key or a smart card are
# a second factor on top of the password. "ngcmfa" and "fido": Entra ID.
MULTI_FACTOR_AMR = frozenset({"mfa", "otp", "hwk", "sc", "ngcmfa", "fido"})

MULTI_FACTOR_CONTEXTS = frozenset(
    {
        "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract",
        "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorUnregistered",
        "urn:oasis:names:tc:SAML:2.0:ac:classes:TimeSyncToken",
        "urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard",
        "urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI",
        "http://schemas.microsoft.com/claims/multipleauthn",
        "https://refeds.org/profile/mfa",
        "http://id.incommon.org/assurance/mfa",
    }
)


def _values(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, Iterable):
        return {str(item) for item in value}
    return set()


def provider_did_mfa(connection: Connection, extra_data: Mapping[str, Any]) -> bool:
    """True when `connection` is trusted for two-factor authentication and the
    provider's answer (`extra_data` of the social account) says a second factor was used."""
    if not connection.trust_provider_mfa:
        return False
    if connection.protocol == Protocol.OIDC:
        # The ID token is signed by the provider; userinfo may repeat the claim.
        claims = extra_data.get("id_token") or extra_data.get("userinfo") or {}
        return bool(_values(claims.get("amr")) & MULTI_FACTOR_AMR)
    return bool(_values(extra_data.get(AUTHN_CONTEXTS_KEY)) & MULTI_FACTOR_CONTEXTS)
