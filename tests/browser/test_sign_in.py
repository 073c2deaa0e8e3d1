"""Each persona signs in through the real form and lands on their own home page."""

import re

import pytest
from playwright.sync_api import Page, expect

from mentorat.organizations.models import Role
from tests.browser.axe import assert_accessible
from tests.browser.flows import sign_in
from tests.factories import PASSWORD, MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("persona", "totp", "heading"),
    [
        ("mentee", False, "En tant que mentoré·e"),
        ("mentor", False, "En tant que mentor·e"),
        ("coordinator_a", True, "En tant que coordinateur·rice"),
        ("admin_a", True, "En tant qu'administrateur·rice de l'organisation"),
        ("outsider", False, "Vous n'êtes pas encore membre d'une organisation"),
    ],
)
def test_persona_signs_in_and_sees_their_home(page: Page, cast, persona, totp, heading):
    user = cast.persona(persona)
    sign_in(page, user.email, totp=totp)
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=2, name=heading)).to_be_visible()
    assert_accessible(page)


def test_coordinator_without_two_factor_is_sent_to_set_it_up(page: Page, transactional_db):
    coordinator = UserFactory(email="new-coordinator@example.org")
    MembershipFactory(user=coordinator, organization=OrganizationFactory(), role=Role.COORDINATOR)
    sign_in(page, coordinator.email)
    # allauth asks for the password again before any change to the second factor, even
    # right after signing in.
    expect(page).to_have_url(
        re.compile(r"/accounts/reauthenticate/\?next=%2Faccounts%2F2fa%2Ftotp")
    )
    assert_accessible(page)
    form = page.locator("main form")
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]:not([form])").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    expect(page.locator("main input[name=code]")).to_be_visible()
    assert_accessible(page)
    # Every other page leads back there until the second factor is set up.
    page.goto("/organizations/")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/"))
