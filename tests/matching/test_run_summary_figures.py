"""The run summary's figures agree with each other (issue 17, point 2), on real runs of the
engine: matched + unmatched = eligible, free places before = taken by the pairs + left
after, the mentor load table counts every mentor who had a place and every matched
mentee, and "compatible mentors were all at capacity" is never shown next to free places
without saying where those places are."""

from django.urls import reverse

from mentorat.matching import selectors
from mentorat.matching.models import MatchRun, RunStatus
from mentorat.matching.services import capacity as capacity_services
from mentorat.matching.services import publication
from mentorat.matching.services import review as review_services
from mentorat.mentorships.services.pairs import create_mentorship
from tests.matching.factories import cohort, person


def check_arithmetic(summary: selectors.RunSummary) -> None:
    assert summary.matched + summary.unmatched == summary.eligible
    assert summary.places_after == summary.capacity - summary.matched >= 0
    assert sum(k for _n, k in summary.load) == summary.mentors
    assert sum(n * k for n, k in summary.load) == summary.matched
    assert sum(n for _reason, n in summary.reasons) == summary.unmatched


def figure(content: str, name: str) -> int:
    marker = f'data-figure="{name}">'
    start = content.index(marker) + len(marker)
    return int(content[start : content.index("<", start)])


def page_of(client, c, run) -> str:
    client.cookies["django_language"] = "en"
    return client.get(reverse("matching:run", args=[c.program.slug, run.pk])).content.decode()


def test_figures_add_up_on_an_incremental_run(cast, client_for, run_for):
    # Three mentors of two places each, one of whom already has a mentee: 5 places.
    c = cohort(cast.org_a, mentees=7, mentors=3, capacity=2)
    create_mentorship(mentor=c.mentors[0], mentee=c.mentees[0])
    run = run_for(c, default_capacity=2)
    summary = selectors.run_summary(run=run, language="en")
    check_arithmetic(summary)
    assert (summary.eligible, summary.mentors, summary.capacity) == (6, 3, 5)
    assert (summary.matched, summary.unmatched, summary.places_after) == (5, 1, 0)
    assert summary.full == 1
    assert not summary.full_with_places_left
    content = page_of(client_for(cast.coordinator_a), c, run)
    assert figure(content, "places-before") == 5
    assert figure(content, "places-taken") == 5
    assert figure(content, "places-after") == 0
    assert figure(content, "mentors") == 3
    assert "5 / 6" in content
    assert "compatible mentors were all at capacity : <strong>1</strong>" in content


def test_places_left_with_mentors_a_rule_excludes_are_explained(cast, client_for, run_for):
    c = cohort(cast.org_a, mentees=3, mentors=1, capacity=1)
    # A mentor of the mentees' own organisation: the program's rule excludes them.
    person(c.edition, "mentor", cast.org_a, skills=("Python",))
    run = run_for(c)
    summary = selectors.run_summary(run=run, language="en")
    check_arithmetic(summary)
    assert (summary.capacity, summary.matched, summary.places_after) == (2, 1, 1)
    assert summary.full == 2
    assert summary.full_with_places_left
    content = page_of(client_for(cast.coordinator_a), c, run)
    assert figure(content, "places-after") == 1
    assert "The 1 free place left is with a mentor whom a rule of the program excludes" in content


def test_figures_follow_changes_made_by_hand(cast, client_for, run_for):
    c = cohort(cast.org_a, mentees=3, mentors=2)
    run = run_for(c)
    before = selectors.run_summary(run=run, language="en")
    paired = run.proposals.filter(mentor__isnull=False).first()
    review_services.assign_mentor(
        run=run, mentee_id=paired.mentee_id, mentor_id=None, actor=cast.coordinator_a
    )
    after = selectors.run_summary(run=run, language="en")
    check_arithmetic(after)
    assert after.capacity == before.capacity
    assert (after.matched, after.places_after) == (before.matched - 1, before.places_after + 1)
    assert after.changed_by_hand
    assert not before.changed_by_hand
    content = page_of(client_for(cast.coordinator_a), c, run)
    assert figure(content, "places-after") == after.places_after
    assert "pairs changed by hand since then may have freed or taken places" in content


def test_a_capacity_raised_after_the_run_keeps_the_figures_consistent(cast, run_for):
    c = cohort(cast.org_a, mentees=3, mentors=2)
    run = run_for(c)
    unmatched = run.proposals.get(mentor__isnull=True)
    mentor = run.proposals.filter(mentor__isnull=False).first().mentor
    capacity_services.set_mentor_capacity(application=mentor, capacity=2, actor=cast.coordinator_a)
    review_services.assign_mentor(
        run=run, mentee_id=unmatched.mentee_id, mentor_id=mentor.pk, actor=cast.coordinator_a
    )
    summary = selectors.run_summary(run=run, language="en")
    check_arithmetic(summary)
    assert (summary.matched, summary.places_after) == (3, 0)


def test_runs_saved_before_the_offer_was_stored_give_the_same_figures(cast, run_for):
    c = cohort(cast.org_a, mentees=4, mentors=3, capacity=1)
    create_mentorship(mentor=c.mentors[0], mentee=c.mentees[0])
    run = run_for(c)
    stored = selectors.run_summary(run=run, language="en")
    publication.publish_run(run=run, actor=cast.coordinator_a, notify=False)
    run.refresh_from_db()
    assert run.status == RunStatus.PUBLISHED
    legacy = {k: v for k, v in run.summary.items() if k not in ("mentors", "places")}
    MatchRun.objects.filter(pk=run.pk).update(summary=legacy)
    run.refresh_from_db()
    rebuilt = selectors.run_summary(run=run, language="en")
    check_arithmetic(rebuilt)
    # The pairs this run published do not count as places taken before it.
    assert (rebuilt.mentors, rebuilt.capacity, rebuilt.places_after) == (
        stored.mentors,
        stored.capacity,
        stored.places_after,
    )
