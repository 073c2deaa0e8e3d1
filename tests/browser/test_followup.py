"""Follow-up of a pair in the browser: the mentor proposes a meeting, the mentee accepts
it, the mentor logs the session, and the coordinator sees the pair move from "to watch"
(*à surveiller*) to "on track" (*en bonne voie*). Then the emailed links: a check-in
score and "stop these reminders" each act in one click (a page that posts on load), and
wait for the page's button when JavaScript is off."""

import re
from datetime import timedelta

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from mentorat.mentorships.models import (
    CheckIn,
    CheckInOccasion,
    Meeting,
    MeetingStatus,
    PrivateNote,
    SessionLog,
)
from mentorat.mentorships.services.check_ins import create_check_ins
from mentorat.mentorships.services.followup import send_pair_reminders
from tests.browser.axe import assert_accessible
from tests.browser.flows import sign_in
from tests.mentorships.factories import MentorshipFactory, RunningEditionFactory
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.browser


def _pair_row(page: Page, mentee_name: str):
    return page.locator("table.pairs tbody tr", has_text=mentee_name)


def test_meeting_proposed_accepted_logged_moves_pair_on_track(open_page, cast, mailoutbox):
    program = ProgramFactory(organization=cast.org_a, slug="suivi", name="Suivi des binômes")
    edition = RunningEditionFactory(program=program)
    # 20 days without a meeting with two meetings a month expected: "to watch".
    pair = MentorshipFactory(
        edition=edition,
        mentor=cast.mentor,
        mentee=cast.mentee,
        started_on=timezone.localdate() - timedelta(days=20),
    )
    dashboard = reverse("mentorships:dashboard", kwargs={"slug": program.slug})
    workspace = reverse("mentorships:workspace", kwargs={"pk": pair.pk})

    coordinator: Page = open_page()
    sign_in(coordinator, cast.coordinator_a.email, totp=True)
    coordinator.goto(dashboard)
    assert_accessible(coordinator)
    expect(_pair_row(coordinator, cast.mentee.display_name)).to_have_class(
        re.compile(r"pair-to_watch")
    )

    mentor: Page = open_page()
    sign_in(mentor, cast.mentor.email)
    mentor.goto(workspace)
    assert_accessible(mentor)
    propose = reverse("mentorships:meeting_propose", kwargs={"pk": pair.pk})
    mentor.locator(f"main a[href='{propose}']").click()
    assert_accessible(mentor)
    form = mentor.locator("main form")
    when = timezone.localtime() + timedelta(days=2)
    form.locator("input[name=starts_at]").fill(when.strftime("%Y-%m-%dT18:30"))
    form.locator("input[name=mode][value=video]").check()
    form.locator("input[name=video_url]").fill("https://visio.example.org/binome")
    form.locator("textarea[name=agenda]").fill("Préparer l'entretien chez Nexalis")
    form.locator("button[type=submit]").click()
    # Back on the workspace's meetings tab, where the proposal now is.
    expect(mentor).to_have_url(re.compile(rf"{workspace}\?tab=meetings$"))
    expect(mentor.locator("nav.tabs a[aria-current=page]")).to_have_attribute(
        "href", "?tab=meetings"
    )
    meeting = Meeting.objects.get(mentorship=pair)
    assert meeting.status == MeetingStatus.PROPOSED
    assert timezone.localtime(meeting.starts_at).strftime("%H:%M") == "18:30"
    assert [m.to for m in mailoutbox] == [[cast.mentee.email]]

    mentee: Page = open_page()
    sign_in(mentee, cast.mentee.email)
    mentee.goto(workspace)
    assert_accessible(mentee)
    # The overview lists the proposal to answer; its link opens it in the meetings tab.
    mentee.locator(f"ul.to-do a[href='?tab=meetings#meeting-{meeting.pk}']").click()
    accept = reverse("mentorships:meeting_accept", kwargs={"pk": pair.pk, "meeting_pk": meeting.pk})
    mentee.locator(f"main form[action='{accept}'] button[type=submit]").click()
    expect(mentee).to_have_url(re.compile(rf"{workspace}\?tab=meetings$"))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.ACCEPTED

    # Two days later, the meeting has taken place.
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    mentor.goto(workspace)
    log = reverse("mentorships:session_log", kwargs={"pk": pair.pk, "meeting_pk": meeting.pk})
    mentor.locator(f"main a[href='{log}']").click()
    assert_accessible(mentor)
    form = mentor.locator("main form")
    form.locator("input[name=duration_minutes]").fill("70")
    form.locator("input[name=topics]").fill("Simulation d'entretien")
    form.locator("textarea[name=private_note]").fill("Gagne en assurance.")
    form.locator("button[type=submit]").click()
    expect(mentor).to_have_url(re.compile(rf"{workspace}\?tab=meetings$"))
    expect(mentor.locator("main")).to_contain_text("Gagne en assurance.")
    assert_accessible(mentor)
    log_row = SessionLog.objects.get(meeting=meeting)
    assert log_row.duration_minutes == 70
    assert PrivateNote.objects.get(session_log=log_row).author == cast.mentor

    mentee.goto(workspace)
    mentee.locator("nav.tabs a[href='?tab=meetings']").click()
    expect(mentee.locator("main")).to_contain_text("Simulation d'entretien")
    expect(mentee.locator("main")).not_to_contain_text("Gagne en assurance.")

    coordinator.goto(dashboard)
    row = _pair_row(coordinator, cast.mentee.display_name)
    expect(row).to_have_class(re.compile(r"pair-on_track"))
    expect(row).not_to_contain_text("Gagne en assurance.")
    assert_accessible(coordinator)


