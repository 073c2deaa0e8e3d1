"""Acceptance (issue 17, point 2), in French and in English: a coordinator opens a run,
clicks publish, sees the confirmation with the pairs, emails and unmatched mentees it
makes, and confirms; a confirmation of an older run still open in another tab is then
refused, and that run is shown superseded with a link to the published one. Every page
passes axe."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from mentorat.matching.models import MatchRun, RunStatus
from mentorat.matching.parameters import RunParameters
from mentorat.matching.services import runs
from mentorat.mentorships.models import Mentorship
from tests.browser.axe import assert_accessible
from tests.browser.flows import sign_in
from tests.matching.factories import cohort

pytestmark = pytest.mark.browser


def real_run(c, actor, **parameters) -> MatchRun:
    params = RunParameters(**({"hard_rules": ("different_organizations",)} | parameters))
    run, _created = runs.start_run(edition=c.edition, parameters=params, actor=actor)
    runs.execute_run(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED
    return run


def figure(page: Page, name: str) -> int:
    return int(page.locator(f"main [data-figure={name}]").inner_text())


@pytest.mark.parametrize("language", ["fr", "en"])
def test_publish_with_confirmation_then_the_superseded_run_is_refused(
    open_page, cast, mailoutbox, language
):
    c = cohort(cast.org_a, mentees=4, mentors=3)
    older = real_run(c, cast.coordinator_a)
    newer = real_run(c, cast.coordinator_a, default_capacity=2)
    slug = c.program.slug

    page: Page = open_page(locale="en-GB" if language == "en" else "fr-FR")
    cast.coordinator_a.language = language
    cast.coordinator_a.save(update_fields=["language"])
    sign_in(page, cast.coordinator_a.email, totp=True)
    page.goto(reverse("matching:runs", args=[slug]))
    expect(page.locator("html")).to_have_attribute("lang", language)

    # Another tab: the older run's confirmation page, left open.
    stale: Page = page.context.new_page()
    stale.goto(reverse("matching:publish", args=[slug, older.pk]))
    expect(stale.locator("form.publish-form button[type=submit]")).to_be_visible()

    # The newer run: publish, see the figures, confirm.
    page.goto(reverse("matching:run", args=[slug, newer.pk]))
    assert_accessible(page)
    page.locator("main a.publish-link").click()
    expect(page).to_have_url(re.compile(rf"/runs/{newer.pk}/publish/$"))
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert_accessible(page)
    pairs, emails = figure(page, "pairs"), figure(page, "emails")
    unmatched = figure(page, "unmatched")
    assert pairs == newer.proposals.filter(mentor__isnull=False).count()
    assert unmatched == newer.proposals.filter(mentor__isnull=True).count()
    assert not Mentorship.objects.filter(edition=c.edition).exists()  # nothing yet
    page.locator("form.publish-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/runs/{newer.pk}/$"))
    expect(page.locator(".messages .message-success")).to_be_visible()
    assert_accessible(page)
    newer.refresh_from_db()
    assert newer.status == RunStatus.PUBLISHED
    assert Mentorship.objects.filter(introduction__run=newer).count() == pairs
    assert len(mailoutbox) == emails == 2 * pairs

    # The older run's confirmation, sent from the tab left open: refused.
    stale.locator("form.publish-form button[type=submit]").click()
    expect(stale.locator("#publish-error")).to_be_visible()
    expect(stale.locator("main .publish-refusal")).to_be_visible()
    expect(stale.locator("form.publish-form")).to_have_count(0)
    newer_url = reverse("matching:run", args=[slug, newer.pk])
    expect(stale.locator(f"main a[href='{newer_url}']")).to_be_visible()
    assert_accessible(stale)
    older.refresh_from_db()
    assert (older.status, older.superseded_by_id) == (RunStatus.SUPERSEDED, newer.pk)
    assert Mentorship.objects.filter(edition=c.edition).count() == pairs
    assert len(mailoutbox) == emails

    # The older run's page: superseded, a link to the published run, nothing to publish.
    stale.goto(reverse("matching:run", args=[slug, older.pk]))
    expect(stale.locator("main .badge.run-superseded")).to_be_visible()
    expect(stale.locator("main .superseded-notice a[href='" + newer_url + "']")).to_be_visible()
    expect(stale.locator("main a.publish-link")).to_have_count(0)
    assert_accessible(stale)
