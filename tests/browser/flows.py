"""Steps shared by the browser scenarios; each checks the accessibility of the pages it
goes through."""

import re
import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_accessible
from tests.factories import PASSWORD, TOTP_SECRET


def current_totp_code(secret: str = TOTP_SECRET) -> str:
    # A code typed in the last second of its 30 s window may be checked in the next one.
    if 30 - time.time() % 30 < 2:
        time.sleep(2)
    return str(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))


def sign_in(page: Page, email: str, *, password: str = PASSWORD, totp: bool = False) -> None:
    """Sign in through the real form; with `totp`, also pass the two-factor step."""
    page.goto("/accounts/login/")
    assert_accessible(page)
    form = page.locator("main form")
    form.locator("input[name=login]").fill(email)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]:not([form])").click()
    if totp:
        expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
        assert_accessible(page)
        form = page.locator("main form")
        form.locator("input[name=code]").fill(current_totp_code())
        form.locator("button[type=submit]:not([form])").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/(login|2fa/authenticate)/"))
