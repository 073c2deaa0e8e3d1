"""Audit entries for sign-ins, sign-in failures and lockouts (auth signals are the
extension point Django and django-axes offer for this)."""

from typing import Any

from allauth.mfa.signals import authenticator_removed
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from mentorat.accounts.middleware import forget_totp, mark_session_renewed, remember_totp
from mentorat.accounts.models import User
from mentorat.audit.services import record


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    record(action="accounts.login.succeeded", actor=user, request=request)


@receiver(user_logged_in)
def _session_renewed(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        mark_session_renewed(request.session)
        # Saved with the session signing in saves: the first pages write nothing.
        remember_totp(request.session, user.pk)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        record(action="accounts.logout", actor=user, request=request)


@receiver(user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    login = str(credentials.get("email") or credentials.get("username") or "")[:254]
    record(action="accounts.login.failed", actor_label=login, request=request)


@receiver(user_locked_out)
def _locked_out(
    sender: Any, request: HttpRequest, username: str | None = None, **kwargs: Any
) -> None:
    record(action="accounts.login.locked_out", actor_label=(username or "")[:254], request=request)


@receiver(authenticator_removed)
def _authenticator_removed(
    sender: Any, request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    # The two-factor check remembers the authenticator in the session: not any more.
    if request is not None and hasattr(request, "session"):
        forget_totp(request.session)
