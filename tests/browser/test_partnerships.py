"""Acceptance (issue 20): a company signs up, the platform admin approves it, it proposes
a partnership to a lycée, the lycée accepts, and both sign an agreement with commitments;
the company posts an internship, a pupil of the lycée applies (the company's contact is
emailed and sees the candidacy to answer), her mentor recommends her, the company accepts
her (she is emailed, through a real SMTP server) and records it as her outcome, which the
partnership report shows. Every page passes axe."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from mentorat.mentorships.models import Situation
from mentorat.opportunities.models import Candidacy
from mentorat.organizations.models import Organization, Role
from tests.browser.axe import assert_accessible
from tests.browser.flows import sign_in
from tests.factories import MembershipFactory, UserFactory, with_totp
from tests.mentorships.factories import MentorshipFactory, RunningEditionFactory
from tests.notifications.smtp import SmtpSink, use_smtp
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.browser


def _submit(page: Page) -> None:
    page.locator("main form[method=post] button[type=submit]").first.click()


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP server capturing what the platform sends."""
    with SmtpSink() as sink:
        use_smtp(settings, sink.port)
        yield sink


def test_company_signs_up_is_approved_and_signs_an_agreement_with_a_lycee(
    open_page, cast, smtp_sink
):
    founder = with_totp(UserFactory(email="rh@nexalis.example"))
    lycee_admin = with_totp(UserFactory(email="proviseure@lycee-b.example"))
    MembershipFactory(user=lycee_admin, organization=cast.org_b, role=Role.ADMIN)
    # A pupil of the lycée and her mentor, a pair in the lycée's program.
    pupil = UserFactory(email="ines@lycee-b.example", first_name="Inès", last_name="Amrani")
    MembershipFactory(user=pupil, organization=cast.org_b, role=Role.MENTEE)
    mentor = UserFactory(email="marc@lycee-b.example", first_name="Marc", last_name="Roux")
    MembershipFactory(user=mentor, organization=cast.org_b, role=Role.MENTOR)
    MentorshipFactory(
        edition=RunningEditionFactory(program=ProgramFactory(organization=cast.org_b)),
        mentor=mentor,
        mentee=pupil,
    )

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

    # The company posts an internship for the lycée's pupils and publishes it.
    page.goto(reverse("opportunities:organization_list", args=[nexalis.slug]))
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Publier une offre|Post an opportunity")).click()
    assert_accessible(page)
    page.locator("#id_kind").select_option("internship")
    page.locator("#id_title").fill("Stage assistant·e de maintenance")
    page.locator("#id_place").fill("Lyon 7e")
    page.locator("#id_rome_domain").select_option("I")
    deadline = timezone.localdate() + timedelta(days=20)
    page.locator("#id_deadline").fill(deadline.isoformat())
    page.locator("#id_description").fill("Six semaines en **atelier**.")
    page.locator("#id_audience_organizations").get_by_label("Lycée B").check()
    _submit(page)
    expect(page).to_have_url(re.compile(r"/opportunities/\d+/$"))
    page.locator("main form[action$='/publish/'] button").click()
    expect(page.locator("main .badge.status-published")).to_be_visible()
    assert_accessible(page)

    # The pupil finds it on the board and applies.
    pupil_page: Page = open_page()
    sign_in(pupil_page, pupil.email)
    pupil_page.goto(reverse("opportunities:list"))
    assert_accessible(pupil_page)
    pupil_page.get_by_role("link", name="Stage assistant·e de maintenance").click()
    expect(pupil_page.locator("main strong", has_text="atelier")).to_be_visible()
    assert_accessible(pupil_page)
    pupil_page.get_by_role("link", name=re.compile("intéressée?|I am interested")).click()
    pupil_page.locator("#id_message").fill("La maintenance industrielle me passionne.")
    _submit(pupil_page)
    expect(pupil_page).to_have_url(re.compile(r"/opportunities/candidacies/\d+/$"))
    assert_accessible(pupil_page)
    candidacy = Candidacy.objects.get()
    # The company's contact (who posted it) is emailed; the lycée's staff are not.
    path = reverse("opportunities:candidacy", args=[candidacy.pk])

    def about_it(address: str) -> list[str]:
        texts = (m.get_body(("plain",)).get_content() for m in smtp_sink.messages_to(address))
        return [text for text in texts if path in text]

    assert len(about_it(founder.email)) == 1
    assert not about_it(lycee_admin.email)

    # Her mentor recommends her in one click.
    mentor_page: Page = open_page()
    sign_in(mentor_page, mentor.email)
    mentor_page.goto(reverse("opportunities:list"))
    mentor_page.get_by_role("link", name=re.compile("Stage assistant·e de maintenance")).click()
    mentor_page.locator("main form[action$='/recommend/'] button").click()
    expect(mentor_page.locator("main")).to_contain_text("Marc Roux")
    assert_accessible(mentor_page)

    # The company sees the recommendation, accepts her and records her outcome.
    page.goto(reverse("opportunities:candidates", args=[candidacy.opportunity_id]))
    expect(page.locator("main table")).to_contain_text(re.compile("Recommandé|Recommended"))
    expect(page.locator("main [data-figure=awaiting]")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Inès Amrani").click()
    page.locator("main button[name=decision][value=accept]").click()
    expect(page.locator("main form[action$='/outcome/']")).to_be_visible()
    assert_accessible(page)
    page.locator("main form[action$='/outcome/'] button").click()
    expect(page.locator("main form[action$='/outcome/']")).to_have_count(0)
    candidacy.refresh_from_db()
    assert candidacy.status == "accepted"
    assert candidacy.outcome is not None
    told = smtp_sink.messages_to(pupil.email)
    assert told, "the pupil was told she was accepted"
    assert (
        reverse("opportunities:candidacy", args=[candidacy.pk])
        in told[-1].get_body(("plain",)).get_content()
    )

    # The outcome appears in the partnership's report, which both sides can read.
    for reader in (page, lycee_page):
        reader.goto(detail)
        reader.get_by_role(
            "link", name=re.compile("Bilan du partenariat|Partnership report")
        ).click()
        main = reader.locator("main")
        expect(main).to_contain_text("Nexalis")
        with translation.override("fr"):
            internship = str(Situation.INTERNSHIP.label)
        expect(main.locator("li", has_text=internship)).to_contain_text("< 5")
        assert_accessible(reader)
