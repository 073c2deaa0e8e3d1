"""Error pages in production (DEBUG off): translated, in the site's layout, never
Django's English debug or plain pages. French texts are compared with the catalog's
translation (the same gettext call under the same language), so the tests hold before
and after new translations are merged."""

import pytest
from django.test import Client
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.errors.urls"


def _client(language: str, **kwargs) -> Client:
    client = Client(raise_request_exception=False, **kwargs)
    client.cookies["django_language"] = language
    return client


def _in(language: str, text: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_404_is_translated_in_the_layout(language):
    response = _client(language).get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert '<main id="main"' in page
    assert 'role="banner"' in page
    assert 'role="contentinfo"' in page
    assert _in(language, "Page not found") in page
    assert "Not Found</h1>" not in page  # Django's plain page


def test_404_in_english_says_it_in_english():
    page = _client("en").get("/no-such-page/").content.decode()
    assert "Page not found" in page
    assert "Back to my home page" in page


def test_404_for_another_organisation_uses_the_layout_for_a_signed_in_person(cast):
    client = _client("en")
    client.force_login(cast.coordinator_a)
    response = client.get(f"/organizations/{cast.org_b.slug}/audit/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert "Sign out" in page  # the signed-in menu of the layout


@pytest.mark.parametrize("language", ["fr", "en"])
def test_403_is_translated_in_the_layout(cast, language):
    client = _client(language)
    client.force_login(cast.mentor)
    # A mentor of A is a member without the right to read A's audit log.
    response = client.get(f"/organizations/{cast.org_a.slug}/audit/")
    assert response.status_code == 403
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert '<main id="main"' in page
    assert _in(language, "Access denied") in page


@pytest.mark.parametrize("language", ["fr", "en"])
def test_500_is_translated_in_the_layout_without_the_request(language):
    response = _client(language).get("/broken/")
    assert response.status_code == 500
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert '<main id="main"' in page
    assert 'role="banner"' in page
    assert _in(language, "Server error") in page
    assert "Server Error (500)" not in page
    assert "boom" not in page
    assert "Traceback" not in page


def test_500_in_english_says_it_in_english():
    page = _client("en").get("/broken/").content.decode()
    assert "Something went wrong on our side" in page


@pytest.mark.parametrize("language", ["fr", "en"])
def test_csrf_failure_is_translated_in_the_layout(language):
    client = _client(language, enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": "a@example.org", "password": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert _in(language, "Form expired") in page
    assert "CSRF verification failed" not in page


def test_400_is_translated_in_the_layout():
    response = _client("en").get("/", HTTP_HOST="not-our-site.example")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Request not understood" in page
    assert '<main id="main"' in page
