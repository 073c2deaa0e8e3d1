"""The language a person chose is theirs: stored on the account when they switch while
signed in, and restored when they sign in again (on another browser too)."""

import pytest
from django.urls import reverse

from mentorat.accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_signing_in_restores_the_accounts_language(client):
    user = UserFactory(email="anglophone@example.org", language="en")
    # A fresh browser, asking for French.
    response = client.post(
        reverse("account_login"),
        {"login": user.email, "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="fr",
        follow=True,
    )
    assert response.status_code == 200
    assert client.cookies["django_language"].value == "en"
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "Sign out" in page


def test_a_french_account_is_french_even_from_an_english_browser(client):
    user = UserFactory(email="francophone@example.org", language="fr")
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True
    )
    assert client.cookies["django_language"].value == "fr"
    assert '<html lang="fr">' in response.content.decode()


def test_switching_language_while_signed_in_is_stored_and_comes_back(client):
    user = UserFactory(email="switcher@example.org", language="fr")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.post(reverse("web:set_language"), {"language": "en", "next": "/"})
    user.refresh_from_db()
    assert user.language == "en"

    client.logout()
    client.cookies.clear()
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True
    )
    assert '<html lang="en">' in response.content.decode()


def test_switching_language_anonymously_changes_no_account(client):
    client.post(reverse("web:set_language"), {"language": "en", "next": "/"})
    assert client.cookies["django_language"].value == "en"
    assert not User.objects.filter(language="en").exists()
