"""Acceptance (issue 21): a mentee registers for an event of her program's edition and
gets the confirmation email (through a real SMTP server) with her QR code and the `.ics`;
at the door, on a 390 px phone, the coordinator finds her by typing her name and checks
her in — the check-in made while the connection is down waits in the page and is sent
when it comes back —; the program's report counts her attendance. Every page passes axe."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import Page, expect

from mentorat.events.models import Audience, AudienceRoles, Registration
from tests.browser.axe import assert_accessible
from tests.events.factories import make_event
from tests.factories import UserFactory
from tests.mentorships.factories import RunningEditionFactory, application_of
from tests.notifications.smtp import SmtpSink, use_smtp
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def sign_in(page: Page, user, live_server_url: str) -> None:
    """A signed-in session for `user` (its cookie given to the browser); the sign-in
    form itself is tested in test_sign_in.py."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server_url}]
    )


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP server capturing what the platform sends."""
    with SmtpSink() as sink:
        use_smtp(settings, sink.port)
        yield sink


def test_a_mentee_registers_is_checked_in_at_the_door_and_counted(
    open_page, cast, smtp_sink, live_server
):
    mentee = cast.mentee
    mentee.first_name, mentee.last_name = "Inès", "Amrani"
    mentee.save()
    program = ProgramFactory(organization=cast.org_a)
    edition = RunningEditionFactory(program=program)
    application_of(edition, mentee, "mentee")
    # Under way: doors open half an hour ago, registration still open.
    start = timezone.now() - timedelta(minutes=30)
    event = make_event(
        cast.org_a,
        title="Soirée job dating",
        kind="job_dating",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        capacity=30,
        audience=Audience.EDITION,
        audience_roles=AudienceRoles.MENTEES,
        edition=edition,
    )

    # The mentee registers.
    page: Page = open_page(locale="en-GB")
    sign_in(page, mentee, live_server.url)
    page.goto(reverse("events:list"))
    assert_accessible(page)
    page.get_by_role("link", name="Soirée job dating").click()
    assert_accessible(page)
    page.locator("main form[action$='/register/'] button").click()
    expect(page.locator("main [role=status], main .messages").first).to_be_visible()
    registration = Registration.objects.get(event=event, user=mentee)
    assert registration.status == "registered"
    page.get_by_role("link", name=re.compile("QR code")).click()
    assert_accessible(page)
    expect(page.locator("main figure.qr-code svg")).to_be_visible()

    # Her email, through the SMTP server: the QR code and the calendar file.
    [message] = smtp_sink.messages_to(mentee.email)
    attachments = {part.get_filename(): part for part in message.iter_attachments()}
    assert attachments["qr-code.png"].get_content_type() == "image/png"
    assert attachments["qr-code.png"].get_content().startswith(b"\x89PNG")
    calendar = Calendar.from_ical(attachments["event.ics"].get_content())
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["summary"]) == "Soirée job dating"

    # The coordinator, on a phone at the door, finds her by name and checks her in,
    # the connection dropping at that moment.
    door: Page = open_page(locale="en-GB")
    door.set_viewport_size(PHONE)
    sign_in(door, cast.coordinator_a, live_server.url)
    door.goto(reverse("events:door", args=[event.pk]))
    assert_accessible(door)
    door.locator("#door-search").fill("Inès Amr")
    button = door.get_by_role("button", name=re.compile("Inès Amrani"))
    expect(button).to_be_visible()
    door.context.set_offline(True)
    button.click()
    expect(door.locator("#door-queue-count")).to_have_text("1")
    registration.refresh_from_db()
    assert not registration.attended
    door.context.set_offline(False)
    door.evaluate("() => window.dispatchEvent(new Event('online'))")
    expect(door.locator("#door-status")).to_have_text(re.compile("Inès Amrani"), timeout=20_000)
    expect(door.locator("#door-queue-count")).to_have_text("0")
    registration.refresh_from_db()
    assert registration.attended
    assert registration.checked_in_by == cast.coordinator_a
    width = door.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    assert_accessible(door)

    # The program's report counts her attendance: four others came too, so that the five
    # attendances are shown (figures about 1 to 4 people are hidden).
    for k in range(4):
        other = UserFactory(email=f"other-{k}@example.org")
        application_of(edition, other, "mentee")
        Registration.objects.create(event=event, user=other, status="registered", attended=True)
    door.set_viewport_size({"width": 1280, "height": 900})
    door.set_default_navigation_timeout(60_000)
    door.goto(reverse("reports:program", args=[program.slug]))
    section = door.locator("#report-events").locator("xpath=..")
    expect(section).to_be_visible()
    tiles = section.locator(".stat-value").all_inner_texts()
    assert tiles[0] == "1"  # events held
    assert tiles[1].startswith("100")  # attendance rate
    assert tiles[2] == "5"  # attendances: hers and the four others
