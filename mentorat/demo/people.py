"""The demo's named accounts: one published password, one shared two-factor secret.
Used by the loader and by the parts of the demo it loads (matching personas)."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from mentorat.accounts.models import User

DEMO_PASSWORD = "mentorat-demo-2026"  # noqa: S105  (published demo password)
# Base32 secret shared by the demo accounts that must use two-factor authentication, so
# that testers can add it once to an authenticator app (or run `manage.py demo_totp`).
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105


def verified(user: User) -> None:
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def named_user(email: str, first: str, last: str, *, staff: bool = False) -> User:
    user = User.objects.create_user(
        email=email,
        password=DEMO_PASSWORD,
        first_name=first,
        last_name=last,
        is_staff=staff,
        is_superuser=staff,
    )
    verified(user)
    return user


def two_factor(user: User) -> None:
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
