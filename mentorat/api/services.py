"""Creating, revoking and checking API keys; storing idempotent answers.

A key reads `mtr_<prefix>.<secret>`: the prefix finds the row, the secret is compared
with its SHA-256 in constant time. Secrets are 32 random bytes, so a plain hash (not a
slow password hash) is enough and keeps every call fast."""

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorat.accounts.models import User
from mentorat.api.models import ApiKey, IdempotentResponse, Scope
from mentorat.audit.services import record
from mentorat.lib.errors import DomainError
from mentorat.organizations.models import Organization

KEY_START = "mtr_"
MAX_DAYS = 730
# `last_used_at` is written at most this often, not on every call.
TOUCH_EVERY = timedelta(minutes=5)
IDEMPOTENCY_KEPT = timedelta(days=1)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_api_key(
    *,
    organization: Organization,
    name: str,
    scopes: list[str],
    expires_at: datetime,
    actor: User,
    request: HttpRequest | None = None,
) -> tuple[ApiKey, str]:
    """Create a key; returns it and its full text, which is never shown again."""
    name = name.strip()
    if not name:
        raise DomainError(_("Name: this field is required."))
    chosen = [s for s in Scope.values if s in scopes]
    if not chosen or len(chosen) != len(set(scopes)):
        raise DomainError(_("Scopes: choose at least one of the listed scopes."))
    now = timezone.now()
    if expires_at <= now:
        raise DomainError(_("Expiry: choose a date in the future."))
    if expires_at > now + timedelta(days=MAX_DAYS):
        raise DomainError(
            _("Expiry: a key may be valid for %(days)s days at most.") % {"days": MAX_DAYS}
        )
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        organization=organization,
        name=name[:100],
        prefix=prefix,
        secret_hash=_hash(secret),
        scopes=chosen,
        created_by=actor,
        expires_at=expires_at,
    )
    record(
        action="api.key.created",
        actor=actor,
        organization=organization,
        target=key,
        data={"scopes": chosen, "expires_at": expires_at.isoformat()},
        request=request,
    )
    return key, f"{KEY_START}{prefix}.{secret}"


@transaction.atomic
def revoke_api_key(*, key: ApiKey, actor: User, request: HttpRequest | None = None) -> None:
    """Revoke a key at once; revoking twice changes nothing."""
    if key.revoked_at is not None:
        return
    key.revoked_at = timezone.now()
    key.revoked_by = actor
    key.save(update_fields=["revoked_at", "revoked_by"])
    record(
        action="api.key.revoked",
        actor=actor,
        organization=key.organization,
        target=key,
        request=request,
    )


def authenticate_key(text: str) -> ApiKey | None:
    """The valid key `text` stands for, or None (unknown, wrong secret, expired,
    revoked, or its creator's account deactivated)."""
    if not text.startswith(KEY_START) or "." not in text:
        return None
    prefix, _dot, secret = text[len(KEY_START) :].partition(".")
    key = (
        ApiKey.objects.select_related("organization", "created_by")
        .filter(prefix=prefix[:16])
        .first()
    )
    if key is None or not hmac.compare_digest(key.secret_hash, _hash(secret)):
        return None
    now = timezone.now()
    if key.revoked_at is not None or key.expires_at <= now or not key.created_by.is_active:
        return None
    if key.last_used_at is None or key.last_used_at < now - TOUCH_EVERY:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key


def record_write(
    *, key: ApiKey, operation: str, status: int, request: HttpRequest | None = None
) -> None:
    """The audit entry of a write made through the API (the services write their own
    entries too, as the key's creator): which key, which operation, what answer."""
    record(
        action="api.call.write",
        actor=key.created_by,
        organization=key.organization,
        target=key,
        data={"operation": operation, "status": status},
        request=request,
    )


def request_hash(*, method: str, path: str, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.encode(), b"\0", path.encode(), b"\0", body):
        digest.update(part)
    return digest.hexdigest()


def stored_response(*, key: ApiKey, idempotency_key: str) -> IdempotentResponse | None:
    return IdempotentResponse.objects.filter(
        api_key=key,
        key=idempotency_key,
        created_at__gt=timezone.now() - IDEMPOTENCY_KEPT,
    ).first()


def store_response(
    *, key: ApiKey, idempotency_key: str, fingerprint: str, status: int, headers: Any, body: bytes
) -> None:
    """Keep an answer for replay (call inside the write's transaction: both or neither).
    Answers older than a day are deleted on the way."""
    IdempotentResponse.objects.filter(created_at__lte=timezone.now() - IDEMPOTENCY_KEPT).delete()
    # create, not update: a twin request committing first makes this one fail on the
    # unique constraint, and roll back with its writes.
    IdempotentResponse.objects.create(
        api_key=key,
        key=idempotency_key,
        request_hash=fingerprint,
        status_code=status,
        content_type=str(headers.get("Content-Type", "application/json"))[:100],
        body=body,
    )
