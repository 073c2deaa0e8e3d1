"""Webhook pages as an organisation admin uses them."""

import pytest
from django.urls import reverse

from mentorat.audit.models import AuditEntry
from mentorat.webhooks.models import Delivery, Endpoint
from tests.webhooks.receiver import receiver

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def test_an_admin_adds_a_webhook_tests_it_and_reads_the_log(
    cast, client_for, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS = True
    client = client_for(cast.admin_a)
    with receiver() as hooks:
        response = client.post(
            reverse("webhooks:new", kwargs={"slug": cast.org_a.slug}),
            {"url": hooks.url, "event_types": ["pair.closed", "run.completed"]},
        )
        endpoint = Endpoint.objects.get()
        detail = reverse("webhooks:detail", kwargs={"slug": cast.org_a.slug, "pk": endpoint.pk})
        assert response.status_code == 302
        assert response["Location"] == detail
        hooks.secret = endpoint.secret
        assert endpoint.event_types == ["pair.closed", "run.completed"]

        page = client.get(detail).content.decode()
        assert endpoint.secret in page
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("webhooks:test", kwargs={"slug": cast.org_a.slug, "pk": endpoint.pk})
            )
    delivery = Delivery.objects.get()
    assert hooks.delivered_ids == [delivery.message_id]
    page = client.get(detail).content.decode()
    assert delivery.message_id in page
    assert "Delivered" in page
    assert AuditEntry.objects.filter(
        action="webhooks.endpoint.created", organization=cast.org_a
    ).exists()


def test_a_private_address_is_refused_with_its_reason(cast, client_for, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS = False
    response = client_for(cast.admin_a).post(
        reverse("webhooks:new", kwargs={"slug": cast.org_a.slug}),
        {"url": "https://127.0.0.1/hook", "event_types": ["pair.closed"]},
    )
    assert response.status_code == 200
    assert "is on a private network" in response.content.decode()
    assert not Endpoint.objects.exists()


def test_an_empty_choice_of_events_is_refused(cast, client_for):
    response = client_for(cast.admin_a).post(
        reverse("webhooks:new", kwargs={"slug": cast.org_a.slug}),
        {"url": "https://hooks.example.org/x"},
    )
    assert "Choose at least one event." in response.content.decode()


def test_another_organisations_webhook_is_not_found_under_ones_own_slug(cast, client_for):
    theirs = Endpoint.objects.create(
        organization=cast.org_b, url="https://b.example.org/", event_types=[], secret="whsec_eA=="
    )
    client = client_for(cast.admin_a)
    for name in ("webhooks:detail", "webhooks:edit"):
        url = reverse(name, kwargs={"slug": cast.org_a.slug, "pk": theirs.pk})
        assert client.get(url).status_code == 404
    url = reverse("webhooks:delete", kwargs={"slug": cast.org_a.slug, "pk": theirs.pk})
    assert client.post(url).status_code == 404
    assert Endpoint.objects.filter(pk=theirs.pk).exists()
