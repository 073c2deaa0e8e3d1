"""Acceptance (issue 19, points 3–4): a mentor who completed a training module and
mentored a student opens their engagement page from their mentorships, gets an
attestation, downloads the PDF (text checked with pypdf), follows its verification
address signed out and reads that it is genuine; revoked by the coordinator, the same
page says so. Every page passes axe, on a phone too."""

import re

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from mentorat.accounts.models import User
from mentorat.recognition.models import Attestation
from tests.browser.axe import assert_accessible
from tests.recognition.factories import complete_module, mentor_world

pytestmark = pytest.mark.browser


def signed_in(page: Page, user: User, base_url: str) -> None:
    """The person's session in the browser (the sign-in form has its own tests)."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


def test_a_mentor_downloads_an_attestation_and_checks_it_is_genuine(
    open_page, live_server, settings, tmp_path, db
):
    settings.SITE_URL = live_server.url
    world = mentor_world()
    complete_module(world.mentor, "Écoute active", organization=world.organization)

    page: Page = open_page()
    page.set_viewport_size({"width": 390, "height": 844})
    signed_in(page, world.mentor, live_server.url)
    page.goto(reverse("mentorships:my_list"))
    page.get_by_role("link", name=re.compile("engagement", re.IGNORECASE)).click()
    expect(page.locator("#hours")).to_have_text("2,5")
    expect(page.locator("main")).to_contain_text("Écoute active")
    assert_accessible(page)

    form = page.locator("main form[action$='/my/attestations/new/']")
    form.locator("#id_kind").select_option("training")
    form.locator("#id_organization").select_option(str(world.organization.pk))
    form.locator("#id_language").select_option("en")
    form.locator("button[type=submit]").click()
    expect(page.locator("[role=status], .messages").first).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.locator("main a[href$='/pdf/']").first.click()
    path = tmp_path / "attestation.pdf"
    download_info.value.save_as(path)
    text = " ".join(p.extract_text() for p in PdfReader(path).pages)
    assert "Attestation of completed training" in text
    assert "Claire Martin" in re.sub(r"\s+", " ", text)
    assert "Écoute active" in text
    url = re.search(r"(http://\S+/verify/[\w-]+/)", text)
    assert url is not None

    # Anyone holding the document checks it, signed out.
    verifier: Page = open_page(locale="en-US")
    verifier.goto(url.group(1))
    expect(verifier.locator("#verdict")).to_contain_text(re.compile("Genuine|Authentique"))
    expect(verifier.locator("main")).to_contain_text("Claire Martin")
    expect(verifier.locator("main")).not_to_contain_text(world.mentor.email)
    assert_accessible(verifier)

    # The coordinator revokes it; the same address now says so.
    attestation = Attestation.objects.get(holder=world.mentor)
    coordinator: Page = open_page()
    signed_in(coordinator, world.coordinator, live_server.url)
    coordinator.goto(reverse("recognition:engagement", args=[world.mentor.pk]))
    assert_accessible(coordinator)
    coordinator.locator(
        f"main form[action$='/attestations/{attestation.public_id}/revoke/'] button"
    ).click()
    verifier.goto(url.group(1))
    expect(verifier.locator("#verdict")).to_contain_text(re.compile("Revoked|Révoquée"))
    assert_accessible(verifier)
