"""Webhook endpoints (created, changed, removed by an organisation's admins) and their
deliveries: created with the change they announce, sent and retried by background
tasks, signed following the Standard Webhooks specification.

Delivery is at least once: a delivery is taken by a worker with a lease (a date in its
row, not a lock held during the request); a worker killed while sending leaves the lease
to expire and the delivery is sent again with the same `webhook-id`, which receivers use
to drop repeats. Nothing lives in one process's memory."""

import base64
import json
import secrets
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from standardwebhooks.webhooks import Webhook

from mentorat.accounts.models import User
from mentorat.audit.models import AuditEntry
from mentorat.audit.services import record
from mentorat.lib.errors import DomainError
from mentorat.mentorships.models import Mentorship
from mentorat.mentorships.selectors import active_pairs_health
from mentorat.organizations.models import Organization
from mentorat.webhooks import events, http
from mentorat.webhooks.models import (
    Attempt,
    Delivery,
    DeliveryStatus,
    Endpoint,
    EventType,
    PairHealthState,
)


def retry_schedule() -> tuple[int, ...]:
    """Seconds to wait after the first, second, … failed attempt; then it is given up."""
    return tuple(settings.WEBHOOKS_RETRY_SECONDS)


def lease_seconds() -> int:
    """How long a worker holds a delivery it is sending (longer than the request's
    timeout); past it, another worker may send it again."""
    return int(settings.WEBHOOKS_LEASE_SECONDS)


def disable_after() -> int:
    """Failed attempts in a row (over all its deliveries) after which an endpoint is
    turned off."""
    return int(settings.WEBHOOKS_DISABLE_AFTER_FAILURES)


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def _audit(
    action: str, endpoint: Endpoint, *, actor: User | None, request: HttpRequest | None
) -> None:
    record(
        action=f"webhooks.endpoint.{action}",
        actor=actor,
        organization=endpoint.organization,
        target=endpoint,
        data={"url": endpoint.url, "events": endpoint.event_types},
        request=request,
    )


@transaction.atomic
def create_endpoint(
    *,
    organization: Organization,
    actor: User,
    url: str,
    event_types: list[str],
    description: str = "",
    request: HttpRequest | None = None,
) -> Endpoint:
    """Subscribe `url` to `event_types` (checked by the form: `http.check_url`)."""
    endpoint = Endpoint.objects.create(
        organization=organization,
        url=url,
        description=description,
        event_types=sorted(event_types),
        secret=new_secret(),
        created_by=actor,
    )
    _audit("created", endpoint, actor=actor, request=request)
    return endpoint


@transaction.atomic
def update_endpoint(
    endpoint: Endpoint,
    *,
    actor: User,
    url: str,
    event_types: list[str],
    description: str,
    request: HttpRequest | None = None,
) -> Endpoint:
    endpoint.url = url
    endpoint.event_types = sorted(event_types)
    endpoint.description = description
    endpoint.save(update_fields=["url", "event_types", "description"])
    _audit("updated", endpoint, actor=actor, request=request)
    return endpoint


@transaction.atomic
def delete_endpoint(endpoint: Endpoint, *, actor: User, request: HttpRequest | None = None) -> None:
    _audit("deleted", endpoint, actor=actor, request=request)
    endpoint.delete()


@transaction.atomic
def rotate_secret(endpoint: Endpoint, *, actor: User, request: HttpRequest | None = None) -> None:
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret"])
    _audit("secret_rotated", endpoint, actor=actor, request=request)


@transaction.atomic
def set_active(
    endpoint: Endpoint, *, active: bool, actor: User, request: HttpRequest | None = None
) -> None:
    """Turn an endpoint off, or on again (its count of failures starts over)."""
    endpoint.is_active = active
    endpoint.failures_in_a_row = 0
    endpoint.disabled_reason = "" if active else endpoint.disabled_reason
    endpoint.save(update_fields=["is_active", "failures_in_a_row", "disabled_reason"])
    _audit("enabled" if active else "disabled", endpoint, actor=actor, request=request)


# Deliveries -------------------------------------------------------------------------


def _new_deliveries(
    endpoints: Iterable[Endpoint], event_type: str, body: dict[str, object]
) -> list[Delivery]:
    deliveries = Delivery.objects.bulk_create(
        [
            Delivery(
                endpoint=endpoint,
                message_id=f"msg_{uuid.uuid4().hex}",
                event_type=event_type,
                payload=body,
            )
            for endpoint in endpoints
        ]
    )
    ids = [d.pk for d in deliveries]
    if ids:
        transaction.on_commit(lambda: _enqueue(ids))
    return deliveries


