"""Issue 17, point 4: each person's home page opens on what they need to do now, with
counts and one link each; a coordinator's counter opens the list filtered to exactly
those rows; a pending guardian consent shows the guardian's address and is sent again
with a button. A mentor, a mentee and a coordinator, in French and in English; every
page passes axe."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from mentorat.applications.models import ApplicationStatus
from mentorat.mentorships.models import MeetingStatus
from tests.applications.factories import ApplicationFactory
from tests.browser.axe import assert_accessible
from tests.browser.flows import sign_in
from tests.mentorships.factories import (
    CheckInFactory,
    MeetingFactory,
    MentorshipFactory,
    RunningEditionFactory,
)
from tests.programs.factories import EditionFactory

pytestmark = pytest.mark.browser

LOCALES = {"fr": "fr-FR", "en": "en-GB"}


def _open_home(open_page, user, language: str, *, totp: bool = False) -> Page:
    user.language = language
    user.save(update_fields=["language"])
    page: Page = open_page(locale=LOCALES[language])
    sign_in(page, user.email, totp=totp)
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    # The to-do block is the first section of the page.
    expect(page.locator("main section").first).to_have_attribute("aria-labelledby", "home-todo")
    assert_accessible(page)
    return page


def _item(page: Page, kind: str):
    return page.locator(f"#home-todo ~ ul li[data-kind={kind}]")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_mentor_and_mentee_find_what_to_do_first(open_page, cast, language):
    edition = RunningEditionFactory(program__organization=cast.org_a)
    pair = MentorshipFactory(edition=edition, mentor=cast.mentor, mentee=cast.mentee)
    MeetingFactory(
        mentorship=pair,
        status=MeetingStatus.PROPOSED,
        proposed_by=cast.mentee,
        starts_at=timezone.now() + timedelta(days=4),
    )
    MeetingFactory(mentorship=pair, starts_at=timezone.now() - timedelta(days=2))
    CheckInFactory(mentorship=pair, respondent=cast.mentee)

    page = _open_home(open_page, cast.mentor, language)
    expect(_item(page, "meetings")).to_have_attribute("data-count", "1")
    expect(_item(page, "session_logs")).to_have_attribute("data-count", "1")
    expect(_item(page, "check_ins")).to_have_count(0)  # the mentee's, not his
    if language == "en":
        expect(_item(page, "meetings")).to_contain_text("1 meeting proposal to answer")
    _item(page, "meetings").get_by_role("link").click()
    expect(page).to_have_url(re.compile(reverse("mentorships:workspace", args=[pair.pk])))
    assert_accessible(page)

    page = _open_home(open_page, cast.mentee, language)
    expect(_item(page, "check_ins")).to_have_attribute("data-count", "1")
    expect(_item(page, "meetings")).to_have_count(0)  # he proposed it: his to wait
    _item(page, "check_ins").get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/my/check-ins/\d+/"))
    assert_accessible(page)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_coordinator_counter_opens_exactly_those_applications(open_page, cast, language):
    edition = EditionFactory(program__organization=cast.org_a, program__slug="prog-a")
    for _ in range(3):
        ApplicationFactory(edition=edition)
    ApplicationFactory(edition=edition, status=ApplicationStatus.ACCEPTED)
    ApplicationFactory(edition=edition, status=ApplicationStatus.INFO_REQUESTED)
    waiting = ApplicationFactory(
        edition=edition,
        status=ApplicationStatus.AWAITING_GUARDIAN_CONSENT,
        guardian_email="parent@example.org",
        is_minor=True,
        submitted_at=timezone.now() - timedelta(hours=3),
    )

    page = _open_home(open_page, cast.coordinator_a, language, totp=True)
    expect(_item(page, "applications")).to_have_attribute("data-count", "3")
    if language == "en":
        expect(_item(page, "applications")).to_contain_text("3 applications to review")
    _item(page, "applications").get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"\?status=submitted"))
    expect(page.locator("main table tbody tr")).to_have_count(3)
    assert_accessible(page)

    page.goto("/")
    expect(_item(page, "guardian_consents")).to_have_attribute("data-count", "1")
    _item(page, "guardian_consents").get_by_role("link").click()
    expect(page.locator("main table tbody tr")).to_have_count(1)
    expect(page.locator("main table")).to_contain_text("parent@example.org")
    assert_accessible(page)

    page.goto(reverse("applications:review", args=["prog-a", waiting.pk]))
    expect(page.locator("#guardian-email")).to_have_text("parent@example.org")
    page.locator("#guardian-resend button").click()
    expect(page.locator(".messages")).to_be_visible()
    expect(page.locator("#guardian-resend button")).to_have_count(0)  # once an hour
    assert_accessible(page)
