"""Consents, clicked through: a mentee gives a disability with its explicit consent on
their profile, then withdraws it; a pupil's guardian consents through their link, opens
it again and withdraws the consent. Every page is checked with axe."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from mentorat.accounts.models import User
from mentorat.applications.links import guardian_token
from mentorat.applications.models import ApplicationStatus
from mentorat.participants.models import Profile, SensitiveDataConsent
from tests.applications.factories import ApplicationFactory
from tests.browser.axe import assert_accessible
from tests.browser.flows import sign_in
from tests.factories import UserFactory
from tests.programs.factories import EditionFactory

pytestmark = pytest.mark.browser


def test_a_mentee_gives_then_withdraws_a_sensitive_consent(open_page, cast):
    User.objects.filter(pk=cast.mentee.pk).update(language="en")  # restored at sign-in
    page: Page = open_page(locale="en-GB")
    sign_in(page, cast.mentee.email)
    page.goto(reverse("participants:profile"))
    assert_accessible(page)
    form = page.locator("main form").first
    form.locator("input[name=priority_groups][value=disability]").check()
    form.locator("button[type=submit]").click()
    # Refused without the box, the error next to it.
    expect(page.locator("#id_consent_disability_error")).to_be_visible()
    assert_accessible(page)
    assert not SensitiveDataConsent.objects.exists()
    page.locator("input[name=consent_disability]").check()
    page.locator("main form").first.locator("button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Your consents to sensitive data")
    assert_accessible(page)
    assert Profile.objects.get(user=cast.mentee).priority_groups == ["disability"]

    page.get_by_role("button", name="Withdraw this consent").click()
    expect(page.locator("main")).to_contain_text("withdrawn on")
    assert_accessible(page)
    assert Profile.objects.get(user=cast.mentee).priority_groups == []


def test_a_guardian_consents_comes_back_and_withdraws(open_page, cast, mailoutbox):
    application = ApplicationFactory(
        edition=EditionFactory(program__organization=cast.org_a, program__name="Cap Avenir"),
        user=UserFactory(email="eleve@example.org", first_name="Léa", last_name="Martin"),
        status=ApplicationStatus.AWAITING_GUARDIAN_CONSENT,
        guardian_email="parent@example.org",
        is_minor=True,
        contact_through_platform_only=True,
    )
    link = reverse("applications:guardian_consent", kwargs={"token": guardian_token(application)})
    page: Page = open_page(locale="en-GB")
    page.goto(link)
    assert_accessible(page)
    form = page.locator("main form")
    form.locator("input[name=full_name]").fill("Marie Martin")
    form.locator("input[name=relationship][value=mother]").check()
    form.locator("input[name=consent]").check()
    form.locator("button[type=submit]").click()
    expect(page.locator("h1")).to_have_text(re.compile("Thank you"))

    page.goto(link)
    expect(page.locator("main")).to_contain_text("Marie Martin (mother)")
    assert_accessible(page)
    page.locator("input[name=confirm]").check()
    page.get_by_role("button", name="Withdraw my consent").click()
    expect(page.locator("main")).to_contain_text("Your consent is withdrawn.")
    assert_accessible(page)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUSPENDED
