from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from mentorat.permissions.organizations import has_any_role, is_platform_admin

# Pages a person must still reach before their second factor is set up.
_ALLOWED_PREFIXES = (
    "/accounts/",
    "/static/",
    "/legal/",
    "/language/",
    "/healthz",
)


class RequireTwoFactorMiddleware:
    """Organisation admins, coordinators and platform admins must set up TOTP before
    using the platform: until then every page sends them to the set-up page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and (is_platform_admin(user) or has_any_role(user, set(settings.MFA_REQUIRED_ROLES)))
            and not _has_totp(user.pk)
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)


def _has_totp(user_id: int) -> bool:
    return bool(
        Authenticator.objects.filter(user_id=user_id, type=Authenticator.Type.TOTP).exists()
    )
