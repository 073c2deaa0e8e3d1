"""axe-core finds no serious or critical WCAG 2.1 A/AA violation on the foundation pages.

The sign-in scenarios check the login, two-factor and home pages of every persona; here are
the public pages and an organisation admin's pages."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.flows import sign_in

pytestmark = pytest.mark.browser

PUBLIC_PAGES = [
    "/",
    "/accounts/login/",
    "/accounts/signup/",
    "/legal/privacy/",
    "/legal/legal-notice/",
    "/legal/accessibility/",
]


def _check_all(page: Page, paths: list[str]) -> None:
    failures = []
    for path in paths:
        response = page.goto(path)
        assert response is not None
        assert response.status == 200, path
        try:
            assert_accessible(page)
        except AssertionError as error:
            failures.append(str(error))
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("locale", ["fr-FR", "en-GB"])
def test_public_pages_are_accessible(open_page, legal_pages, locale):
    page: Page = open_page(locale=locale)
    _check_all(page, PUBLIC_PAGES)
    expect(page.locator("html")).to_have_attribute("lang", locale[:2])


def test_organisation_admin_pages_are_accessible(page: Page, cast):
    slug = cast.org_a.slug
    sign_in(page, cast.admin_a.email, totp=True)
    invite_path = reverse("organizations:invite", kwargs={"slug": slug})

    # The invitation form, empty, with errors, then sent: it leaves an entry in the audit log.
    page.goto(invite_path)
    assert_accessible(page)
    form = page.locator("main form")
    form.locator("input[name=email]").fill("not-an-address")
    form.locator("button[type=submit]").click()
    expect(page.locator("main .errorlist")).to_be_visible()
    assert_accessible(page)
    form.locator("input[name=email]").fill("nouvelle-mentore@example.org")
    form.locator("select[name=role]").select_option("mentee")
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/organizations/{slug}/$"))
    expect(page.locator("main [role=status]")).to_contain_text("nouvelle-mentore@example.org")
    assert_accessible(page)

    _check_all(
        page,
        [
            reverse("organizations:list"),
            reverse("organizations:detail", kwargs={"slug": slug}),
            reverse("organizations:members", kwargs={"slug": slug}),
            reverse("organizations:members", kwargs={"slug": slug}) + "?q=zzz-nobody",
            reverse("audit:organization_log", kwargs={"slug": slug}),
        ],
    )
    expect(page.locator("main table")).to_contain_text("nouvelle-mentore@example.org")