def _subscribed(organization_id: int, event_type: str) -> list[Endpoint]:
    return [
        endpoint
        for endpoint in Endpoint.objects.filter(organization_id=organization_id, is_active=True)
        if event_type in endpoint.event_types
    ]


def deliveries_for_entry(entry: AuditEntry) -> list[Delivery]:
    """The deliveries announcing the change `entry` records, to the endpoints of its
    organisation subscribed to that event (none for actions that are not events). Called
    in the entry's transaction: they exist exactly when the change does."""
    event_type = events.EVENT_OF_ACTION.get(entry.action)
    if event_type is None or entry.organization_id is None:
        return []
    endpoints = _subscribed(entry.organization_id, event_type)
    if not endpoints:
        return []
    return _new_deliveries(endpoints, event_type, events.payload_for_entry(entry, event_type))


@transaction.atomic
def send_test_event(
    endpoint: Endpoint, *, actor: User, request: HttpRequest | None = None
) -> Delivery:
    """A `webhook.test` delivery to `endpoint`, to check the receiver."""
    body = events.payload(
        event_type=EventType.PING,
        organization_id=endpoint.organization_id,
        organization_slug=endpoint.organization.slug,
        data={"endpoint": endpoint.pk},
    )
    _audit("tested", endpoint, actor=actor, request=request)
    return _new_deliveries([endpoint], EventType.PING, body)[0]


@transaction.atomic
def replay(delivery: Delivery, *, actor: User, request: HttpRequest | None = None) -> None:
    """Send `delivery` again now (same `webhook-id`), whatever its status. Refused while
    the endpoint is turned off: the attempt would only mark the delivery failed."""
    endpoint = Endpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
    if not endpoint.is_active:
        raise DomainError(
            _("This endpoint is turned off: turn it on again before sending deliveries again.")
        )
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.PENDING, next_attempt_at=timezone.now(), leased_until=None
    )
    record(
        action="webhooks.delivery.replayed",
        actor=actor,
        organization=delivery.endpoint.organization,
        target=delivery,
        data={"message_id": delivery.message_id},
        request=request,
    )
    transaction.on_commit(lambda: _enqueue([delivery.pk], trigger="replay"))


def _enqueue(delivery_ids: list[int], trigger: str = "") -> None:
    # Why here: tasks import this module to run deliveries.
    from mentorat.webhooks.tasks import deliver

    for delivery_id in delivery_ids:
        deliver.enqueue(delivery_id, trigger)


def _take(delivery_id: int, now: datetime) -> Delivery | None:
    """Lease the delivery if it is due and nobody holds it; None otherwise."""
    due = Q(pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now) & (
        Q(leased_until__isnull=True) | Q(leased_until__lt=now)
    )
    if not Delivery.objects.filter(due).update(
        leased_until=now + timedelta(seconds=lease_seconds())
    ):
        return None
    return Delivery.objects.select_related("endpoint__organization").get(pk=delivery_id)


def headers_for(delivery: Delivery, body: bytes, when: datetime) -> dict[str, str]:
    """The Standard Webhooks headers signing `body`."""
    return {
        "Content-Type": "application/json",
        "User-Agent": "Mentorat-Webhooks/1",
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(int(when.timestamp())),
        "webhook-signature": Webhook(delivery.endpoint.secret).sign(
            msg_id=delivery.message_id, timestamp=when, data=body
        ),
    }


def attempt(delivery_id: int, *, trigger: str = "") -> Attempt | None:
    """Send delivery `delivery_id` once if it is due (None if it is not, or another
    worker holds it) and record the answer: delivered, retried later, or given up; an
    endpoint failing too often in a row is disabled and its organisation's admins told."""
    now = timezone.now()
    delivery = _take(delivery_id, now)
    if delivery is None:
        return None
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED, leased_until=None
        )
        return None
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    answer = http.post(endpoint.url, body, headers_for(delivery, body, now))
    trigger = trigger or ("first" if delivery.attempts == 0 else "retry")
    with transaction.atomic():
        logged = Attempt.objects.create(
            delivery=delivery,
            at=now,
            status_code=answer.status_code,
            error=answer.error,
            duration_ms=answer.duration_ms,
            trigger=trigger,
        )
        delivery.attempts += 1
        delivery.leased_until = None
        if logged.succeeded:
            delivery.status = DeliveryStatus.SUCCEEDED
            delivery.delivered_at = timezone.now()
            Endpoint.objects.filter(pk=endpoint.pk).update(failures_in_a_row=0)
        else:
            schedule = retry_schedule()
            failures = delivery.attempt_log.exclude(trigger="replay").count()
            if failures <= len(schedule) and trigger != "replay":
                delivery.next_attempt_at = now + timedelta(seconds=schedule[failures - 1])
            else:
                delivery.status = DeliveryStatus.FAILED
            _count_failure(endpoint)
        delivery.save(
            update_fields=["attempts", "leased_until", "status", "delivered_at", "next_attempt_at"]
        )
    return logged


