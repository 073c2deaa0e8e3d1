from typing import Any

from django.db import models
from django.http import HttpRequest

from mentorat.accounts.models import User
from mentorat.audit.models import AuditEntry
from mentorat.organizations.models import Organization


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


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
    exists exactly when the change does."""
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
