import pytest
from django.urls import reverse

from mentorat.legal.models import LegalPageVersion
from mentorat.legal.services import publish_legal_page

pytestmark = pytest.mark.django_db


def test_every_legal_page_exists_after_installation(client):
    for kind in ("privacy", "legal-notice", "accessibility"):
        response = client.get(reverse("legal:page", kwargs={"kind": kind}))
        assert response.status_code == 200


def test_unknown_legal_page_is_404(client):
    assert client.get(reverse("legal:page", kwargs={"kind": "cookies"})).status_code == 404


def test_publishing_adds_a_version_and_keeps_the_old_one(client):
    publish_legal_page(
        kind="privacy",
        title_fr="Confidentialité v2",
        title_en="Privacy v2",
        body_fr="Nouveau texte.",
        body_en="New text.",
    )
    versions = list(
        LegalPageVersion.objects.filter(kind="privacy").values_list("version", flat=True)
    )
    assert versions == [2, 1]
    body = client.get(reverse("legal:page", kwargs={"kind": "privacy"})).content.decode()
    assert "Nouveau texte." in body
    assert "Version 2" in body


def test_platform_admin_publishes_from_the_admin(client_for, cast):
    client = client_for(cast.platform_admin)
    response = client.post(
        reverse("admin:legal_legalpageversion_add"),
        {
            "kind": "legal-notice",
            "title_fr": "Mentions",
            "title_en": "Notice",
            "body_fr": "Éditeur : Université A.",
            "body_en": "Publisher: Université A.",
        },
    )
    assert response.status_code == 302
    latest = LegalPageVersion.objects.filter(kind="legal-notice").first()
    assert latest.version == 2
    assert latest.published_by == cast.platform_admin
    # Published versions cannot be edited.
    old = LegalPageVersion.objects.get(kind="legal-notice", version=1)
    change = client.post(
        reverse("admin:legal_legalpageversion_change", args=[old.pk]),
        {"kind": "legal-notice", "title_fr": "X", "title_en": "X", "body_fr": "X", "body_en": "X"},
    )
    assert change.status_code == 403
    old.refresh_from_db()
    assert old.title_fr != "X"
