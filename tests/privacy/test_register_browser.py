"""An organisation admin opens the processing register from the organisation page,
reads it on a 390 px wide screen and downloads it as CSV; every page passes axe."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from mentorat.accounts.models import User
from tests.browser.axe import assert_accessible
from tests.browser.flows import sign_in

pytestmark = pytest.mark.browser


def test_admin_reads_and_downloads_the_register(open_page, cast):
    User.objects.filter(pk=cast.admin_a.pk).update(language="en")  # restored at sign-in
    page: Page = open_page(locale="en-US")
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, cast.admin_a.email, totp=True)
    page.goto(reverse("organizations:detail", kwargs={"slug": cast.org_a.slug}))
    register_path = reverse("privacy:register", kwargs={"slug": cast.org_a.slug})
    page.locator(f"main a[href='{register_path}']").click()

    expect(page.get_by_role("heading", level=1, name="Processing register")).to_be_visible()
    expect(
        page.get_by_role("heading", level=2, name="Matching mentors and mentees")
    ).to_be_visible()
    assert_accessible(page)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390

    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert content.startswith("Purpose,Controller,")
    assert "Université A" in content
    assert "date of birth" in content
