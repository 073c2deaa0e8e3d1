"""Follow-up of a pair in the browser: the mentor proposes a meeting, the mentee accepts
it, the mentor logs the session, and the coordinator sees the pair move from "to watch"
(*à surveiller*) to "on track" (*en bonne voie*)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from mentorat.mentorships.models import Meeting, MeetingStatus, PrivateNote, SessionLog
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
    expect(mentor).to_have_url(re.compile(rf"{workspace}$"))
    meeting = Meeting.objects.get(mentorship=pair)
    assert meeting.status == MeetingStatus.PROPOSED
    assert timezone.localtime(meeting.starts_at).strftime("%H:%M") == "18:30"
    assert [m.to for m in mailoutbox] == [[cast.mentee.email]]

    mentee: Page = open_page()
    sign_in(mentee, cast.mentee.email)
    mentee.goto(workspace)
    assert_accessible(mentee)
    accept = reverse("mentorships:meeting_accept", kwargs={"pk": pair.pk, "meeting_pk": meeting.pk})
    mentee.locator(f"main form[action='{accept}'] button[type=submit]").click()
    expect(mentee).to_have_url(re.compile(rf"{workspace}$"))
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
    expect(mentor).to_have_url(re.compile(rf"{workspace}$"))
    expect(mentor.locator("main")).to_contain_text("Gagne en assurance.")
    assert_accessible(mentor)
    log_row = SessionLog.objects.get(meeting=meeting)
    assert log_row.duration_minutes == 70
    assert PrivateNote.objects.get(session_log=log_row).author == cast.mentor

    mentee.goto(workspace)
    expect(mentee.locator("main")).to_contain_text("Simulation d'entretien")
    expect(mentee.locator("main")).not_to_contain_text("Gagne en assurance.")

    coordinator.goto(dashboard)
    row = _pair_row(coordinator, cast.mentee.display_name)
    expect(row).to_have_class(re.compile(r"pair-on_track"))
    expect(row).not_to_contain_text("Gagne en assurance.")
    assert_accessible(coordinator)
