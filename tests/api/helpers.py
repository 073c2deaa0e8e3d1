"""Calling the API in tests: a key for someone, and requests carrying it."""

import json
from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from mentorat.api.models import ApiKey, Scope
from mentorat.api.services import create_api_key

ALL_SCOPES = tuple(Scope.values)
BASE = "/api/v1"


def key_for(user, organization, scopes=ALL_SCOPES, *, days: int = 30) -> str:
    """A key created (as the key page does) by `user` for `organization`: its full text.
    The page lets admins only; the matrix gives every persona one to prove the
    permission layer, not the page, decides."""
    _key, secret = create_api_key(
        organization=organization,
        name="test",
        scopes=list(scopes),
        expires_at=timezone.now() + timedelta(days=days),
        actor=user,
    )
    return secret


def key_row(secret: str) -> ApiKey:
    return ApiKey.objects.get(prefix=secret.removeprefix("mtr_").split(".")[0])


def call(
    client: Client,
    method: str,
    path: str,
    *,
    key: str | None = None,
    body: Any = None,
    headers: dict[str, str] | None = None,
):
    sent = dict(headers or {})
    if key is not None:
        sent["Authorization"] = f"Bearer {key}"
    url = path if path.startswith("/") and path.startswith(BASE) else f"{BASE}{path}"
    if method == "get":
        return client.get(url, headers=sent)
    return client.generic(
        method.upper(),
        url,
        json.dumps(body if body is not None else {}),
        content_type="application/json",
        headers=sent,
    )
