"""The client's IP address: one answer for every rate limit, lockout and log.

Each reverse proxy appends the address it received the request from to X-Forwarded-For,
so behind `TRUSTED_PROXY_COUNT` proxies of our own the client is the entry that many
places from the right; everything to its left was written by the client and may be
forged. With no trusted proxy (the default) the header is ignored and REMOTE_ADDR is
the client, so a forged header cannot move a request to another address's limits.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    count: int = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        header = request.META.get("HTTP_X_FORWARDED_FOR", "")
        forwarded = [part.strip() for part in header.split(",") if part.strip()]
        if forwarded:
            # Fewer entries than proxies: the request entered after the outermost proxy,
            # and the leftmost entry is the one the first of ours wrote.
            address = _valid(forwarded[-min(count, len(forwarded))])
            if address is not None:
                return address
    return _valid(request.META.get("REMOTE_ADDR", ""))


def _valid(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None
