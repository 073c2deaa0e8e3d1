"""Issue 19: a mentor opens the module their program assigns, reads it, fails the quiz
(the explanations show), tries again and passes, and finds it completed on their home
page; then gets the training attestation, downloads the PDF and follows the verification
address it carries, signed out. On a 390 px phone, every page passing axe."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from mentorat.training.models import Requirement
from tests.applications.factories import ApplicationFactory
from tests.browser.axe import assert_accessible
from tests.programs.factories import EditionFactory, ProgramFactory
from tests.training.factories import make_module

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _signed_in(page: Page, user, base_url: str) -> None:
    """The mentor's session (the sign-in form has its own browser tests)."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


def _answer(page: Page, *, right: bool) -> None:
    """Q1 (one answer): "Oui" is right; Q2 (several): "A" and "C" are."""
    page.get_by_label("Oui" if right else "Non", exact=True).check()
    for choice in ("A", "C") if right else ("B",):
        page.get_by_label(choice, exact=True).check()
    page.get_by_role("button", name="Submit my answers").click()


def test_a_mentor_fails_then_passes_an_assigned_module(
    open_page, cast, live_server, settings, tmp_path
):
    settings.SITE_URL = live_server.url
    program = ProgramFactory(organization=cast.org_a, name="Premier emploi")
    edition = EditionFactory(program=program)
    ApplicationFactory(edition=edition, user=cast.mentor, role="mentor", status="accepted")
    module = make_module(cast.org_a, title="Écouter son binôme")
    program.training_assignments.create(
        module=module, audience="mentors", requirement=Requirement.BEFORE_MATCHING
    )

    cast.mentor.language = "en"  # the French catalogue gets these texts at the merge
    cast.mentor.save(update_fields=["language"])
    page = open_page(locale="en-GB")
    page.set_viewport_size(PHONE)
    _signed_in(page, cast.mentor, live_server.url)
    page.goto("/")
    home = page.locator("#home-training ~ ul")
    expect(home).to_contain_text("Required before matching")
    assert_accessible(page)

    home.get_by_role("link", name="Écouter son binôme").click()
    assert_accessible(page)
    page.get_by_role("link", name="Start the module").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Partie 1")
    assert_accessible(page)
    page.get_by_role("button", name="I have read this section: next").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Partie 2")
    page.get_by_role("button", name="I have read this section").click()
    expect(page).to_have_url(re.compile(r"/quiz/$"))
    assert_accessible(page)

    _answer(page, right=False)
    expect(page.locator("#attempt-score")).to_have_text("0 %")
    expect(page.get_by_role("status")).to_contain_text("Not passed yet")
    expect(page.locator(".explanation").first).to_contain_text("Oui, toujours.")
    assert_accessible(page)

    page.get_by_role("link", name="Try again").click()
    _answer(page, right=True)
    expect(page.locator("#attempt-score")).to_have_text("100 %")
    expect(page.get_by_role("status")).to_contain_text("the module is completed")
    assert_accessible(page)

    page.goto("/")
    card = page.locator("#home-training ~ ul li").filter(has_text="Écouter son binôme")
    expect(card).to_contain_text("Completed")
    expect(card.locator("progress")).to_have_attribute("value", "100")
    assert_accessible(page)

    # The attestation of the training, and its verification page.
    page.goto(reverse("recognition:my_engagement"))
    expect(page.locator("main")).to_contain_text("Écouter son binôme")
    form = page.locator("main form[action$='/my/attestations/new/']")
    form.locator("#id_kind").select_option("training")
    form.locator("#id_organization").select_option(str(cast.org_a.pk))
    form.locator("#id_language").select_option("en")
    form.locator("button[type=submit]").click()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.locator("main a[href$='/pdf/']").first.click()
    path = tmp_path / "attestation.pdf"
    download_info.value.save_as(path)
    text = " ".join(p.extract_text() for p in PdfReader(path).pages)
    assert "Attestation of completed training" in text
    assert "Écouter son binôme" in text
    address = re.search(r"(http://\S+/verify/[\w-]+/)", text)
    assert address is not None

    verifier = open_page(locale="en-GB")
    verifier.goto(address.group(1))
    expect(verifier.locator("#verdict")).to_contain_text(re.compile("Genuine|Authentique"))
    expect(verifier.locator("main")).not_to_contain_text(cast.mentor.email)
    assert_accessible(verifier)