def _count_failure(endpoint: Endpoint) -> None:
    Endpoint.objects.filter(pk=endpoint.pk).update(failures_in_a_row=F("failures_in_a_row") + 1)
    endpoint.refresh_from_db(fields=["failures_in_a_row", "is_active"])
    if endpoint.is_active and endpoint.failures_in_a_row >= disable_after():
        endpoint.is_active = False
        endpoint.disabled_reason = "failures"
        endpoint.save(update_fields=["is_active", "disabled_reason"])
        record(
            action="webhooks.endpoint.disabled_after_failures",
            organization=endpoint.organization,
            target=endpoint,
            data={"url": endpoint.url, "failures": endpoint.failures_in_a_row},
        )
        transaction.on_commit(lambda: _tell_admins(endpoint.pk))


def _tell_admins(endpoint_id: int) -> None:
    # Why here: tasks import this module to run deliveries.
    from mentorat.webhooks.tasks import tell_admins_endpoint_disabled

    tell_admins_endpoint_disabled.enqueue(endpoint_id)


def endpoint_page(endpoint: Endpoint) -> str:
    return settings.SITE_URL + reverse(
        "webhooks:detail", kwargs={"slug": endpoint.organization.slug, "pk": endpoint.pk}
    )


def due_delivery_ids(now: datetime, *, limit: int = 500) -> list[int]:
    """Deliveries waiting for their next attempt (or whose worker died while sending)."""
    return list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def queue_due_deliveries() -> int:
    """Queue a task for each due delivery (run at each worker heartbeat and by
    `manage.py send_webhooks`): retries after their delay, and deliveries whose task
    was lost. A delivery queued twice is sent once (`_take`)."""
    ids = due_delivery_ids(timezone.now())
    _enqueue(ids)
    return len(ids)


# Pair health ------------------------------------------------------------------------


def sweep_pair_health(now: datetime | None = None) -> int:
    """Announce `pair.health_changed` for active pairs of organisations subscribed to it
    whose health differs from the last one announced (a pair seen for the first time is
    only remembered). Returns the number of events."""
    now = now or timezone.now()
    subscribed: dict[int, list[Endpoint]] = {}
    for endpoint in Endpoint.objects.filter(is_active=True).select_related("organization"):
        if EventType.PAIR_HEALTH_CHANGED in endpoint.event_types:
            subscribed.setdefault(endpoint.organization_id, []).append(endpoint)
    if not subscribed:
        return 0
    pairs = active_pairs_health(
        Mentorship.objects.filter(edition__program__organization_id__in=subscribed), now=now
    )
    known = dict(
        PairHealthState.objects.filter(
            mentorship_id__in=[p.mentorship.pk for p in pairs]
        ).values_list("mentorship_id", "state")
    )
    announced = 0
    for pair in pairs:
        state, previous = pair.state.code, known.get(pair.mentorship.pk)
        if previous == state:
            continue
        with transaction.atomic():
            PairHealthState.objects.update_or_create(
                mentorship=pair.mentorship, defaults={"state": state, "changed_at": now}
            )
            if previous is None:
                continue
            endpoints = subscribed[pair.mentorship.edition.program.organization_id]
            body = events.payload(
                event_type=EventType.PAIR_HEALTH_CHANGED,
                organization_id=endpoints[0].organization_id,
                organization_slug=endpoints[0].organization.slug,
                data={
                    "pair": events.pair_object(pair.mentorship.pk),
                    "health": {"previous": previous, "current": state},
                },
            )
            _new_deliveries(endpoints, EventType.PAIR_HEALTH_CHANGED, body)
            announced += 1
    return announced
