"""The 404 page in the site's layout, in French and in English, with no axe violation.
(The live server runs with DEBUG off, as in production.)"""

import re

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("locale", "language"), [("fr-FR", "fr"), ("en-GB", "en")])
def test_404_page_is_translated_in_the_layout(open_page, transactional_db, locale, language):
    page: Page = open_page(locale=locale)
    response = page.goto("/this-page-does-not-exist/")
    assert response is not None
    assert response.status == 404
    expect(page.locator("html")).to_have_attribute("lang", language)
    with translation.override(language):
        title = translation.gettext("Page not found")
        home = translation.gettext("Back to my home page")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("banner")).to_be_visible()
    expect(page.get_by_role("contentinfo")).to_be_visible()
    expect(page.locator("main#main")).to_contain_text(title)
    assert_accessible(page)

    page.get_by_role("link", name=home).click()
    expect(page).to_have_url(re.compile(r"^https?://[^/]+/$"))
