"""The one HTTP request of a webhook attempt, and which URLs may receive one.

A webhook URL is typed by an organisation's admin and called by our server: without
care it would let anyone make the server reach its own private network (SSRF). So in
production (`WEBHOOKS_ALLOW_PRIVATE_NETWORKS` off) a URL must be https and every address
its host resolves to must be public, checked when the URL is saved and again before each
request; redirects are not followed. Development and the tests allow local receivers."""

import ipaddress
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _


class UnsafeUrl(ValueError):
    """The URL may not receive webhooks; the message says why, translated."""


@dataclass(frozen=True)
class Answer:
    status_code: int | None
    error: str
    duration_ms: int


def _private_allowed() -> bool:
    return bool(settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS)


def check_url(url: str) -> None:
    """Raise `UnsafeUrl` unless `url` may receive webhooks (see the module docstring)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeUrl(_("Enter a full web address starting with https://."))
    if _private_allowed():
        return
    if parts.scheme != "https":
        raise UnsafeUrl(_("The address must start with https:// (deliveries are encrypted)."))
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        message = _("The server %(host)s cannot be found.") % {"host": parts.hostname}
        raise UnsafeUrl(message) from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise UnsafeUrl(
                _("%(host)s is on a private network: webhooks go only to public servers.")
                % {"host": parts.hostname}
            )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the 3xx answer is the attempt's result (a failure)


_OPENER = urllib.request.build_opener(_NoRedirect)


def post(url: str, body: bytes, headers: dict[str, str]) -> Answer:
    """POST `body` to `url`; never raises for the receiver's failures (they are answers)."""
    started = time.monotonic()

    def answer(status: int | None, error: str) -> Answer:
        return Answer(status, error[:300], int((time.monotonic() - started) * 1000))

    try:
        check_url(url)
    except UnsafeUrl as exc:
        return answer(None, str(exc))
    # check_url allowed only http(s) above.
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)  # noqa: S310
    timeout = settings.WEBHOOKS_TIMEOUT_SECONDS
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            response.read(1024)
            return answer(response.status, "")
    except urllib.error.HTTPError as exc:
        return answer(exc.code, exc.reason if isinstance(exc.reason, str) else "")
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return answer(None, str(reason))
