"""Publishing a run cannot go wrong (issue 17, point 2): the confirmation page announces
exactly what the publication does (pairs, emails, unmatched mentees), only its confirmed
plan is carried out, and once a run of an edition is published the edition's other runs
are superseded and can never be published."""

import importlib
import threading
import time

import pytest
from django.apps import apps
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from mentorat.audit.models import AuditEntry
from mentorat.lib.errors import DomainError
from mentorat.matching.models import MatchRun, RunStatus
from mentorat.matching.selectors import matching_todos
from mentorat.matching.services import publication
from mentorat.matching.services import review as review_services
from mentorat.mentorships.models import Mentorship
from mentorat.mentorships.services.pairs import create_mentorship
from mentorat.notifications.models import DeliveryStatus, EmailDelivery
from mentorat.web.selectors import home_enrollment
from tests.matching.factories import cohort, finished_run, person
from tests.queries import writes


def english(client):
    client.cookies["django_language"] = "en"
    return client


def publish_url(c, run):
    return reverse("matching:publish", args=[c.program.slug, run.pk])


def confirmation(client, c, run):
    """The confirmation page and the plan it shows."""
    page = client.get(publish_url(c, run))
    assert page.status_code == 200
    return page, page.context["plan"]


def confirm(client, c, run, token):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(publish_url(c, run), {"token": token})


def figure(content: str, name: str) -> int:
    marker = f'data-figure="{name}">'
    start = content.index(marker) + len(marker)
    return int(content[start : content.index("<", start)])


# The counts ---------------------------------------------------------------------------------


def test_the_counts_shown_are_what_the_publication_does_and_sends(
    cast, client_for, run_for, mailoutbox
):
    c = cohort(cast.org_a, mentees=4, mentors=3)
    run = run_for(c)
    matched = list(run.proposals.filter(mentor__isnull=False).order_by("pk"))
    assert len(matched) == 3
    # One mentee got a mentor meanwhile (a pair made by hand): their proposal is left aside.
    outside = person(c.edition, "mentor", c.company)
    create_mentorship(mentor=outside, mentee=matched[0].mentee)
    client = english(client_for(cast.coordinator_a))
    page, plan = confirmation(client, c, run)
    content = page.content.decode()
    assert (figure(content, "pairs"), figure(content, "emails"), figure(content, "unmatched")) == (
        2,
        4,
        1,
    )
    assert "1 mentee of the run got a mentor meanwhile" in content
    assert f'name="token" value="{plan.token}"' in content
    # Nothing happens on the way: the page is only a question.
    assert Mentorship.objects.filter(edition=c.edition).count() == 1
    assert not mailoutbox

    response = confirm(client, c, run, plan.token)
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == RunStatus.PUBLISHED
    published = Mentorship.objects.filter(introduction__run=run)
    assert published.count() == plan_pairs(plan) == 2
    # The emails announced are the emails sent, in the outbox and in the delivery ledger.
    assert len(mailoutbox) == plan.emails == 4
    sent = EmailDelivery.objects.filter(purpose="matching.introduction", status=DeliveryStatus.SENT)
    assert sent.count() == plan.emails
    expected = {p.mentor.email.lower() for p in published} | {
        p.mentee.email.lower() for p in published
    }
    assert {m.to[0].lower() for m in mailoutbox} == expected
    entry = AuditEntry.objects.get(action="matching.run.published")
    assert entry.data["emails"] == 4
    assert entry.data["skipped"] == 1
    assert entry.data["unmatched"] == 1


def plan_pairs(plan) -> int:
    return len(plan.pairs)


def test_the_confirmation_page_writes_nothing_and_reads_in_constant_queries(cast, client_for):
    client = english(client_for(cast.coordinator_a))
    counts = []
    for size in (2, 6):
        c = cohort(cast.org_a, mentees=size, mentors=size)
        run = finished_run(c)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(publish_url(c, run)).status_code == 200
        assert not writes(queries)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_run_page_asks_for_confirmation_rather_than_publishing(cast, client_for, run_for):
    c = cohort(cast.org_a, mentees=3, mentors=2)
    run = run_for(c)
    client = english(client_for(cast.coordinator_a))
    content = client.get(reverse("matching:run", args=[c.program.slug, run.pk])).content.decode()
    # A link to the confirmation page, no form that publishes at once.
    assert f'href="{publish_url(c, run)}"' in content
    assert f'action="{publish_url(c, run)}"' not in content


def test_a_post_without_the_confirmation_publishes_nothing(cast, client_for, run_for):
    c = cohort(cast.org_a, mentees=3, mentors=2)
    run = run_for(c)
    client = english(client_for(cast.coordinator_a))
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(publish_url(c, run))
    assert response.status_code == 400
    assert "confirm the publication" in response.content.decode()
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED
    assert not Mentorship.objects.filter(edition=c.edition).exists()


