"""An organisation admin sets the retention periods in the browser: a value out of bounds
is refused with an error naming the field, a good one is saved; every page passes axe,
and the form fits a 390 px wide screen."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from mentorat.accounts.models import User
from mentorat.privacy.retention.selectors import periods_for
from tests.browser.axe import assert_accessible
from tests.browser.flows import sign_in

pytestmark = pytest.mark.browser


def test_admin_sets_the_retention_periods(open_page, cast):
    User.objects.filter(pk=cast.admin_a.pk).update(language="en")  # restored at sign-in
    page: Page = open_page(locale="en-US")
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, cast.admin_a.email, totp=True)
    page.goto(reverse("organizations:detail", kwargs={"slug": cast.org_a.slug}))
    page.get_by_role("link", name="Retention periods").click()
    expect(page.get_by_role("heading", level=1, name="Retention periods")).to_be_visible()
    assert_accessible(page)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390

    form = page.locator("main form").first
    form.get_by_label("Audit log entries (months)").fill("3")
    form.get_by_role("button", name="Save the periods").click()
    error = page.get_by_text("Audit log entries: enter a number of months between 6 and 60.")
    expect(error).to_be_visible()
    assert_accessible(page)
    assert periods_for(organization=cast.org_a).is_default

    form = page.locator("main form").first
    form.get_by_label("Participants' data (years)").fill("5")
    form.get_by_label("Audit log entries (months)").fill("24")
    form.get_by_role("button", name="Save the periods").click()
    expect(page.get_by_text("Retention periods saved.")).to_be_visible()
    assert_accessible(page)
    periods = periods_for(organization=cast.org_a)
    assert (periods.participants_years, periods.audit_months) == (5, 24)
