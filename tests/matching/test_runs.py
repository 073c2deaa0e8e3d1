"""Starting a run, its background task, the summary and the failure paths."""

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from mentorat.audit.models import AuditEntry
from mentorat.matching import selectors
from mentorat.matching.models import MatchRun, Proposal, RunStatus
from mentorat.matching.parameters import RunParameters
from mentorat.matching.services import runs
from tests.matching.factories import cohort, finished_run, person
from tests.queries import writes


def start_payload(c, **overrides):
    data = {
        "edition": str(c.edition.pk),
        "mode": "optimal",
        "default_capacity": "1",
        "hard_rules": ["different_organizations"],
    } | {f"w_{code}": "1" for code in (
        "field", "rome_domain", "occupation", "skills", "goals", "region",
        "availability", "gender_preference", "career_change", "seniority",
    )}  # fmt: skip
    return data | overrides


def start(client, c, **overrides):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("matching:run_start", args=[c.program.slug]), start_payload(c, **overrides)
        )


def test_coordinator_starts_a_run_and_sees_the_summary(cast, client_for):
    c = cohort(cast.org_a, mentees=3, mentors=2)
    client = client_for(cast.coordinator_a)
    client.cookies["django_language"] = "fr"
    response = start(client, c)
    run = MatchRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("matching:run", args=[c.program.slug, run.pk])
    assert run.status == RunStatus.SUCCEEDED
    assert run.duration_seconds is not None
    assert run.proposals.count() == 3  # two pairs, one unmatched mentee with its reason
    unmatched = run.proposals.get(mentor__isnull=True)
    assert unmatched.reason == {
        "code": "full",
        "fr": "tou·tes les mentors compatibles sont complet·ètes",
        "en": "compatible mentors were all at capacity",
    }
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "2 / 3" in html  # coverage
    assert unmatched.mentee.user.display_name in html
    assert "<td>tou·tes les mentors compatibles sont complet·ètes</td>" in html
    # Breakdown by organisation: the mentees' one, 2 of its 3 mentees matched.
    assert '<th scope="row">Université A</th><td>3</td><td>2</td><td>67</td>' in html
    assert AuditEntry.objects.filter(action="matching.run.started").count() == 1
    assert AuditEntry.objects.filter(action="matching.run.finished").count() == 1


def test_pairs_respect_hard_rules_and_explain_the_score(cast, client_for):
    c = cohort(cast.org_a, mentees=1, mentors=0)
    same_org = person(c.edition, "mentor", cast.org_a, skills=("Python",))
    other = person(
        c.edition, "mentor", c.company, field_name="Droit", domain="K", occupation="Avocat"
    )
    start(client_for(cast.coordinator_a), c)
    proposal = Proposal.objects.get()
    # The colleague from the same organisation scores higher but the rule forbids it.
    assert proposal.mentor_id == other.pk != same_org.pk
    assert proposal.explanation_parts("fr") == [
        ("Même région (Auvergne-Rhône-Alpes)", 10.0),
        ("15 ans d'expérience de plus", 5.0),
    ]
    assert proposal.score == 15


def test_starting_twice_returns_the_same_run(cast, client_for):
    c = cohort(cast.org_a)
    client = client_for(cast.coordinator_a)
    start(client, c)
    second = start(client, c)
    assert MatchRun.objects.count() == 1
    assert second.status_code == 302
    # A different setting is a different run.
    start(client, c, default_capacity="2")
    assert MatchRun.objects.count() == 2


def test_a_queued_run_blocks_a_second_one(cast):
    c = cohort(cast.org_a)
    params = RunParameters(default_capacity=1)
    # Without executing the on-commit task, the first run stays queued.
    first, created = runs.start_run(edition=c.edition, parameters=params, actor=cast.coordinator_a)
    second, created_again = runs.start_run(
        edition=c.edition, parameters=RunParameters(default_capacity=2), actor=cast.coordinator_a
    )
    assert created
    assert not created_again
    assert first.pk == second.pk
    assert first.status == RunStatus.QUEUED


def test_invalid_settings_are_refused_with_a_message(cast, client_for):
    c = cohort(cast.org_a)
    client = client_for(cast.coordinator_a)
    client.cookies["django_language"] = "fr"
    response = start(client, c, hard_rules=["different_organizations", "same_organization"])
    assert response.status_code == 400
    refusal = escape(
        "Les mentor·es et les mentoré·es ne peuvent pas être à la fois de la même organisation "
        "et d'organisations différentes."
    )
    assert refusal in response.content.decode()
    assert not MatchRun.objects.exists()


