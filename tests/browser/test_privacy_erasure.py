"""Erasure in the browser (issue 16): a mentee asks for the erasure of their data from
their page, an admin of their organisation sees the request with its deadline and
confirms it, and the person can no longer sign in."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from mentorat.accounts.models import User
from mentorat.privacy.erasure.models import ErasureRequest, ErasureStatus
from tests.browser.axe import assert_accessible
from tests.browser.flows import sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_person_asks_admin_confirms_person_can_no_longer_sign_in(open_page, cast, mailoutbox):
    address = cast.mentee.email
    # The account's language is restored at sign-in.
    User.objects.filter(pk__in=[cast.mentee.pk, cast.admin_a.pk]).update(language="en")

    person: Page = open_page(locale="en-US")
    sign_in(person, address)
    person.goto(reverse("privacy:erasure_request"))
    assert_accessible(person)
    expect(person.get_by_role("heading", level=2, name="What erasure does")).to_be_visible()
    form = person.locator("main form")
    form.get_by_label("I understand").check()
    form.get_by_label("Your password").fill(PASSWORD)
    form.get_by_role("button", name="Ask for the erasure of my data").click()
    expect(person.get_by_role("heading", name="Your request is pending")).to_be_visible()
    assert_accessible(person)
    erasure_request = ErasureRequest.objects.get(person=cast.mentee)
    assert [m.to for m in mailoutbox] == [[cast.admin_a.email]]

    admin: Page = open_page(locale="en-US")
    sign_in(admin, cast.admin_a.email, totp=True)
    admin.goto(reverse("privacy:erasure_requests", kwargs={"slug": cast.org_a.slug}))
    assert_accessible(admin)
    admin.get_by_role("link", name=cast.mentee.display_name).click()
    expect(admin.get_by_role("heading", level=1, name="Erasure request")).to_be_visible()
    assert_accessible(admin)
    admin.get_by_role("button", name="Confirm and erase").click()
    expect(admin.get_by_text("The request is confirmed")).to_be_visible()
    assert_accessible(admin)

    erasure_request.refresh_from_db()
    assert erasure_request.status == ErasureStatus.CONFIRMED
    assert not User.objects.get(pk=cast.mentee.pk).is_active
    # Signed out everywhere, and the old address and password no longer open anything.
    person.goto(reverse("privacy:erasure_request"))
    expect(person).to_have_url(re.compile(r"/accounts/login/"))
    form = person.locator("main form")
    form.locator("input[name=login]").fill(address)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]:not([form])").click()
    expect(person).to_have_url(re.compile(r"/accounts/login/"))
    assert_accessible(person)
