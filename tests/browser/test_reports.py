"""axe-core finds no serious or critical WCAG 2.1 A/AA violation on the reports, with
figures, hidden small groups, filters and charts on the page."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.flows import sign_in
from tests.reports.dataset import build, objectives

pytestmark = pytest.mark.browser


def test_program_report_is_accessible(page: Page, cast):
    dataset = build(cast.org_a)
    objectives(dataset.program)
    sign_in(page, cast.coordinator_a.email, totp=True)
    page.goto(reverse("reports:program", kwargs={"slug": dataset.program.slug}))
    expect(page.locator("h1")).to_contain_text("Programme rapport")
    assert_accessible(page)
    # The charts are images served beside the page, each followed by its table.
    charts = page.locator(".report-chart img")
    assert charts.count() >= 3
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        expect(chart).to_have_js_property("complete", True)
        assert chart.evaluate("img => img.naturalWidth") > 0

    # Filtering by a domain with nobody in it: the page still makes sense to axe.
    page.select_option("#id_rome_domain", "F")
    page.locator("form.report-filters button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"rome_domain=F"))
    assert_accessible(page)


def test_organisation_report_is_accessible(page: Page, cast):
    build(cast.org_a)
    sign_in(page, cast.admin_a.email, totp=True)
    page.goto(reverse("reports:organization", kwargs={"slug": cast.org_a.slug}))
    expect(page.locator("h1")).to_contain_text(cast.org_a.name)
    assert_accessible(page)
