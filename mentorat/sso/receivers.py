"""After a sign-in: remember in the session whether the organisation's provider vouched
for a second factor (the two-factor middleware reads it), and give a person the provider
signed in for the first time their membership in the organisation."""

from typing import Any

from allauth.account.signals import user_logged_in
from allauth.socialaccount.models import SocialLogin
from django.dispatch import receiver
from django.http import HttpRequest

from mentorat.accounts.middleware import PROVIDER_MFA_SESSION_KEY
from mentorat.accounts.models import User
from mentorat.sso import selectors, services
from mentorat.sso.adapter import PROVIDER_MFA_STATE


# allauth's signal (not Django's): it carries the social login, and every sign-in of the
# platform goes through allauth.
@receiver(user_logged_in)
def _after_sign_in(
    sender: Any,
    request: HttpRequest | None,
    user: User,
    sociallogin: SocialLogin | None = None,
    **kwargs: Any,
) -> None:
    connection = selectors.connection_by_key(sociallogin.account.provider) if sociallogin else None
    if request is not None and hasattr(request, "session"):
        if connection is not None and sociallogin is not None:
            request.session[PROVIDER_MFA_SESSION_KEY] = bool(
                sociallogin.state.get(PROVIDER_MFA_STATE)
            )
        else:
            # A sign-in by password: whatever an earlier provider said no longer counts.
            request.session.pop(PROVIDER_MFA_SESSION_KEY, None)
    if connection is not None:
        services.join_organization(user=user, connection=connection)
