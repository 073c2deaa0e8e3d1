"""A real `db_worker` killed (SIGKILL) while its receiver holds a webhook request
unanswered: a fresh worker sends the delivery again once the lease has expired, with the
same `webhook-id`, and records it delivered once. Retries after a failure are sent by the
worker itself when their delay has passed."""

import threading

import pytest
from django.db import connection

from mentorat.webhooks import services
from mentorat.webhooks.models import Delivery, DeliveryStatus, EventType
from tests.webhooks.receiver import receiver
from tests.worker.processes import Worker, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

FAST = {
    "WORKER_HEARTBEAT_SECONDS": "1",
    "WORKER_STALE_SECONDS": "3",
    "WEBHOOKS_ALLOW_PRIVATE_NETWORKS": "1",
    "WEBHOOKS_LEASE_SECONDS": "3",
    "WEBHOOKS_RETRY_SECONDS": "1,1",
}


def _needs_postgres(settings) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the worker processes must share the test database (PostgreSQL)")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _status(delivery: Delivery) -> str:
    delivery.refresh_from_db()
    return delivery.status


@pytest.mark.timeout(180)
def test_a_killed_worker_delivery_is_sent_again_with_the_same_id(cast, settings, tmp_path):
    _needs_postgres(settings)
    logs = [tmp_path / "worker-1.log", tmp_path / "worker-2.log"]
    with receiver() as hooks:
        hooks.release = threading.Event()
        endpoint = services.create_endpoint(
            organization=cast.org_a,
            actor=cast.admin_a,
            url=hooks.url,
            event_types=[EventType.PAIR_CLOSED],
        )
        hooks.secret = endpoint.secret
        delivery = services.send_test_event(endpoint, actor=cast.admin_a)

        first = Worker(logs[0], FAST)
        try:
            wait_for(hooks.holding.is_set, timeout=60, logs=logs)
        finally:
            first.kill()
        hooks.release.set()
        assert _status(delivery) == DeliveryStatus.PENDING
        assert delivery.attempts == 0

        second = Worker(logs[1], FAST)
        try:
            wait_for(lambda: _status(delivery) == DeliveryStatus.SUCCEEDED, timeout=90, logs=logs)
        finally:
            second.stop()

    assert [r.webhook_id for r in hooks.requests] == [delivery.message_id] * 2
    assert all(r.verified for r in hooks.requests)
    assert delivery.attempts == 1
    assert delivery.attempt_log.count() == 1


@pytest.mark.timeout(120)
def test_the_worker_retries_a_failed_delivery_by_itself(cast, settings, tmp_path):
    _needs_postgres(settings)
    log = tmp_path / "worker.log"
    with receiver() as hooks:
        hooks.statuses = [500, 200]
        endpoint = services.create_endpoint(
            organization=cast.org_a,
            actor=cast.admin_a,
            url=hooks.url,
            event_types=[EventType.PAIR_CLOSED],
        )
        hooks.secret = endpoint.secret
        delivery = services.send_test_event(endpoint, actor=cast.admin_a)
        worker = Worker(log, FAST)
        try:
            wait_for(lambda: _status(delivery) == DeliveryStatus.SUCCEEDED, timeout=60, logs=[log])
        finally:
            worker.stop()

    assert [r.status for r in hooks.requests] == [500, 200]
    assert hooks.delivered_ids == [delivery.message_id]
    assert delivery.attempts == 2
