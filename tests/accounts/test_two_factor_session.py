"""Coordinators must have TOTP set up; the check remembers the answer in the session.

RequireTwoFactorMiddleware used to look the authenticator up on every page of every
coordinator (one statement each). It now trusts the session's answer while the
session's renewal is fresh (SESSION_REFRESH_SECONDS), looks again when the renewal
falls due, and forgets it at once when the person removes an authenticator.
"""

import datetime as dt

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_removed
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _authenticator_reads(queries: CaptureQueriesContext) -> int:
    return sum("mfa_authenticator" in q["sql"] for q in queries)


def test_the_authenticator_is_read_once_per_renewal_not_on_every_page(client_for, cast, settings):
    page = reverse("organizations:list")
    with time_machine.travel(START, tick=False) as traveller:
        client = client_for(cast.coordinator_a)
        with CaptureQueriesContext(connection) as first:
            assert client.get(page).status_code == 200
        with CaptureQueriesContext(connection) as second:
            assert client.get(page).status_code == 200
        # Signing in looked it up: no page reads it until the renewal falls due.
        assert (_authenticator_reads(first), _authenticator_reads(second)) == (0, 0)

        traveller.shift(dt.timedelta(seconds=settings.SESSION_REFRESH_SECONDS))
        with CaptureQueriesContext(connection) as due:
            assert client.get(page).status_code == 200
        assert _authenticator_reads(due) == 1


def test_a_removed_authenticator_is_noticed_at_the_next_renewal(client_for, cast, settings):
    page = reverse("organizations:list")
    with time_machine.travel(START, tick=False) as traveller:
        client = client_for(cast.coordinator_a)
        assert client.get(page).status_code == 200
        # Removed elsewhere (another session, an admin): this session still trusts its
        # answer until its renewal falls due, at most SESSION_REFRESH_SECONDS later.
        Authenticator.objects.filter(user=cast.coordinator_a).delete()
        traveller.shift(dt.timedelta(seconds=settings.SESSION_REFRESH_SECONDS))
        response = client.get(page)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_removing_an_authenticator_in_the_session_is_noticed_at_once(client_for, cast, rf):
    page = reverse("organizations:list")
    with time_machine.travel(START, tick=False):
        client = client_for(cast.coordinator_a)
        assert client.get(page).status_code == 200
        authenticator = Authenticator.objects.get(
            user=cast.coordinator_a, type=Authenticator.Type.TOTP
        )
        # What allauth's deactivation view does, with this client's session.
        request = rf.post("/")
        request.session = client.session
        authenticator.delete()
        authenticator_removed.send(
            sender=Authenticator,
            request=request,
            user=cast.coordinator_a,
            authenticator=authenticator,
        )
        request.session.save()
        response = client.get(page)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_a_session_does_not_carry_another_persons_answer(client_for, cast):
    client = client_for(cast.coordinator_a)
    assert client.get(reverse("organizations:list")).status_code == 200
    Authenticator.objects.filter(user=cast.coordinator_b).delete()
    client = client_for(cast.coordinator_b)
    response = client.get(reverse("organizations:list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
