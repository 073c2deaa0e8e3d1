import json
from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_reports_database_down(client):
    with mock.patch("mentorat.web.views.connection.cursor", side_effect=OperationalError):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["database"] == "unavailable"


def test_landing_page_is_french_by_default(client):
    body = client.get("/").content.decode()  # no cookie, no Accept-Language: French
    assert '<html lang="fr">' in body
    assert '<h1 id="hero-title">Chaque étudiant·e a droit à un·e mentor·e</h1>' in body


def test_language_switch_to_english_and_back(client_for, cast):
    client = client_for(cast.mentee)
    client.post(reverse("web:set_language"), {"language": "en", "next": "/"})
    body = client.get("/").content.decode()
    assert '<html lang="en">' in body
    assert "As mentee" in body
    cast.mentee.refresh_from_db()
    assert cast.mentee.language == "en"
    client.post(reverse("web:set_language"), {"language": "fr", "next": "/"})
    assert '<html lang="fr">' in client.get("/").content.decode()


@pytest.mark.parametrize(
    ("persona", "expected", "absent"),
    [
        ("mentee", "En tant que mentoré", "En tant que coordinat"),
        ("mentor", "En tant que mentor", "En tant que mentoré"),
        ("coordinator_a", "En tant que coordinat", "En tant que mentor"),
        ("admin_a", "administrat", "En tant que mentoré"),
        ("outsider", "pas encore membre", "En tant que"),
    ],
)
def test_home_page_shows_one_section_per_role(client_for, cast, persona, expected, absent):
    body = client_for(cast.persona(persona)).get("/").content.decode()
    assert expected in body
    assert absent not in body


def test_pages_have_landmarks_and_skip_link(client):
    body = client.get("/").content.decode()
    assert 'href="#main"' in body
    for landmark in ('<header class="site-header" role="banner">', '<main id="main"', "<footer"):
        assert landmark in body
    assert reverse("legal:page", kwargs={"kind": "privacy"}) in body
    assert reverse("legal:page", kwargs={"kind": "accessibility"}) in body
