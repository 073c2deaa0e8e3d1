"""Device cookies: a browser where a person has signed in keeps sign-in attempts of its own.

Failed sign-ins are limited per account across all addresses (see ACCOUNT_RATE_LIMITS),
which slows password spraying from many addresses; the price would be that an attacker
keeping that budget spent also keeps the owner out. A browser that already signed in to
the account shows a signed cookie naming it (by a keyed digest, not the address) and
counts its failures under a key of its own, so the owner's usual browser still gets in.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponseBase
from django.utils.crypto import salted_hmac

COOKIE_NAME = "mentorat_device"
_SALT = "mentorat.accounts.devices"
_MAX_AGE = timedelta(days=180)


def _login_digest(login: str) -> str:
    return salted_hmac(_SALT, login.strip().lower()).hexdigest()[:32]


def remember_device(response: HttpResponseBase, *, login: str) -> None:
    """Mark the browser receiving `response` as one that signed in with `login`."""
    value = signing.dumps(
        {"login": _login_digest(login), "device": secrets.token_urlsafe(16)}, salt=_SALT
    )
    response.set_cookie(
        COOKIE_NAME,
        value,
        max_age=int(_MAX_AGE.total_seconds()),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def known_device(request: HttpRequest, *, login: str) -> str | None:
    """The id of this browser if it has signed in with `login` before, else None."""
    raw = request.COOKIES.get(COOKIE_NAME)
    if not raw or not login:
        return None
    try:
        data = signing.loads(raw, salt=_SALT, max_age=_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("login") != _login_digest(login):
        return None
    device = data.get("device")
    return device if isinstance(device, str) else None