def test_a_run_changed_since_the_confirmation_is_refused(cast, client_for, run_for, mailoutbox):
    c = cohort(cast.org_a, mentees=3, mentors=2)
    run = run_for(c)
    client = english(client_for(cast.coordinator_a))
    _page, shown = confirmation(client, c, run)
    # A second coordinator removes a pair by hand in the meantime.
    removed = run.proposals.filter(mentor__isnull=False).first()
    review_services.assign_mentor(
        run=run, mentee_id=removed.mentee_id, mentor_id=None, actor=cast.admin_a
    )
    refused = confirm(client, c, run, shown.token)
    assert refused.status_code == 409
    content = refused.content.decode()
    assert "The run changed since the confirmation page was shown" in content
    assert not Mentorship.objects.filter(edition=c.edition).exists()
    assert not mailoutbox
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED
    # The page now shows the new figures, with a new token that works.
    fresh = refused.context["plan"]
    assert (figure(content, "pairs"), figure(content, "unmatched")) == (1, 2)
    assert fresh.token != shown.token
    assert confirm(client, c, run, fresh.token).status_code == 302
    assert Mentorship.objects.filter(edition=c.edition).count() == 1
    assert len(mailoutbox) == fresh.emails == 2


def test_a_mentor_over_capacity_shows_no_confirm_button(cast, client_for):
    c = cohort(cast.org_a, mentees=2, mentors=2)
    run = finished_run(c)
    # The first mentor was given another mentee by hand meanwhile: no place left.
    create_mentorship(mentor=c.mentors[0], mentee=person(c.edition, "mentee", cast.org_a))
    client = english(client_for(cast.coordinator_a))
    page, plan = confirmation(client, c, run)
    assert plan.problem
    content = page.content.decode()
    assert "has no place left" in content
    assert 'name="token"' not in content
    with pytest.raises(DomainError):
        publication.publish_run(run=run, actor=cast.coordinator_a, token=plan.token)


# Superseded runs ----------------------------------------------------------------------------


def test_publishing_supersedes_the_other_runs_which_can_no_longer_be_published(
    cast, client_for, run_for, mailoutbox
):
    c = cohort(cast.org_a, mentees=3, mentors=2)
    older = run_for(c)
    newer = run_for(c, default_capacity=2)
    assert older.pk != newer.pk
    client = english(client_for(cast.coordinator_a))
    page, plan = confirmation(client, c, newer)
    assert "other run waiting for review (#1) will be superseded" in page.content.decode()
    assert confirm(client, c, newer, plan.token).status_code == 302
    older.refresh_from_db()
    assert older.status == RunStatus.SUPERSEDED
    assert older.superseded_by_id == newer.pk
    assert AuditEntry.objects.filter(action="matching.run.superseded", target_id=older.pk).exists()
    pairs = Mentorship.objects.filter(edition=c.edition).count()
    sent = len(mailoutbox)

    # The service refuses it, in words.
    with pytest.raises(DomainError) as refused:
        publication.publish_run(run=older, actor=cast.coordinator_a)
    assert "superseded" in refused.value.message
    # The confirmation page shows it superseded, with a link to the published run, and
    # no button; a confirmation sent anyway is refused.
    content = client.get(publish_url(c, older)).content.decode()
    assert "this run is superseded and can no longer be published" in content
    newer_url = reverse("matching:run", args=[c.program.slug, newer.pk])
    assert f'href="{newer_url}"' in content
    assert 'name="token"' not in content
    assert confirm(client, c, older, plan.token).status_code == 409
    # The run page says so too.
    run_page = client.get(reverse("matching:run", args=[c.program.slug, older.pk]))
    assert "Superseded" in run_page.content.decode()
    assert f'href="{newer_url}"' in run_page.content.decode()
    assert Mentorship.objects.filter(edition=c.edition).count() == pairs
    assert len(mailoutbox) == sent


def test_a_run_computed_while_another_was_published_is_superseded_when_published(cast):
    """A run that read its participants before another run's publication (possible only
    when its computation overlapped it) is refused and recorded superseded."""
    c = cohort(cast.org_a, mentees=2, mentors=2)
    published = finished_run(c, status=RunStatus.PUBLISHED)
    late = finished_run(c)
    now = timezone.now()
    MatchRun.objects.filter(pk=late.pk).update(started_at=now - timezone.timedelta(minutes=5))
    MatchRun.objects.filter(pk=published.pk).update(published_at=now)
    with translation.override("en"), pytest.raises(DomainError) as refused:
        publication.publish_run(run=late, actor=cast.coordinator_a)
    assert "#1" in refused.value.message
    late.refresh_from_db()
    assert (late.status, late.superseded_by_id) == (RunStatus.SUPERSEDED, published.pk)
    assert not Mentorship.objects.filter(edition=c.edition).exists()


def test_no_publication_while_a_run_of_the_edition_is_being_computed(cast):
    c = cohort(cast.org_a, mentees=2, mentors=2)
    run = finished_run(c)
    finished_run(c, status=RunStatus.RUNNING)
    with translation.override("en"), pytest.raises(DomainError) as refused:
        publication.publish_run(run=run, actor=cast.coordinator_a)
    assert "being computed" in refused.value.message
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED


