"""The public privacy notice ends with tables generated from the data map (the data
held, why, on which basis, how long, who sees them) and from the cookies set."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils.html import escape

from mentorat.accounts import devices
from mentorat.privacy.datamap import declarations
from mentorat.privacy.selectors import DEVICE_COOKIE_DAYS

pytestmark = pytest.mark.django_db


def _notice(client, kind: str = "privacy") -> str:
    client.cookies["django_language"] = "en"
    response = client.get(reverse("legal:page", kwargs={"kind": kind}))
    assert response.status_code == 200
    return response.content.decode()


def test_the_notice_shows_the_table_of_data_after_its_text(client):
    page = _notice(client)
    assert page.index("Mentorat processes your personal data") < page.index("The data we hold")
    for words in (
        "Sensitive data (GDPR Art. 9)",
        "Profile: field of study or sector",
        "date of birth",
        "Explicit consent (Art. 9.2.a)",
        "Matching mentors and mentees",
        "Participants&#x27; data: 3 years after the end of their last program",
        "Audit log entries: 1 year",
        "The other side of the pair",
    ):
        assert words in page


def test_every_declared_field_is_in_the_notice(client):
    page = _notice(client)
    for declaration in declarations():
        model = apps.get_model(declaration.model)
        for name in declaration.fields:
            words = str(model._meta.get_field(name).verbose_name)
            assert escape(words) in page, (declaration.model, name)


def test_the_notice_lists_every_cookie(client, settings):
    page = _notice(client)
    assert "The platform sets only the cookies it needs to work" in page
    for name in ("sessionid", "csrftoken", "django_language", "messages", "mentorat_device"):
        assert f"<code>{name}</code>" in page
    assert f"{settings.SESSION_COOKIE_AGE // 60} minutes without activity" in page
    assert "Recognises a browser where you have signed in before" in page
    assert "180 days" in page


def test_the_device_cookie_lasts_as_long_as_the_notice_says():
    assert timedelta(days=DEVICE_COOKIE_DAYS) == devices._MAX_AGE


def test_other_legal_pages_have_no_table(client):
    page = _notice(client, "legal-notice")
    assert "The data we hold" not in page
    assert "mentorat_device" not in page


def test_the_notice_is_read_in_few_queries(client, django_assert_max_num_queries):
    client.cookies["django_language"] = "en"
    with django_assert_max_num_queries(3):
        client.get(reverse("legal:page", kwargs={"kind": "privacy"}))
