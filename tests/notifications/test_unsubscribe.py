"""The one-click unsubscribe link (RFC 8058): the mail client's POST turns the kind off
without CSRF token nor session; opening the link (GET) shows a confirm page and writes
nothing; an altered link is a translated 404, never an error."""

import pytest
from django.test import Client
from django.urls import reverse

from mentorat.audit.models import AuditEntry
from mentorat.notifications import preferences
from mentorat.notifications.kinds import EmailKind, MessageFrequency
from mentorat.notifications.links import unsubscribe_token, unsubscribe_url
from mentorat.notifications.models import NotificationPreference
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ONE_CLICK = "List-Unsubscribe=One-Click"


def _url(user, kind: EmailKind) -> str:
    return reverse(
        "notifications:unsubscribe", kwargs={"token": unsubscribe_token(user_id=user.pk, kind=kind)}
    )


def test_the_mail_clients_one_click_post_turns_the_kind_off():
    person = UserFactory()
    # As a mail client posts it: no cookie, no CSRF token, the RFC's body.
    client = Client(enforce_csrf_checks=True)
    url = unsubscribe_url(user_id=person.pk, kind=EmailKind.MEETINGS)
    path = url.removeprefix("http://127.0.0.1:8000").removeprefix("http://testserver")
    response = client.post(path, ONE_CLICK, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert not preferences.wants(person, EmailKind.MEETINGS)
    assert preferences.wants(person, EmailKind.CHECK_IN_REMINDERS)
    entry = AuditEntry.objects.get(action="notifications.preferences.unsubscribed")
    assert entry.data["kind"] == "meetings"
    # Twice: nothing more.
    client.post(path, ONE_CLICK, content_type="application/x-www-form-urlencoded")
    assert AuditEntry.objects.filter(action="notifications.preferences.unsubscribed").count() == 1


def test_messages_unsubscribe_means_never():
    person = UserFactory()
    Client(enforce_csrf_checks=True).post(
        _url(person, EmailKind.MESSAGES),
        ONE_CLICK,
        content_type="application/x-www-form-urlencoded",
    )
    assert preferences.message_frequency(person) == MessageFrequency.NEVER
    assert not preferences.wants(person, EmailKind.MESSAGES)


def test_get_shows_a_confirm_page_and_writes_nothing(client):
    person = UserFactory(language="en")
    response = client.get(_url(person, EmailKind.DIGESTS))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<form method="post"' in page
    assert "Stop these emails" in page
    assert not NotificationPreference.objects.exists()
    assert not AuditEntry.objects.exists()
    # The page's own button (a form post) does it.
    response = client.post(_url(person, EmailKind.DIGESTS), {"confirm": "1"})
    assert response.status_code == 200
    assert 'id="unsubscribed"' in response.content.decode()
    assert not preferences.wants(person, EmailKind.DIGESTS)
    assert reverse("notifications:preferences") in response.content.decode()


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        "eyJ1IjoxLCJrIjoibWVldGluZ3MifQ:1tAmpered:xxxxxxxx",
        # A mandatory kind, signed: cannot be turned off.
        None,
    ],
)
def test_an_altered_link_is_a_translated_404(client, token):
    person = UserFactory()
    if token is None:
        token = unsubscribe_token(user_id=person.pk, kind=EmailKind.ACCOUNT)
    for method in (client.get, client.post):
        response = method(reverse("notifications:unsubscribe", kwargs={"token": token}))
        assert response.status_code == 404
        assert "Ce lien n’est pas valide" in response.content.decode() or (
            "lien" in response.content.decode()
        )
    assert not NotificationPreference.objects.exists()


def test_a_link_to_an_account_gone_is_a_404(client):
    person = UserFactory()
    url = _url(person, EmailKind.MEETINGS)
    person.is_active = False
    person.save(update_fields=["is_active"])
    assert (
        client.post(url, ONE_CLICK, content_type="application/x-www-form-urlencoded").status_code
        == 404
    )
