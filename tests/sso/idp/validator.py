from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator


class Validator(OAuth2Validator):
    """Claims of the test provider: the person's address (verified), names, and `amr`
    with "mfa" for the people of the group "mfa" (those who used a second factor);
    `email_verified` false for those of the group "unverified"."""

    oidc_claim_scope = None  # every claim, whatever the scopes

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        mfa = user.groups.filter(name="mfa").exists()
        # People of the group "unverified" have an address the provider never checked.
        verified = not user.groups.filter(name="unverified").exists()
        return {
            "email": user.email,
            "email_verified": verified,
            "given_name": user.first_name,
            "family_name": user.last_name,
            "amr": ["pwd", "mfa"] if mfa else ["pwd"],
        }