def test_engine_error_fails_the_run_without_proposals(cast, client_for):
    c = cohort(cast.org_a)
    profile = c.mentees[0].user.profile
    profile.availability = ["someday_evening"]
    profile.save()
    client = client_for(cast.coordinator_a)
    start(client, c)
    run = MatchRun.objects.get()
    assert run.status == RunStatus.FAILED
    assert c.mentees[0].user.display_name in run.error
    assert not run.proposals.exists()
    page = client.get(reverse("matching:run", args=[c.program.slug, run.pk])).content.decode()
    assert escape(run.error.split(" (")[0]) in page
    # Fixed data, then retry: the same run succeeds.
    profile.availability = ["tue_evening"]
    profile.save()
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("matching:run_retry", args=[c.program.slug, run.pk]))
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED
    assert run.attempts == 2
    assert run.proposals.count() == 3


def test_a_run_whose_worker_went_silent_looks_failed_and_pages_write_nothing(cast, client_for):
    """The progress partial stops polling and the pages show the run failed as soon as
    its heartbeat is too old; recording the failure is the worker's or the daily
    command's job (tests/matching/test_stale_runs.py), not the page's."""
    import time_machine
    from django.utils import timezone

    c = cohort(cast.org_a)
    run, _ = runs.start_run(edition=c.edition, parameters=RunParameters(), actor=cast.coordinator_a)
    MatchRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, started_at=timezone.now(), heartbeat_at=timezone.now()
    )
    client = client_for(cast.coordinator_a)
    client.cookies["django_language"] = "fr"
    status_url = reverse("matching:run_status", args=[c.program.slug, run.pk])
    polling = client.get(status_url, headers={"HX-Request": "true"})
    assert 'hx-trigger="every 2s"' in polling.content.decode()
    assert "HX-Refresh" not in polling
    detail_url = reverse("matching:run", args=[c.program.slug, run.pk])
    list_url = reverse("matching:runs", args=[c.program.slug])
    later = timezone.now() + selectors.stale_after() * 2
    with time_machine.travel(later), CaptureQueriesContext(connection) as queries:
        ended = client.get(status_url, headers={"HX-Request": "true"})
        detail = client.get(detail_url)
        listed = client.get(list_url)
    assert writes(queries) == []
    assert "every 2s" not in ended.content.decode()
    assert ended["HX-Refresh"] == "true"
    stopped = escape("Le processus de calcul s'est arrêté pendant l'exécution.")
    assert stopped in detail.content.decode()
    assert "Relancer ce calcul" in detail.content.decode()  # the retry button
    assert 'class="badge run-failed"' in listed.content.decode()
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING
    assert not AuditEntry.objects.filter(action="matching.run.failed").exists()


def test_task_run_twice_does_not_duplicate(cast):
    c = cohort(cast.org_a)
    run, _ = runs.start_run(edition=c.edition, parameters=RunParameters(), actor=cast.coordinator_a)
    runs.execute_run(run_id=run.pk)
    runs.execute_run(run_id=run.pk)
    assert run.proposals.count() == 3


@pytest.mark.parametrize("size", [3])
def test_proposal_list_queries_do_not_grow(cast, client_for, size):
    client = client_for(cast.coordinator_a)
    # A session's first page may store what it checked once per session (2FA): not counted.
    client.get(
        reverse("matching:runs", args=[cohort(cast.org_a, mentees=0, mentors=0).program.slug])
    )
    counts = []
    for n in (3, 12):
        c = cohort(cast.org_a, mentees=n, mentors=n)
        run, _ = runs.start_run(
            edition=c.edition, parameters=RunParameters(), actor=cast.coordinator_a
        )
        runs.execute_run(run_id=run.pk)
        for name in ("matching:proposals", "matching:run"):
            url = reverse(name, args=[c.program.slug, run.pk])
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            counts.append((name, len(ctx)))
    assert counts[0][1] == counts[2][1], counts
    assert counts[1][1] == counts[3][1], counts


@pytest.mark.parametrize(
    ("summary", "expected", "absent"),
    [
        ({"proven_optimal": True, "proven_percent": 100.0}, "Optimalité prouvée", "au moins"),
        (
            {"proven_optimal": False, "proven_percent": 99.74},
            "au moins 99,74\u202f%",
            "Optimalité prouvée",
        ),
        ({"proven_optimal": False, "proven_percent": None}, None, "prouv"),
    ],
)
def test_summary_states_how_close_to_the_optimum_the_run_is(
    cast, client_for, summary, expected, absent
):
    c = cohort(cast.org_a, mentees=2, mentors=2)
    run = finished_run(c)
    run.summary = (run.summary or {}) | summary
    run.save(update_fields=["summary"])
    html = (
        client_for(cast.coordinator_a)
        .get(reverse("matching:run", args=[c.program.slug, run.pk]))
        .content.decode()
    )
    if expected:
        assert expected in html
    assert absent not in html
