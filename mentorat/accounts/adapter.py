from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from mentorat.accounts import devices
from mentorat.lib.client_ip import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return True

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

    def post_login(
        self, request: HttpRequest, user: AbstractBaseUser, **kwargs: Any
    ) -> HttpResponse:
        response: HttpResponse = super().post_login(request, user, **kwargs)
        email = getattr(user, "email", "")
        if email:
            devices.remember_device(response, login=email)
        return response
