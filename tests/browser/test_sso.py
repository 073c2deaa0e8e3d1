"""Single sign-on pages in the browser, checked with axe: the admin's configuration
pages and the sign-in page's "Sign in with your organisation" step."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.flows import sign_in

pytestmark = pytest.mark.browser


def test_an_admin_configures_an_entra_connection(page: Page, cast):
    slug = cast.org_a.slug
    sign_in(page, cast.admin_a.email, totp=True)
    page.goto(reverse("sso:settings", args=[slug]))
    assert_accessible(page)
    # Selectors by address and field name: the French wording is merged later.
    page.locator('main a[href$="?protocol=oidc"]').click()
    assert_accessible(page)
    page.locator("input[name=name]").fill("Université A")
    page.locator("input[name=preset][value=entra]").check()
    page.locator("input[name=tenant]").fill("univ-a.onmicrosoft.com")
    page.locator("input[name=client_id]").fill("11111111-2222")
    page.locator("input[name=client_secret]").fill("entra-secret-1234")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/sso/connections/\d+/domains/$"))
    assert_accessible(page)


def test_the_sign_in_page_leads_to_the_organisation_step(page: Page, transactional_db):
    page.goto(reverse("account_login"))
    page.locator('main a[href="/accounts/sso/"]').click()
    expect(page).to_have_url(re.compile(r"/accounts/sso/$"))
    assert_accessible(page)
    page.locator("main input[name=email]").fill("personne@nulle-part.test")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
