"""French by default, English on request; the skip link works from the keyboard."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.browser


def test_french_by_default_then_english_and_back(open_page, transactional_db):
    # A browser asking for a language we do not offer gets the default one.
    page: Page = open_page(locale="de-DE")
    page.goto("/")
    html, heading = page.locator("html"), page.get_by_role("heading", level=1)
    expect(html).to_have_attribute("lang", "fr")
    expect(heading).to_have_text("Chaque étudiant·e a droit à un·e mentor·e")

    page.get_by_role("button", name="English").click()
    expect(html).to_have_attribute("lang", "en")
    expect(heading).to_have_text("Every student has the right to a mentor")
    assert_accessible(page)

    page.get_by_role("button", name="Français").click()
    expect(html).to_have_attribute("lang", "fr")
    expect(heading).to_have_text("Chaque étudiant·e a droit à un·e mentor·e")
    assert_accessible(page)


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page: Page, transactional_db):
    page.goto("/")
    page.keyboard.press("Tab")
    skip_link = page.locator(":focus")
    expect(skip_link).to_have_attribute("href", "#main")
    expect(skip_link).to_have_text("Aller au contenu principal")
    box = skip_link.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["y"] >= 0, "the focused skip link must be on screen"
    assert_accessible(page)

    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    # The next Tab continues from the main content, not from the header.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")