def test_a_run_whose_worker_died_does_not_block_the_publication(cast, settings):
    c = cohort(cast.org_a, mentees=2, mentors=2)
    run = finished_run(c)
    dead = finished_run(c, status=RunStatus.RUNNING)
    long_ago = timezone.now() - timezone.timedelta(seconds=settings.MATCHING_RUN_STALE_SECONDS * 2)
    MatchRun.objects.filter(pk=dead.pk).update(heartbeat_at=long_ago, created_at=long_ago)
    assert publication.publication_refusal(run) == ""
    assert publication.publish_run(run=run, actor=cast.coordinator_a, notify=False) == 2
    dead.refresh_from_db()
    assert dead.status == RunStatus.FAILED


def test_home_counters_count_only_runs_that_can_still_be_published(cast, run_for):
    c = cohort(cast.org_a, mentees=3, mentors=2)
    older = run_for(c)
    newer = run_for(c, default_capacity=2)
    finished_run(c, status=RunStatus.FAILED)

    def to_review() -> int:
        lines = home_enrollment(user=cast.coordinator_a).programs
        line = next(line for line in lines if line.program.pk == c.program.pk)
        return line.matching.runs_to_review if line.matching else 0

    assert to_review() == 2
    publication.publish_run(run=newer, actor=cast.coordinator_a, notify=False)
    older.refresh_from_db()
    assert older.status == RunStatus.SUPERSEDED
    # Neither the published run nor the one it superseded is left to act on.
    assert to_review() == 0
    assert c.program.pk not in matching_todos(program_ids=[c.program.pk])


def test_migration_supersedes_runs_older_than_a_published_one(cast):
    migration = importlib.import_module("mentorat.matching.migrations.0004_run_superseded")
    c = cohort(cast.org_a, mentees=2, mentors=2)
    now = timezone.now()
    older = finished_run(c)
    published = finished_run(c, status=RunStatus.PUBLISHED)
    newer = finished_run(c)
    other_edition = finished_run(cohort(cast.org_a, mentees=1, mentors=1))
    hour = timezone.timedelta(hours=1)
    MatchRun.objects.filter(pk=older.pk).update(created_at=now - 3 * hour)
    MatchRun.objects.filter(pk=published.pk).update(
        created_at=now - 2 * hour, published_at=now - hour
    )
    MatchRun.objects.filter(pk=newer.pk).update(created_at=now)
    migration.mark_superseded(apps, None)
    statuses = dict(MatchRun.objects.values_list("pk", "status"))
    assert statuses[older.pk] == RunStatus.SUPERSEDED
    assert MatchRun.objects.get(pk=older.pk).superseded_by_id == published.pk
    assert statuses[newer.pk] == RunStatus.SUCCEEDED  # computed after the publication
    assert statuses[other_edition.pk] == RunStatus.SUCCEEDED
    migration.unmark_superseded(apps, None)
    assert MatchRun.objects.get(pk=older.pk).status == RunStatus.SUCCEEDED


# Who may publish ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("mentor", 403),
        ("partner_coordinator", 403),
        ("coordinator_b", 404),
        ("outsider", 404),
    ],
)
def test_only_the_program_staff_may_confirm(cast, client_for, run_for, persona, status):
    c = cohort(cast.org_a, mentees=2, mentors=2)
    c.program.shared_with.add(cast.org_c)
    run = run_for(c)
    token = publication.plan_publication(run).token
    response = client_for(cast.persona(persona)).post(publish_url(c, run), {"token": token})
    assert response.status_code == status
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED
    assert not Mentorship.objects.filter(edition=c.edition).exists()


# Two coordinators at once -------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_of_one_edition_published_at_once(cast, monkeypatch):
    """Two coordinators confirm two runs of the same edition at the same moment: the edition
    row lock makes one wait for the other, which has superseded its run by then."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    c = cohort(cast.org_a, mentees=2, mentors=2)
    first, second = finished_run(c), finished_run(c)
    tokens = {run.pk: publication.plan_publication(run).token for run in (first, second)}
    real_load = publication.pairs.active_load
    inside = threading.Event()

    def slow_load(**kwargs):
        # Widen the window between the plan and the commit of the first publication.
        found = real_load(**kwargs)
        inside.set()
        time.sleep(0.5)
        return found

    monkeypatch.setattr(publication.pairs, "active_load", slow_load)
    outcomes: dict[int, str] = {}

    def publish(run: MatchRun, actor, wait: bool) -> None:
        if wait:
            inside.wait(10)
        try:
            publication.publish_run(run=run, actor=actor, notify=False, token=tokens[run.pk])
            outcomes[run.pk] = "published"
        except DomainError as error:
            outcomes[run.pk] = error.message
        finally:
            connection.close()

    threads = [
        threading.Thread(target=publish, args=(first, cast.coordinator_a, False)),
        threading.Thread(target=publish, args=(second, cast.admin_a, True)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert outcomes[first.pk] == "published"
    assert "superseded" in outcomes[second.pk] or "remplacé" in outcomes[second.pk]
    second.refresh_from_db()
    assert (second.status, second.superseded_by_id) == (RunStatus.SUPERSEDED, first.pk)
    assert set(
        Mentorship.objects.filter(edition=c.edition).values_list("introduction__run", flat=True)
    ) == {first.pk}
