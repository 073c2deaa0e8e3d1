"""Acceptance (issue 20, points 1–2): a company signs up, the platform admin approves it,
it proposes a partnership to a lycée, the lycée accepts, and both sign an agreement with
commitments. Every page passes axe."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from mentorat.organizations.models import Organization, Role
from tests.browser.axe import assert_accessible
from tests.browser.flows import sign_in
from tests.factories import MembershipFactory, UserFactory, with_totp

pytestmark = pytest.mark.browser


def _submit(page: Page) -> None:
    page.locator("main form[method=post] button[type=submit]").first.click()


def test_company_signs_up_is_approved_and_signs_an_agreement_with_a_lycee(open_page, cast):
    founder = with_totp(UserFactory(email="rh@nexalis.example"))
    lycee_admin = with_totp(UserFactory(email="proviseure@lycee-b.example"))
    MembershipFactory(user=lycee_admin, organization=cast.org_b, role=Role.ADMIN)

    # The company signs up.
    page: Page = open_page()
    sign_in(page, founder.email, totp=True)
    page.goto(reverse("organizations:list"))
    page.get_by_role("link", name=re.compile("Enregistrer|Register")).click()
    assert_accessible(page)
    page.locator("#id_name").fill("Nexalis")
    page.locator("#id_kind").select_option("company")
    page.locator("#id_siret").fill("732 829 320 00074")
    page.locator("#id_address").fill("12 rue de la République")
    page.locator("#id_city").fill("Lyon")
    _submit(page)
    expect(page.locator("main [role=status]").first).to_be_visible()
    assert_accessible(page)
    nexalis = Organization.objects.get(name="Nexalis")
    assert nexalis.approval_status == "pending"

    # The platform admin approves it.
    admin_page: Page = open_page()
    sign_in(admin_page, cast.platform_admin.email, totp=True)
    admin_page.goto("/")
    admin_page.get_by_role("link", name="Nexalis").first.click()
    expect(admin_page).to_have_url(re.compile(r"/review/"))
    assert_accessible(admin_page)
    admin_page.locator("input[name=decision][value=approve]").check()
    _submit(admin_page)
    nexalis.refresh_from_db()
    assert nexalis.approval_status == "approved"

    # The company proposes a partnership to the lycée.
    page.goto(reverse("organizations:detail", args=[nexalis.slug]))
    page.get_by_role(
        "link", name=re.compile("Partenariats, conventions|Partnerships, agreements")
    ).click()
    page.get_by_role("link", name=re.compile("Trouver|Find")).click()
    page.locator("#id_q").fill("Lycée")
    page.locator("main form[role=search] button").click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Lycée B")).click()
    page.locator("#id_kind").select_option("mentor_commitment")
    page.locator("#id_message").fill("Nos ingénieur·es mentorent vos élèves.")
    _submit(page)
    expect(page).to_have_url(re.compile(r"/partnerships/\d+/$"))
    detail = page.url

    # The lycée accepts.
    lycee_page: Page = open_page()
    sign_in(lycee_page, lycee_admin.email, totp=True)
    lycee_page.goto(detail)
    assert_accessible(lycee_page)
    lycee_page.locator("main form[action$='/accept/'] button").click()

    # The company writes the agreement with commitments and signs; the lycée signs.
    page.goto(detail)
    page.get_by_role("link", name=re.compile("Nouvelle convention|New agreement")).click()
    assert_accessible(page)
    page.locator("#id_school_year").fill("2026")
    page.locator(f"#id_c_{nexalis.pk}_mentors").fill("20")
    page.locator(f"#id_c_{nexalis.pk}_internships").fill("4")
    page.locator(f"#id_c_{cast.org_b.pk}_mentees").fill("20")
    page.locator("#id_terms").fill("Trois rencontres par trimestre.")
    _submit(page)
    for signer, name, role in (
        (page, "Marc Dubois", "DRH"),
        (lycee_page, "Claire Martin", "Proviseure"),
    ):
        signer.goto(detail)
        signer.get_by_role("link", name=re.compile("Signer|Sign for")).click()
        assert_accessible(signer)
        signer.locator("#id_signatory_name").fill(name)
        signer.locator("#id_signatory_role").fill(role)
        _submit(signer)
    page.goto(detail)
    expect(page.locator("main")).to_contain_text("Claire Martin")
    expect(page.locator("main")).to_contain_text("Marc Dubois")
    expect(page.locator("main .badge-success").first).to_be_visible()
    assert_accessible(page)
