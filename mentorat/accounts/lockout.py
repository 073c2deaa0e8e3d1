"""The account name django-axes locks on (AXES_USERNAME_CALLABLE).

allauth authenticates with `email=…`, not with the form's field name, so axes' default
lookup of AXES_USERNAME_FORM_FIELD in the credentials finds nothing: every failure was
then recorded without an account and the (account, address) lock became a lock of the
whole address — behind a proxy, of everyone.
"""

from typing import Any

from django.http import HttpRequest


def lockout_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    value = None
    if credentials:
        # "email" when allauth authenticates; "login" when axes builds the credentials
        # itself from a user name (reset on success).
        value = credentials.get("email") or credentials.get("login")
    if not value and request is not None:
        value = request.POST.get("login")
    name = str(value or "").strip().lower()
    return name or None
