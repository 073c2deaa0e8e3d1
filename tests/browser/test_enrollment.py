"""A mentee applies to a program (answering a custom question), the coordinator accepts
them, and the mentee receives the acceptance email."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from mentorat.applications.models import Application, ApplicationStatus
from tests.browser.axe import assert_accessible
from tests.browser.flows import sign_in
from tests.programs.factories import CharterFactory, EditionFactory, QuestionFactory

pytestmark = pytest.mark.browser


def test_mentee_applies_and_coordinator_accepts(open_page, cast, mailoutbox):
    edition = EditionFactory(
        program__organization=cast.org_a, program__slug="insertion", program__name="Insertion"
    )
    program = edition.program
    CharterFactory(program=program)
    question = QuestionFactory(
        program=program, label="Quel métier visez-vous ?", role="mentee", required=True
    )

    mentee_page: Page = open_page()
    sign_in(mentee_page, cast.mentee.email)
    mentee_page.goto(reverse("programs:public_detail", kwargs={"slug": program.slug}))
    assert_accessible(mentee_page)
    apply_path = reverse("applications:apply", kwargs={"slug": program.slug, "role": "mentee"})
    mentee_page.locator(f"main a[href='{apply_path}']").click()
    assert_accessible(mentee_page)
    form = mentee_page.locator("main form")
    form.locator("input[name=birth_date]").fill("2002-05-17")
    form.locator(f"input[name=q_{question.pk}]").fill("Développeuse web")
    form.locator("input[name=charter_accepted]").check()
    form.locator("button[type=submit]").click()
    expect(mentee_page).to_have_url(re.compile(r"/my/applications/\d+/$"))
    expect(mentee_page.locator("main")).to_contain_text("Développeuse web")
    assert_accessible(mentee_page)
    application = Application.objects.get(user=cast.mentee)
    assert application.status == ApplicationStatus.SUBMITTED

    coordinator_page: Page = open_page()
    sign_in(coordinator_page, cast.coordinator_a.email, totp=True)
    coordinator_page.goto(reverse("applications:list", kwargs={"slug": program.slug}))
    assert_accessible(coordinator_page)
    review_path = reverse(
        "applications:review", kwargs={"slug": program.slug, "pk": application.pk}
    )
    coordinator_page.locator(f"main a[href='{review_path}']").click()
    assert_accessible(coordinator_page)
    decide = coordinator_page.locator("main form").last
    decide.locator("input[name=decision][value=accept]").check()
    decide.locator("button[type=submit]").click()
    expect(coordinator_page).to_have_url(re.compile(r"/manage/applications/$"))

    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    decision_mails = [
        m for m in mailoutbox if "Insertion" in m.subject and m.to == [cast.mentee.email]
    ]
    assert len(decision_mails) == 2  # received, then accepted
    accepted = decision_mails[-1]
    assert "Bonjour," in accepted.body  # the mentee's language is French
    assert reverse("applications:my_detail", kwargs={"pk": application.pk}) in accepted.body
