"""The accessibility check itself: it must see violations, and describe them readably."""

import pytest
from playwright.sync_api import Browser

from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.browser

BROKEN_PAGE = """<!DOCTYPE html><html lang="fr"><head><title>Cassée</title></head><body>
<main><h1>Page cassée</h1><img src="photo.png" id="no-alt">
<button id="empty-button"></button>
<p style="color: #ccc; background: #fff">Texte gris clair sur blanc</p></main></body></html>"""


def test_assert_accessible_reports_serious_and_critical_violations(browser: Browser):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content(BROKEN_PAGE)
        with pytest.raises(AssertionError) as failure:
            assert_accessible(page)
    finally:
        context.close()
    message = str(failure.value)
    assert "image-alt (critical)" in message
    assert "#no-alt" in message
    assert "button-name (critical)" in message
    assert "color-contrast (serious)" in message
    assert "https://dequeuniversity.com/rules/axe/4.14/image-alt" in message
