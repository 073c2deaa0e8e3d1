from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from mentorat.accounts import devices
from mentorat.lib.client_ip import client_ip


@dataclass(frozen=True)
class _Site:
    """What allauth's email templates read of a site (`current_site.name`/`.domain`)."""

    name: str
    domain: str


SITE = _Site(name="Mentorat", domain=urlsplit(settings.SITE_URL).netloc or settings.SITE_URL)


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up and sign-in as Mentorat wants them: limits keyed on the client address
    and the known device, the account's language restored at sign-in, emails in the
    platform's name."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return True

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        # allauth's emails greet with the current site's name and domain. Without
        # django.contrib.sites that was the request's host ("Hello from 127.0.0.1:8000!"):
        # they say "Mentorat" and the public address of SITE_URL instead.
        super().send_mail(template_prefix, email, {**context, "current_site": SITE})

    def get_client_ip(self, request: HttpRequest) -> str:
        # The same address django-axes locks on (AXES_CLIENT_IP_CALLABLE).
        address = client_ip(request)
        if address is None:
            raise PermissionDenied("Unable to determine the client's IP address")
        return address

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        login = str(credentials.get("email") or "")
        device = devices.known_device(request, login=login)
        if device is None:
            super().pre_authenticate(request, **credentials)
            return
        # A browser that signed in to this account before: its failures count under a key
        # of its own instead of the account's shared one (the per-address limit of the
        # same rule still applies). `authenticate` rolls this usage back on success, as
        # allauth does for its own key (allauth 65.22, private names kept as they are).
        key = f"{self._get_login_attempts_cache_key(request, **credentials)}:device:{device}"
        self._login_failed_rl_usage = ratelimit.consume(
            request, app="allauth.account", action="login_failed", key=key
        )
        if not self._login_failed_rl_usage:
            raise self.validation_error("too_many_login_attempts")

    def get_login_stages(self) -> list[str]:
        # The two-factor step skips a sign-in whose organisation's provider vouched for
        # a second factor (mentorat.sso.stages); otherwise it is allauth's own.
        return [
            "mentorat.sso.stages.AuthenticateStage"
            if path == "allauth.mfa.stages.AuthenticateStage"
            else path
            for path in super().get_login_stages()
        ]

    def post_login(
        self, request: HttpRequest, user: AbstractBaseUser, **kwargs: Any
    ) -> HttpResponse:
        # The language chosen on the account comes back at sign-in: from here on (the
        # "signed in" message is already in it) and, through the cookie, on every page.
        language = _supported(getattr(user, "language", ""))
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response: HttpResponse = super().post_login(request, user, **kwargs)
        if language:
            _remember_language(response, language)
        email = getattr(user, "email", "")
        if email:
            devices.remember_device(response, login=email)
        return response


def _supported(language: str) -> str:
    return language if language in dict(settings.LANGUAGES) else ""


def _remember_language(response: HttpResponse, language: str) -> None:
    # The cookie Django's set_language view writes, with the same settings.
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]  # "Lax" in settings
    )
