"""Phones: at 390 px wide no key page scrolls sideways, every one passes axe, and the menu
collapses behind a toggle that works from the keyboard (a <details>, so without JavaScript).

The personas and their key pages are those of the screenshots script (scripts/screenshots.py),
on the demo data set."""

import importlib.util
import re
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from mentorat.demo.loader import DEMO_PASSWORD, load_demo
from tests.browser.axe import assert_accessible
from tests.browser.flows import sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
# The deepest elements that reach past the screen's right edge (for the failure message).
_WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5
    && ![...e.children].some(c => c.getBoundingClientRect().right
      > document.documentElement.clientWidth + 0.5))
  .slice(0, 5)
  .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
    + ' ' + Math.round(e.getBoundingClientRect().right) + 'px')"""
_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "screenshots.py"


def _screenshots_module():
    spec = importlib.util.spec_from_file_location("mentorat_screenshots", _SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_every_key_page_fits_a_phone_and_passes_axe(open_page, transactional_db):
    load_demo()
    personas = _screenshots_module().key_pages()
    failures = []
    for persona in personas:
        page: Page = open_page(locale="en-GB")
        page.set_viewport_size(PHONE)
        # The report page draws its charts on a serial test server: slow on a busy machine.
        page.set_default_navigation_timeout(60_000)
        if persona.email:
            sign_in(page, persona.email, password=DEMO_PASSWORD, totp=persona.two_factor)
        for name, path in persona.pages:
            response = page.goto(path)
            assert response is not None
            if response.status != 200:
                failures.append(f"{name} ({path}): HTTP {response.status}")
                continue
            width = page.evaluate("() => document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                wide = page.evaluate(_WIDEST)
                failures.append(
                    f"{name} ({path}): {width} px wide at {PHONE['width']} px; too wide: {wide}"
                )
            try:
                assert_accessible(page)
            except AssertionError as error:
                failures.append(f"{name} ({path}): {error}")
        page.context.close()
    assert not failures, "\n".join(failures)


def test_the_phone_menu_opens_and_closes_from_the_keyboard(open_page, cast):
    page: Page = open_page()
    page.set_viewport_size(PHONE)
    sign_in(page, cast.mentor.email)
    toggle = page.locator("header details.menu > summary")
    menu = page.locator("header nav.main-nav")
    my_data = menu.locator(f"a[href='{reverse('privacy:my_data')}']")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_text("Menu")
    expect(my_data).to_be_hidden()

    # Tabbing from the skip link reaches the toggle; Enter opens the menu, Enter closes it.
    page.keyboard.press("Tab")
    for _ in range(3):
        if page.evaluate("() => document.activeElement.tagName") == "SUMMARY":
            break
        page.keyboard.press("Tab")
    expect(toggle).to_be_focused()
    page.keyboard.press("Enter")
    expect(my_data).to_be_visible()
    expect(page.locator("header details.menu")).to_have_attribute("open", "")
    assert_accessible(page)
    page.keyboard.press("Tab")
    expect(menu.get_by_role("link").first).to_be_focused()
    toggle.focus()
    page.keyboard.press("Enter")
    expect(my_data).to_be_hidden()

    # Open again with Space and follow a link with the keyboard.
    page.keyboard.press("Space")
    expect(my_data).to_be_visible()
    my_data.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(reverse("privacy:my_data")) + "$"))
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_wide_screen_menu_is_always_shown(page: Page, cast):
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, cast.mentor.email)
    expect(page.locator("header details.menu > summary")).to_be_hidden()
    expect(page.locator("header nav.main-nav a").first).to_be_visible()