def _emailed_path(mailoutbox, person, pattern: str) -> str:
    """A link of the last email sent to `person`, as a path (the email names SITE_URL,
    the browser talks to the live server)."""
    mail = [m for m in mailoutbox if m.to == [person.email]][-1]
    match = re.search(pattern, mail.body, re.MULTILINE)
    assert match, mail.body
    return match.group(1)


def test_check_in_answered_in_one_click_from_the_email(open_page, cast, mailoutbox):
    pair = MentorshipFactory(
        edition=RunningEditionFactory(), mentor=cast.mentor, mentee=cast.mentee
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        create_check_ins(mentorship=pair, occasion=CheckInOccasion.MONTHLY, now=timezone.now())
    check_in = CheckIn.objects.get(mentorship=pair, respondent=cast.mentee)
    link = _emailed_path(mailoutbox, cast.mentee, r"^4: \S*?(/check-in/[^/\s]+/)$")

    # Not signed in, as when the link is opened from a mail client: one navigation.
    page: Page = open_page()
    page.goto(link)
    expect(page.locator("#check-in-recorded")).to_have_text(
        "Votre réponse est enregistrée : satisfaction 4 sur 5."
    )
    expect(page).to_have_url(re.compile(rf"{re.escape(link)}$"))
    check_in.refresh_from_db()
    assert check_in.satisfaction == 4
    assert_accessible(page)

    # The optional details, on the same page.
    form = page.locator("main form")
    form.locator("input[name=progress][value='3']").check()
    form.locator("select[name=recommend]").select_option("8")
    form.locator("textarea[name=comment]").fill("Des conseils concrets pour mon CV.")
    form.locator("button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Vos précisions sont enregistrées aussi.")
    assert_accessible(page)
    check_in.refresh_from_db()
    assert (check_in.satisfaction, check_in.progress, check_in.recommend) == (4, 3, 8)


def test_without_javascript_the_link_waits_for_the_button(browser, live_server, cast, mailoutbox):
    pair = MentorshipFactory(
        edition=RunningEditionFactory(), mentor=cast.mentor, mentee=cast.mentee
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        create_check_ins(mentorship=pair, occasion=CheckInOccasion.MONTHLY, now=timezone.now())
    link = _emailed_path(mailoutbox, cast.mentor, r"^2: \S*?(/check-in/[^/\s]+/)$")
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto(link)
        button = page.get_by_role("button", name="Enregistrer ma réponse (2/5)")
        expect(button).to_be_visible()
        check_in = CheckIn.objects.get(mentorship=pair, respondent=cast.mentor)
        assert check_in.answered_at is None  # opening the page recorded nothing
        button.click()
        expect(page.locator("#check-in-recorded")).to_contain_text("satisfaction 2 sur 5")
        check_in.refresh_from_db()
        assert check_in.satisfaction == 2
    finally:
        context.close()


def test_reminders_stopped_in_one_click_from_the_email(open_page, cast, mailoutbox):
    # 20 days without a meeting: both people get a reminder to meet.
    pair = MentorshipFactory(
        edition=RunningEditionFactory(),
        mentor=cast.mentor,
        mentee=cast.mentee,
        started_on=timezone.localdate() - timedelta(days=20),
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert send_pair_reminders(now=timezone.now()) == 2
    link = _emailed_path(mailoutbox, cast.mentor, r"(/reminders/stop/[^/\s]+/)")

    page: Page = open_page()
    page.goto(link)
    expect(page.locator("#reminders-stopped")).to_contain_text("Les relances sont arrêtées")
    assert_accessible(page)
    pair.refresh_from_db()
    assert pair.mentor_reminders_off
    assert not pair.mentee_reminders_off

    # Signed in, the mentor sees the state in the workspace and turns them back on.
    sign_in(page, cast.mentor.email)
    page.goto(reverse("mentorships:workspace", kwargs={"pk": pair.pk}))
    page.locator("nav.tabs a[href='?tab=end']").click()
    expect(page.locator("#reminders-state")).to_have_text(
        "Vous avez arrêté les relances pour vous rencontrer."
    )
    page.get_by_role("button", name="Réactiver les relances").click()
    expect(page.locator("#reminders-state")).to_contain_text("au plus une fois par semaine")
    pair.refresh_from_db()
    assert not pair.mentor_reminders_off


def test_pair_edits_a_goal_and_a_shared_link(open_page, cast):
    pair = MentorshipFactory(
        edition=RunningEditionFactory(), mentor=cast.mentor, mentee=cast.mentee
    )
    goal = pair.goals.create(
        title="Trouver un stage",
        measure="Convention signée",
        due_on=timezone.localdate() + timedelta(days=30),
    )
    pair.resources.create(title="Offres", url="https://emploi.example.org", added_by=cast.mentor)
    workspace = reverse("mentorships:workspace", kwargs={"pk": pair.pk})

    page: Page = open_page()
    sign_in(page, cast.mentee.email)
    page.goto(workspace)
    page.locator("nav.tabs a[href='?tab=goals']").click()
    page.get_by_role("link", name="Modifier « Trouver un stage »").click()
    assert_accessible(page)
    page.locator("main form input[name=title]").fill("Trouver une alternance")
    page.get_by_role("button", name="Enregistrer l'objectif").click()
    expect(page).to_have_url(re.compile(rf"{workspace}\?tab=goals$"))
    card = page.locator(f"#goal-{goal.pk}")
    expect(card.locator("h3")).to_contain_text("Trouver une alternance")
    card.get_by_role("button", name="Marquer comme atteint").click()
    expect(page.locator(f"#goal-{goal.pk} .badge.goal-achieved")).to_have_text("Atteint")
    assert_accessible(page)

    page.locator("nav.tabs a[href='?tab=resources']").click()
    page.get_by_role("link", name="Modifier « Offres »").click()
    assert_accessible(page)
    page.locator("main form input[name=title]").fill("Offres d'alternance")
    page.get_by_role("button", name="Enregistrer le lien").click()
    expect(page.locator("main .resources")).to_contain_text("Offres d'alternance")
    page.get_by_role("button", name="Supprimer « Offres d'alternance »").click()
    expect(page.locator("main .resources")).to_contain_text("Rien de partagé pour le moment.")
    assert_accessible(page)
    goal.refresh_from_db()
    assert (goal.title, goal.status) == ("Trouver une alternance", "achieved")
    assert not pair.resources.exists()
