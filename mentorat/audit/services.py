import logging
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from mentorat.accounts.models import User
from mentorat.audit.models import AuditEntry, SecurityEvent
from mentorat.audit.pseudonyms import pseudonym_for
from mentorat.lib.client_ip import client_ip as request_client_ip
from mentorat.organizations.models import Organization

logger = logging.getLogger(__name__)


def client_ip(request: HttpRequest | None) -> str | None:
    # The address sign-in limits and lockouts key on: the client's, behind our proxies.
    return request_client_ip(request) if request is not None else None


def record(
    *,
    action: str,
    actor: User | None = None,
    actor_label: str = "",
    organization: Organization | None = None,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEntry:
    """Write one audit entry. Call it inside the service's transaction so that the entry
    exists exactly when the change does.

    An entry with an `organization` appears in that organisation's audit log, which its
    admins read: record there only what someone did *within* the organisation (its
    staff, a partner's staff on a shared program, an applicant or participant of its
    programs, a platform admin). Refusals of people outside it go to the platform's
    security log instead (`record_security_event`)."""
    if actor is not None and not actor.is_authenticated:
        actor = None
    return AuditEntry.objects.create(
        action=action,
        actor=actor,
        actor_label=actor_label or (actor.email if actor else ""),
        organization=organization,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:254] if target is not None else "",
        data=data or {},
        ip_address=client_ip(request),
    )


def record_security_event(
    *,
    kind: str,
    user: User,
    target: models.Model | None = None,
    request: HttpRequest | None = None,
) -> SecurityEvent | None:
    """Record in the platform's security log that signed-in `user` was refused
    something (`kind`, e.g. `access.program.denied`), under the account's pseudonym.

    Nothing goes to any organisation's audit log, and nothing identifying is stored:
    the object's type and id and the request's method and path (never the query
    string). At most `SECURITY_EVENT_RATE_LIMIT` rows per account per
    `SECURITY_EVENT_RATE_WINDOW` seconds; returns None for a refusal over the limit
    (and for an anonymous user)."""
    if not user.is_authenticated:
        return None
    pseudonym = pseudonym_for(user.pk)
    if not _within_rate_limit(pseudonym):
        return None
    return SecurityEvent.objects.create(
        user_pseudonym=pseudonym,
        kind=kind,
        method=(request.method or "")[:10] if request is not None else "",
        path=request.path[:300] if request is not None else "",
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
    )


def _within_rate_limit(pseudonym: str) -> bool:
    """Count this event against the account's window; False once over the limit.

    The count lives in `django.core.cache.cache` so that it is shared by every worker
    process, which needs a shared cache backend (database or Redis; the per-process
    local-memory cache gives each worker its own count, so the limit becomes per
    worker). One key per account and fixed window: the key name carries the window, so
    an expiry reset by a backend's `incr` (the database cache's does) cannot restart a
    window early, and `touch` sets the expiry back to the window's end. Two processes
    counting at the same instant on the database cache may each read the same value
    (its `incr` is a read then a write): at most a few extra rows, never unbounded.
    If the cache fails, the event is not written: a broken cache must not open the log
    to flooding."""
    # A person who follows a few stale links stays far below the limit; a probe of every
    # URL is recorded up to the limit, then only counted in the cache.
    limit = int(settings.SECURITY_EVENT_RATE_LIMIT)
    window = int(settings.SECURITY_EVENT_RATE_WINDOW)
    now = time.time()
    bucket = int(now // window)
    key = f"mentorat:security-events:{pseudonym}:{bucket}"
    expires_in = max(1, int((bucket + 1) * window - now) + 1)
    try:
        if (cache.get(key) or 0) > limit:
            return False
        cache.add(key, 0, timeout=expires_in)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=expires_in)
            count = 1
        cache.touch(key, timeout=expires_in)
    except Exception:
        logger.exception("Security log: rate-limit cache unavailable, event dropped")
        return False
    if count == limit + 1:
        logger.warning(
            "Security log: account %s reached %s events in %s s; further ones are not "
            "recorded until the window ends",
            pseudonym,
            limit,
            window,
        )
    return count <= limit


def purge_security_events(*, older_than_days: int | None = None) -> int:
    """Delete security events older than the retention period; returns how many."""
    days = (
        older_than_days
        if older_than_days is not None
        else int(settings.SECURITY_EVENT_RETENTION_DAYS)
    )
    deleted, _ = SecurityEvent.objects.filter(
        created_at__lt=timezone.now() - timedelta(days=days)
    ).delete()
    return deleted
