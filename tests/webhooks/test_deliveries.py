"""Webhook deliveries end to end: a real local receiver verifies every request with the
Standard Webhooks library, answers with scripted statuses, and the tests follow the
retries through time."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from mentorat.applications.services.decisions import decide_application
from mentorat.mentorships.models import Mentorship
from mentorat.programs.models import ParticipantRole
from mentorat.webhooks import http, services
from mentorat.webhooks.models import Delivery, DeliveryStatus, Endpoint, EventType
from tests.applications.factories import ApplicationFactory
from tests.mentorships.factories import RunningEditionFactory, application_of
from tests.notifications.smtp import SmtpSink, use_smtp
from tests.programs.factories import ProgramFactory
from tests.webhooks.receiver import Receiver, receiver

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


@pytest.fixture
def hooks(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS = True
    settings.WEBHOOKS_RETRY_SECONDS = [5, 300]
    with receiver() as r:
        yield r


def subscribe(cast, hooks: Receiver, *events: str, organization=None) -> Endpoint:
    endpoint = services.create_endpoint(
        organization=organization or cast.org_a,
        actor=cast.admin_a,
        url=hooks.url,
        event_types=list(events),
    )
    hooks.secret = endpoint.secret
    return endpoint


def accept_an_application(cast, django_capture_on_commit_callbacks):
    program = ProgramFactory(organization=cast.org_a)
    edition = RunningEditionFactory(program=program)
    application = ApplicationFactory(edition=edition, user=cast.mentee)
    with django_capture_on_commit_callbacks(execute=True):
        decide_application(application=application, decision="accept", actor=cast.coordinator_a)
    return application


def due(now=None) -> int:
    with timezone.override("UTC"):
        return services.queue_due_deliveries()


def test_a_decision_reaches_the_receiver_signed_with_ids_only(
    cast, hooks, django_capture_on_commit_callbacks
):
    subscribe(cast, hooks, EventType.APPLICATION_DECIDED)
    application = accept_an_application(cast, django_capture_on_commit_callbacks)

    assert len(hooks.requests) == 1
    received = hooks.requests[0]
    assert received.verified
    assert received.payload["type"] == "application.decided"
    assert received.payload["data"]["object"]["id"] == application.pk
    assert received.payload["data"]["decision"] == "accepted"
    program = application.edition.program.slug
    assert received.payload["data"]["object"]["api_url"].endswith(
        f"/api/v1/programs/{program}/applications/{application.pk}"
    )
    assert received.payload["data"]["organization"]["slug"] == cast.org_a.slug
    raw = json.dumps(received.payload)
    assert cast.mentee.email not in raw
    assert Delivery.objects.get().status == DeliveryStatus.SUCCEEDED


def test_nothing_is_sent_for_unsubscribed_events_or_to_other_organisations(
    cast, hooks, django_capture_on_commit_callbacks
):
    subscribe(cast, hooks, EventType.PAIR_CLOSED)
    subscribe(cast, hooks, EventType.APPLICATION_DECIDED, organization=cast.org_b)

    accept_an_application(cast, django_capture_on_commit_callbacks)

    assert hooks.requests == []
    assert not Delivery.objects.exists()


def test_failures_are_retried_later_and_the_event_is_delivered_once(
    cast, hooks, django_capture_on_commit_callbacks
):
    hooks.statuses = [500, 503, 200]
    subscribe(cast, hooks, EventType.APPLICATION_DECIDED)
    start = timezone.now()
    with time_machine.travel(start, tick=True) as clock:
        accept_an_application(cast, django_capture_on_commit_callbacks)
        assert [r.status for r in hooks.requests] == [500]
        assert due() == 0  # the first retry waits 5 seconds

        clock.shift(timedelta(seconds=6))
        due()
        assert [r.status for r in hooks.requests] == [500, 503]
        clock.shift(timedelta(seconds=60))
        assert due() == 0  # the second retry waits 5 minutes

        clock.shift(timedelta(seconds=301))
        due()
        clock.shift(timedelta(days=1))
        assert due() == 0

    delivery = Delivery.objects.get()
    assert [r.status for r in hooks.requests] == [500, 503, 200]
    assert {r.webhook_id for r in hooks.requests} == {delivery.message_id}
    assert hooks.delivered_ids == [delivery.message_id]
    assert all(r.verified for r in hooks.requests)
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert [a.trigger for a in delivery.attempt_log.order_by("at")] == ["first", "retry", "retry"]


def test_retries_run_out_and_the_delivery_is_given_up(cast, hooks):
    hooks.statuses = [500]
    endpoint = subscribe(cast, hooks, EventType.PAIR_CLOSED)
    with time_machine.travel(timezone.now(), tick=True) as clock:
        delivery = services.send_test_event(endpoint, actor=cast.admin_a)
        services.attempt(delivery.pk)
        for wait in (6, 301, 3600):
            clock.shift(timedelta(seconds=wait))
            due()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 3  # the first and two retries (WEBHOOKS_RETRY_SECONDS)
    assert hooks.delivered_ids == []


def test_a_delivery_held_by_a_dead_worker_is_sent_once_its_lease_expires(cast, hooks):
    endpoint = subscribe(cast, hooks, EventType.PAIR_CLOSED)
    delivery = services.send_test_event(endpoint, actor=cast.admin_a)
    # A worker took it and was killed before recording anything.
    Delivery.objects.filter(pk=delivery.pk).update(
        leased_until=timezone.now() + timedelta(seconds=services.lease_seconds())
    )
    assert due() == 0
    assert services.attempt(delivery.pk) is None
    with time_machine.travel(timezone.now() + timedelta(seconds=61), tick=True):
        assert due() == 1
        assert services.attempt(delivery.pk) is None  # already delivered by the queued task
    assert hooks.delivered_ids == [delivery.message_id]


def test_a_replay_sends_the_same_delivery_id_again(cast, hooks):
    endpoint = subscribe(cast, hooks, EventType.PAIR_CLOSED)
    delivery = services.send_test_event(endpoint, actor=cast.admin_a)
    services.attempt(delivery.pk)
    services.replay(delivery, actor=cast.admin_a)
    services.attempt(delivery.pk, trigger="replay")

    assert hooks.delivered_ids == [delivery.message_id, delivery.message_id]
    assert [a.trigger for a in delivery.attempt_log.order_by("at", "id")] == ["first", "replay"]


def test_an_endpoint_failing_too_often_is_turned_off_and_its_admins_emailed(
    cast, hooks, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_DISABLE_AFTER_FAILURES = 3
    hooks.statuses = [500]
    endpoint = subscribe(cast, hooks, EventType.PAIR_CLOSED, EventType.APPLICATION_DECIDED)
    with SmtpSink() as sink:
        use_smtp(settings, sink.port)
        for _ in range(3):
            with django_capture_on_commit_callbacks(execute=True):
                services.send_test_event(endpoint, actor=cast.admin_a)
        endpoint.refresh_from_db()
        assert not endpoint.is_active
        assert endpoint.disabled_reason == "failures"
        emails = sink.messages_to(cast.admin_a.email)
        assert len(emails) == 1
        assert "Webhook désactivé" in emails[0]["Subject"]  # in the admin's language
        assert endpoint.url in emails[0].get_body(("plain",)).get_content()
        assert sink.messages_to(cast.coordinator_a.email) == []

    accept_an_application(cast, django_capture_on_commit_callbacks)
    assert Delivery.objects.filter(event_type=EventType.APPLICATION_DECIDED).count() == 0


def test_a_pair_whose_health_changes_is_announced(cast, hooks):
    edition = RunningEditionFactory(program=ProgramFactory(organization=cast.org_a))
    pair = Mentorship.objects.create(
        edition=edition,
        mentor_application=application_of(edition, cast.mentor, ParticipantRole.MENTOR),
        mentee_application=application_of(edition, cast.mentee, ParticipantRole.MENTEE),
        started_on=timezone.localdate(),
    )
    subscribe(cast, hooks, EventType.PAIR_HEALTH_CHANGED)

    assert services.sweep_pair_health() == 0  # first seen: remembered, not announced
    assert services.sweep_pair_health() == 0
    later = timezone.now() + timedelta(days=60)
    with time_machine.travel(later, tick=True):
        assert services.sweep_pair_health(later) == 1
        services.queue_due_deliveries()

    (received,) = hooks.requests
    assert received.payload["type"] == "pair.health_changed"
    assert received.payload["data"]["pair"]["id"] == pair.pk
    health = received.payload["data"]["health"]
    assert health["previous"] == "on_track"
    assert health["current"] in {"to_watch", "at_risk"}


def test_private_and_plain_http_addresses_are_refused_in_production(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS = False
    with pytest.raises(http.UnsafeUrl, match="https://"):
        http.check_url("http://hooks.example.org/x")
    for url in ("https://127.0.0.1/x", "https://localhost:8443/x", "https://10.1.2.3/"):
        with pytest.raises(http.UnsafeUrl, match="private network"):
            http.check_url(url)
    answer = http.post("https://127.0.0.1:9/x", b"{}", {})
    assert answer.status_code is None
    assert "private network" in answer.error


def test_a_replay_on_a_turned_off_endpoint_is_refused_and_changes_nothing(cast, hooks, client):
    endpoint = subscribe(cast, hooks, EventType.PAIR_CLOSED)
    delivery = services.send_test_event(endpoint, actor=cast.admin_a)
    services.attempt(delivery.pk)
    services.set_active(endpoint, active=False, actor=cast.admin_a)
    client.force_login(cast.admin_a)
    url = reverse("webhooks:replay", args=[endpoint.organization.slug, endpoint.pk, delivery.pk])

    response = client.post(url, follow=True, HTTP_ACCEPT_LANGUAGE="en")

    assert "turn it on again before sending deliveries again" in response.content.decode()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert hooks.delivered_ids == [delivery.message_id]
