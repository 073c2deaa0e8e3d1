"""The connections as allauth's `SocialApp`s: built from `Connection` rows on each
request, never stored in allauth's table, so the configuration has one copy only
(docs/adr/0014-single-sign-on.md)."""

from typing import Any

from allauth.socialaccount.models import SocialApp
from onelogin.saml2.constants import OneLogin_Saml2_Constants  # type: ignore[import-untyped]

from mentorat.sso.models import Connection, Preset, Protocol

OIDC_PROVIDER = "openid_connect"
SAML_PROVIDER = "saml"

ENTRA_ISSUER = "https://login.microsoftonline.com/{tenant}/v2.0"
GOOGLE_ISSUER = "https://accounts.google.com"

# Where allauth looks for each value in a SAML assertion: its defaults, and the names
# Entra ID, Google, Shibboleth and pysaml2 use.
SAML_ATTRIBUTES: dict[str, list[str]] = {
    "uid": ["urn:oasis:names:tc:SAML:attribute:subject-id"],
    "email": [
        "urn:oid:0.9.2342.19200300.100.1.3",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
        "mail",
        "email",
        "emailAddress",
    ],
    "first_name": [
        "urn:oid:2.5.4.42",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
        "givenName",
        "first_name",
    ],
    "last_name": [
        "urn:oid:2.5.4.4",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
        "sn",
        "surname",
        "last_name",
    ],
}


def provider_name(connection: Connection) -> str:
    """allauth's provider name for `connection`: the one of the URLs it serves."""
    return OIDC_PROVIDER if connection.protocol == Protocol.OIDC else SAML_PROVIDER


def oidc_issuer(connection: Connection) -> str:
    if connection.preset == Preset.ENTRA:
        return ENTRA_ISSUER.format(tenant=connection.tenant)
    if connection.preset == Preset.GOOGLE:
        return GOOGLE_ISSUER
    return connection.server_url


def _oidc_settings(connection: Connection) -> dict[str, Any]:
    auth_params = {}
    if connection.preset == Preset.GOOGLE and connection.hosted_domain:
        # Google shows only the accounts of that Workspace domain.
        auth_params["hd"] = connection.hosted_domain
    return {
        "server_url": oidc_issuer(connection),
        "oauth_pkce_enabled": True,
        "auth_params": auth_params,
    }


def _saml_settings(connection: Connection) -> dict[str, Any]:
    return {
        "idp": {
            "entity_id": connection.idp_entity_id,
            "sso_url": connection.idp_sso_url,
            "x509cert": connection.idp_x509cert,
        },
        "attribute_mapping": SAML_ATTRIBUTES,
        "advanced": {
            "strict": True,
            # Signed assertions only: a response whose assertion is not signed by the
            # certificate of the metadata is refused.
            "want_assertion_signed": True,
            "reject_idp_initiated_sso": True,
            "reject_deprecated_algorithm": True,
            "digest_algorithm": OneLogin_Saml2_Constants.SHA256,
            "signature_algorithm": OneLogin_Saml2_Constants.RSA_SHA256,
            "allow_single_label_domains": True,
        },
    }


def social_app(connection: Connection) -> SocialApp:
    """The unsaved `SocialApp` allauth drives for `connection`. Its `provider_id` is the
    connection's key, so that allauth records each person's account under it."""
    if connection.protocol == Protocol.OIDC:
        return SocialApp(
            provider=OIDC_PROVIDER,
            provider_id=connection.key,
            name=connection.name,
            client_id=connection.client_id,
            secret=connection.client_secret,
            settings=_oidc_settings(connection),
        )
    return SocialApp(
        provider=SAML_PROVIDER,
        provider_id=connection.key,
        name=connection.name,
        # allauth's SAML addresses carry the client id (`/accounts/saml/<client_id>/…`).
        client_id=connection.key,
        settings=_saml_settings(connection),
    )
