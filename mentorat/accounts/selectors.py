"""Reads about a person's own account, for the "My account" page."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings

from mentorat.accounts.models import User
from mentorat.permissions.organizations import has_any_role, is_platform_admin


@dataclass(frozen=True)
class AccountSecurity:
    """What the account page shows: addresses, second factor and whether it is required."""

    emails: list[EmailAddress]
    has_password: bool
    has_totp: bool
    has_recovery_codes: bool
    two_factor_required: bool


def account_security(*, user: User) -> AccountSecurity:
    """The state of `user`'s sign-in methods (two queries)."""
    kinds = set(Authenticator.objects.filter(user=user).values_list("type", flat=True))
    return AccountSecurity(
        emails=list(EmailAddress.objects.filter(user=user).order_by("-primary", "email")),
        has_password=user.has_usable_password(),
        has_totp=Authenticator.Type.TOTP in kinds,
        has_recovery_codes=Authenticator.Type.RECOVERY_CODES in kinds,
        two_factor_required=is_platform_admin(user)
        or has_any_role(user, set(settings.MFA_REQUIRED_ROLES)),
    )
