"""Personal data of single sign-on (see `mentorat.lib.personal_data`): the accounts a
provider signed in, kept by allauth's socialaccount app, belong to their person. The
connections and domains are an organisation's configuration."""

from mentorat.lib.personal_data import (
    Basis,
    Category,
    Erasure,
    ModelData,
    PersonalField,
    Purpose,
)

# A closed account keeps no link to a provider.
GONE_WITH_ACCOUNT = PersonalField(
    Category.TECHNICAL, Purpose.ACCOUNT, Basis.CONTRACT, Erasure.DELETE_ROW
)

DATA_MAP: tuple[ModelData, ...] = (
    ModelData(
        # The person's identifier at their organisation's provider and what it said at
        # the last sign-in (name, address, the claims of the ID token or the assertion).
        model="socialaccount.SocialAccount",
        subjects=("user",),
        fields={"uid": GONE_WITH_ACCOUNT, "extra_data": GONE_WITH_ACCOUNT},
        not_personal={
            "provider": "the connection's key",
            "last_login": "when the provider last signed the person in",
            "date_joined": "when the account was linked",
        },
    ),
    ModelData(
        # Not written (SOCIALACCOUNT_STORE_TOKENS is off), declared for completeness.
        model="socialaccount.SocialToken",
        subjects=("account__user",),
        fields={"token": GONE_WITH_ACCOUNT, "token_secret": GONE_WITH_ACCOUNT},
        not_personal={"expires_at": "when the token expires"},
    ),
)

NOT_PERSONAL_MODELS: dict[str, str] = {
    "socialaccount.SocialApp": "unused: the providers are the connections below",
    "sso.Connection": "an organisation's identity provider settings",
    "sso.EmailDomain": "the email domains an organisation signs in",
}
