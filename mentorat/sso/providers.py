"""allauth's SAML provider, keeping the assertion's AuthnContextClassRef values with the
account's attributes so that the two-factor rule can read them (`mentorat.sso.mfa`).
Installed through SOCIALACCOUNT_PROVIDERS["saml"]["provider_class"]."""

from typing import Any

from allauth.socialaccount.providers.saml.provider import SAMLProvider as BaseSAMLProvider

from mentorat.sso.mfa import AUTHN_CONTEXTS_KEY


class SAMLProvider(BaseSAMLProvider):
    # allauth mounts the URLs of the provider's package: allauth's SAML ones.
    package = "allauth.socialaccount.providers.saml"

    def extract_extra_data(self, data: Any) -> dict[str, Any]:
        extra: dict[str, Any] = dict(super().extract_extra_data(data))
        extra[AUTHN_CONTEXTS_KEY] = list(data.get_last_authn_contexts() or [])
        return extra
