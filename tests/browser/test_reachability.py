"""Clicking through, not typing addresses: "My account" from the menu to the two-factor
settings, and an organisation admin changing a member's roles then removing them, with
axe on every page."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from mentorat.organizations.models import Membership, Role
from tests.browser.axe import assert_accessible
from tests.browser.flows import sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("locale", ["fr-FR", "en-GB"])
def test_coordinator_finds_two_factor_settings_from_the_menu(open_page, cast, locale):
    page: Page = open_page(locale=locale)
    sign_in(page, cast.coordinator_a.email, totp=True)
    page.locator(f"header nav a[href='{reverse('web:account')}']").click()
    expect(page).to_have_url(re.compile(r"/account/$"))
    assert_accessible(page)
    page.locator(f"main a[href='{reverse('mfa_index')}']").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/"))
    assert_accessible(page)


def test_admin_changes_roles_then_removes_a_member(page: Page, cast):
    slug = cast.org_a.slug
    sign_in(page, cast.admin_a.email, totp=True)
    page.goto(reverse("organizations:detail", kwargs={"slug": slug}))
    page.locator(f"main a[href='{reverse('organizations:members', args=[slug])}']").first.click()
    assert_accessible(page)

    edit = reverse("organizations:member_edit", args=[slug, cast.mentor.pk])
    page.locator(f"main a[href='{edit}']").click()
    assert_accessible(page)
    page.locator("main form input[value=coordinator]").check()
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/organizations/{slug}/members/$"))
    assert set(
        Membership.objects.filter(user=cast.mentor, organization=cast.org_a).values_list(
            "role", flat=True
        )
    ) == {Role.MENTOR, Role.COORDINATOR}

    remove = reverse("organizations:member_remove", args=[slug, cast.mentor.pk])
    page.locator(f"main a[href='{remove}']").click()
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main [role=status]")).to_be_visible()
    assert_accessible(page)
    assert not Membership.objects.filter(user=cast.mentor, organization=cast.org_a).exists()
