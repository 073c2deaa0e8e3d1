"""Speed networking in a browser: the coordinator opens the rounds from the event page,
plans the evening and reads why a mentee sits at a table; a mentee reads her evening on a
390 px phone. Every page passes axe."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from mentorat.networking.models import NetworkingPlan, PlanStatus
from tests.browser.axe import assert_accessible
from tests.networking.factories import job_dating

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _signed_in(page: Page, user, base_url: str) -> None:
    """The person's session (the sign-in form has its own browser tests)."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


def test_a_coordinator_plans_the_rounds_and_a_mentee_reads_her_evening(
    open_page, cast, live_server
):
    evening = job_dating(cast.org_a, mentees=4, professionals=2)
    coordinator: Page = open_page(locale="en-GB")
    _signed_in(coordinator, cast.coordinator_a, live_server.url)
    coordinator.goto(reverse("events:detail", args=[evening.event.pk]))
    coordinator.get_by_role("link", name="Speed-networking rounds").click()
    assert_accessible(coordinator)
    coordinator.get_by_label("Rounds").fill("2")
    coordinator.get_by_label("Mentees per table").fill("2")
    coordinator.get_by_role("button", name="Plan the rounds").click()
    expect(coordinator.get_by_text("8 meetings over 2 rounds.")).to_be_visible()
    plan = NetworkingPlan.objects.get(event=evening.event)
    assert plan.status == PlanStatus.READY
    seat = plan.seats.get(mentee=evening.mentees[0], professional=evening.professionals[0])
    row = coordinator.get_by_role("row").filter(has_text="Mentor0 Doe")
    details = row.locator("details", has_text="Mentee0 Doe").first
    details.locator("summary").click()  # the seat's explanation opens
    expect(details.get_by_text(seat.explanation_en)).to_be_visible()
    assert_accessible(coordinator)
    coordinator.context.close()

    phone: Page = open_page(locale="en-GB")
    phone.set_viewport_size(PHONE)
    _signed_in(phone, evening.mentees[0], live_server.url)
    phone.goto(reverse("events:detail", args=[evening.event.pk]))
    phone.get_by_role("link", name="My evening").click()
    for mine in plan.seats.filter(mentee=evening.mentees[0]):
        slot = phone.get_by_role("listitem").filter(
            has=phone.get_by_role("heading", name=f"Round {mine.round}")
        )
        expect(slot).to_contain_text(f"Table {mine.table}")
        expect(slot).to_contain_text(mine.professional.display_name)
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    assert_accessible(phone)
