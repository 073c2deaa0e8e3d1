"""Acceptance: on the demo program, the coordinator runs the matching, opens an
explanation, swaps a pair and publishes; both sides get their email; the mentee confirms."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from mentorat.accounts.models import User
from mentorat.demo.loader import DEMO_PASSWORD, load_demo
from mentorat.matching.models import MatchRun, Proposal, RunStatus
from mentorat.mentorships.models import Mentorship, PairAnswer
from mentorat.programs.models import Program
from tests.browser.axe import assert_accessible
from tests.browser.flows import sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_coordinator_matches_swaps_publishes_and_mentee_confirms(
    open_page, transactional_db, mailoutbox
):
    load_demo()
    program = Program.objects.get(organization__slug="universite", kind="student_insertion")

    coordinator: Page = open_page()
    sign_in(coordinator, "coordination@universite.demo", password=DEMO_PASSWORD, totp=True)
    coordinator.goto(reverse("programs:manage", kwargs={"slug": program.slug}))
    coordinator.locator(f"main a[href='{reverse('matching:runs', args=[program.slug])}']").click()
    assert_accessible(coordinator)
    start = coordinator.locator(
        f"main form[action='{reverse('matching:run_start', args=[program.slug])}']"
    )
    edition = program.editions.get(name="Promotion 2026")
    start.locator("select[name=edition]").select_option(str(edition.pk))
    start.locator("button[type=submit]").click()
    expect(coordinator).to_have_url(re.compile(r"/manage/runs/\d+/$"))
    run = MatchRun.objects.get(pk=int(coordinator.url.rstrip("/").split("/")[-1]))
    assert run.status == RunStatus.SUCCEEDED
    expect(coordinator.locator("main")).to_contain_text(f"{run.summary['matched']} / ")
    assert_accessible(coordinator)

    # An unmatched mentee: the explanation says why, and which mentors are full.
    waiting = Proposal.objects.filter(run=run, mentor__isnull=True).first()
    assert waiting is not None
    coordinator.goto(reverse("matching:mentee", args=[program.slug, run.pk, waiting.mentee_id]))
    assert_accessible(coordinator)
    alternatives = coordinator.locator("main table").first
    expect(alternatives).to_contain_text("Mentor complet")
    alternatives.locator("a", has_text="Envisager").first.click()
    expect(coordinator.locator(".new-score")).to_be_visible()
    assert_accessible(coordinator)
    coordinator.locator("form[action$='/assign/'] button[type=submit]").click()
    expect(coordinator.locator(".messages")).to_be_visible()
    waiting.refresh_from_db()
    assert waiting.mentor_id is not None
    assert waiting.origin == "manual"

    coordinator.goto(reverse("matching:run", args=[program.slug, run.pk]))
    pairs = Proposal.objects.filter(run=run, mentor__isnull=False).count()
    coordinator.locator("main a.publish-link").click()  # the confirmation page, then confirm
    assert_accessible(coordinator)
    coordinator.locator(
        f"form[action='{reverse('matching:publish', args=[program.slug, run.pk])}'] button"
    ).click()
    expect(coordinator.locator(".messages")).to_be_visible()
    assert Mentorship.objects.filter(edition=run.edition).count() >= pairs

    pair = Mentorship.objects.get(edition=run.edition, mentee_application=waiting.mentee)
    introductions = [
        m for m in mailoutbox if reverse("matching:pair_answer", args=[pair.pk]) in m.body
    ]
    assert sorted(m.to[0] for m in introductions) == sorted([pair.mentee.email, pair.mentor.email])

    mentee: User = pair.mentee
    mentee.set_password(PASSWORD)
    mentee.save()
    page: Page = open_page()
    sign_in(page, mentee.email)
    page.goto(reverse("matching:pair_answer", args=[pair.pk]))
    assert_accessible(page)
    expect(page.locator("main")).to_contain_text(pair.mentor.display_name)
    page.locator("input[name=answer][value=confirmed]").check()
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".answer-state")).to_be_visible()
    pair.refresh_from_db()
    assert pair.mentee_answer == PairAnswer.CONFIRMED


def test_self_matching_on_the_demo_from_the_home_pages(open_page, transactional_db, mailoutbox):
    """The demo mentee who chooses finds her suggestions from her home page and asks a
    mentor; the demo mentor finds the request from his home page and accepts; he sets his
    number of mentees (a wrong number first); both coordinators' pages are accessible."""
    from mentorat.matching.models import MentorRequest, RequestStatus

    load_demo()
    nadia = User.objects.get(email="reconversion@formation.demo")
    mentee: Page = open_page()
    sign_in(mentee, nadia.email, password=DEMO_PASSWORD)
    mentee.locator("main a", has_text="Voir les mentors suggéré·es").click()
    expect(mentee.locator("h1")).to_have_text("Choisir un·e mentor·e")
    assert_accessible(mentee)
    # Thomas already has her request: no second button for him.
    expect(mentee.locator("main")).to_contain_text("Demande envoyée : en attente de la réponse")
    card = mentee.locator("li.card", has=mentee.locator("button[type=submit]")).first
    chosen = card.locator("h3").inner_text()
    card.locator("textarea").fill("Bonjour, votre expérience m'intéresse beaucoup.")
    card.locator("button[type=submit]").click()
    expect(mentee.locator(".messages")).to_contain_text("Demande envoyée")
    assert MentorRequest.objects.filter(
        mentee__user=nadia, mentor__user__first_name=chosen.split()[0], status="pending"
    ).exists()

    mentor: Page = open_page()
    sign_in(mentor, "mentor@banque.demo", password=DEMO_PASSWORD)
    mentor.locator("main a", has_text="Répondre aux demandes").click()
    assert_accessible(mentor)
    request_card = mentor.locator("li.card", has_text="Nadia Rahmani")
    request_card.locator("input[value=accept]").check()
    request_card.locator("button[type=submit]").click()
    expect(mentor.locator(".messages")).to_contain_text("Réponse envoyée")
    accepted = MentorRequest.objects.get(
        mentee__user=nadia, mentor__user__email="mentor@banque.demo"
    )
    assert accepted.status == RequestStatus.ACCEPTED
    assert Mentorship.objects.filter(
        mentee_application__user=nadia, mentor_application__user__email="mentor@banque.demo"
    ).exists()
    assert MentorRequest.objects.filter(
        mentee__user=nadia, status=RequestStatus.CANCELLED
    ).exists()  # her other request is withdrawn
    expect(mentor.locator("main")).to_contain_text("1 place restante")
    mentor.locator("main a", has_text="Modifier mon nombre de mentoré·es").click()
    assert_accessible(mentor)
    field = mentor.locator("input[name=capacity]")
    field.fill("0")
    mentor.locator("form.capacity-form button[type=submit]").click()
    expect(mentor.locator(".messages")).to_contain_text("Nombre de mentoré·es")
    assert_accessible(mentor)
    field = mentor.locator("input[name=capacity]")
    field.fill("3")
    mentor.locator("form.capacity-form button[type=submit]").click()
    expect(mentor.locator(".messages")).to_contain_text("3 mentoré·es au plus")

    career = Program.objects.get(kind="career_change")
    coordinator: Page = open_page()
    sign_in(coordinator, "coordination@formation.demo", password=DEMO_PASSWORD, totp=True)
    coordinator.goto(reverse("programs:manage", args=[career.slug]))
    coordinator.locator("main a", has_text="Demandes aux mentor·es").click()
    expect(coordinator.locator("main table")).to_contain_text("Expirée sans réponse")
    assert_accessible(coordinator)

    university: Page = open_page()
    sign_in(university, "coordination@universite.demo", password=DEMO_PASSWORD, totp=True)
    first_job = Program.objects.get(organization__slug="universite", kind="student_insertion")
    university.goto(reverse("matching:answers", args=[first_job.slug]))
    university.locator("main a", has_text="Les voir").click()
    expect(university.locator("main table .status-overdue").first).to_be_visible()
    assert_accessible(university)
