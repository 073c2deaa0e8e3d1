"""Who calls: the API key in `Authorization: Bearer …`, its scopes, its rate limit."""

import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle, SimpleRateThrottle

from mentorat.accounts.models import User
from mentorat.api.models import ApiKey, Scope
from mentorat.api.services import authenticate_key
from mentorat.permissions.api import key_actor

_KEY_ATTR = "_mentorat_api_key"
_MISSING = object()


def key_of(request: HttpRequest) -> ApiKey | None:
    """The valid key of the request's `Authorization` header, read once per request."""
    found: Any = getattr(request, _KEY_ATTR, _MISSING)
    if found is _MISSING:
        header = request.headers.get("Authorization", "")
        scheme, _space, token = header.partition(" ")
        found = authenticate_key(token.strip()) if scheme.lower() == "bearer" else None
        setattr(request, _KEY_ATTR, found)
    return found  # type: ignore[no-any-return]


class ApiKeyAuth(HttpBearer):
    """Bearer authentication with an organisation's API key. The session is ignored:
    a signed-in browser gets 401 like anyone without a key."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiKey | None:
        key = key_of(request)
        if key is not None:
            request.actor = key_actor(key)  # type: ignore[attr-defined]
        return key


def acting(request: HttpRequest, scope: Scope) -> User:
    """The person the call acts as, once the key is known to carry `scope` (403 if
    not). Then every object goes through the same `access_*`/`can_*` as the pages."""
    key: ApiKey = request.auth  # type: ignore[attr-defined]
    if scope not in key.scopes:
        raise PermissionDenied
    return request.actor  # type: ignore[attr-defined,no-any-return]


class ApiKeyThrottle(BaseThrottle):
    """`API_RATE_LIMIT` calls per key (e.g. "600/m") in fixed windows, counted in the
    shared Django cache (Redis or the database table, never a worker's memory) so that
    every process counts together; one `add` and one `incr` a call, whatever the rate
    (ninja's sliding log rewrites the whole history at each call). The window is in the
    key's name, so an expiry reset by a backend's `incr` cannot restart it early."""

    def __init__(self) -> None:
        self._retry_after: float | None = None

    def allow_request(self, request: HttpRequest) -> bool:
        key = getattr(request, "auth", None)
        if not isinstance(key, ApiKey):
            return True
        # ninja's parser of "<n>/<period>", read at each call so it follows the settings.
        rate = SimpleRateThrottle(str(settings.API_RATE_LIMIT))
        limit, window = rate.num_requests, rate.duration
        assert limit is not None
        assert window is not None
        now = time.time()
        bucket = int(now // window)
        name = f"mentorat:api-rate:{key.pk}:{bucket}"
        expires_in = max(1, int((bucket + 1) * window - now) + 1)
        cache.add(name, 0, timeout=expires_in)
        try:
            count = cache.incr(name)
        except ValueError:  # expired between add and incr
            cache.set(name, 1, timeout=expires_in)
            count = 1
        self._retry_after = (bucket + 1) * window - now
        return bool(count <= limit)

    def wait(self) -> float | None:
        return self._retry_after
