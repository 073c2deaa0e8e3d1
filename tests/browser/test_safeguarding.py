"""Protection of minors (issue 16, point 6): a coordinator opens the program, goes to the
edition's safeguarding checks, records a mentor's check through the form (keyboard and
mouse, at 390 px wide) and sees it valid; the next run gives the pupil that mentor. Every
page passes axe."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from mentorat.applications.models import Application
from mentorat.matching.parameters import RunParameters
from mentorat.matching.services import runs
from mentorat.safeguarding.models import SafeguardingCheck
from tests.browser.axe import assert_accessible
from tests.browser.flows import sign_in
from tests.matching.factories import cohort

pytestmark = pytest.mark.browser


def test_coordinator_records_a_check_and_the_pupil_gets_the_mentor(open_page, cast):
    c = cohort(cast.org_a, mentees=1, mentors=1)
    Application.objects.filter(pk=c.mentees[0].pk).update(is_minor=True)
    cast.coordinator_a.language = "en"
    cast.coordinator_a.save(update_fields=["language"])

    page: Page = open_page(locale="en-GB")
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, cast.coordinator_a.email, totp=True)
    page.goto(reverse("programs:manage", args=[c.program.slug]))
    page.get_by_role("link", name=re.compile("Mentors' safeguarding checks")).click()
    expect(page.locator("main h1")).to_contain_text("Safeguarding checks of the mentors")
    expect(page.locator("main table")).to_contain_text("Not recorded")
    assert_accessible(page)

    page.locator("main table").get_by_role("link", name=re.compile("Record a check")).click()
    expect(page.locator("main")).to_contain_text("never stores the document itself")
    assert_accessible(page)
    page.get_by_label(re.compile("Criminal record extract")).check()
    page.get_by_label("Date of the check").fill("2026-01-05")
    page.get_by_label(re.compile("I have seen the document")).focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Record the check").click()
    expect(page.locator(".messages")).to_contain_text("Safeguarding check recorded.")
    expect(page.locator("main table")).to_contain_text("Valid")
    assert_accessible(page)
    check = SafeguardingCheck.objects.get()
    assert check.mentor_id == c.mentors[0].user_id

    run, _created = runs.start_run(
        edition=c.edition,
        parameters=RunParameters(hard_rules=("different_organizations",)),
        actor=cast.coordinator_a,
    )
    runs.execute_run(run_id=run.pk)
    assert run.proposals.get().mentor_id == c.mentors[0].pk
