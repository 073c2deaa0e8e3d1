"""One match score everywhere: compatibility from 0 to 100, the pair's points over the best
score the program's criteria allow, shown the same on every page, export and email."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from matching_engine import Weights
from matching_engine.explain import compatibility_percent
from mentorat.demo.mentorships import _engine_score
from mentorat.matching.explain import Compatibility, best_points, mentorship_compatibility
from mentorat.matching.models import MentorRequest, Proposal
from mentorat.matching.parameters import RunParameters
from mentorat.matching.services import publication
from mentorat.matching.services import requests as request_services
from mentorat.matching.templatetags.matching_tags import percent, points_out_of
from mentorat.mentorships.models import Mentorship
from mentorat.programs.models import Criterion, MatchingSettings
from tests.matching.factories import cohort, person

pytestmark = pytest.mark.django_db

# The compatibility as the English pages write it, inside the element that shows it.
SHOWN = re.compile(r"(\d+)%")


# The percentage ------------------------------------------------------------------------------


def test_percentage_runs_from_zero_to_the_best_possible():
    assert compatibility_percent(0, 139) == 0
    assert compatibility_percent(139, 139) == 100
    assert compatibility_percent(82, 139) == 59  # 58.99… rounds to 59


def test_halves_round_up_exactly():
    assert compatibility_percent(1, 8) == 13  # 12.5
    assert compatibility_percent(5, 8) == 63  # 62.5
    assert compatibility_percent(1, 3) == 33
    assert compatibility_percent(2, 3) == 67
    assert compatibility_percent(0.5, 200) == 0  # 0.25
    assert compatibility_percent(1, 200) == 1  # 0.5


def test_points_beyond_the_best_or_below_zero_stay_within_the_scale():
    # E.g. points scored under heavier weights than the ones the best is computed from.
    assert compatibility_percent(300, 139) == 100
    assert compatibility_percent(-5, 139) == 0


def test_criteria_with_zero_weights_have_no_percentage():
    nothing = RunParameters(weights=dict.fromkeys(_criteria(), 0))
    assert best_points(nothing) == 0
    assert compatibility_percent(0, 0) is None
    compat = Compatibility(points=0, best=best_points(nothing))
    assert compat.percent is None
    assert percent(compat) == "—"  # never "0 %" for a program that scores nothing
    assert percent(None) == "—"


def test_best_possible_points_follow_the_program_weights():
    assert best_points(RunParameters()) == Weights().max_score() == 139
    # Skills weighed twice: three shared skills are worth 2 × 3 × 8 more points.
    assert best_points(RunParameters(weights={"skills": 2})) == 139 + 24
    # Field and ROME domain exclude each other: only the larger counts.
    assert best_points(RunParameters(weights={"rome_domain": 0})) == 139
    assert best_points(RunParameters(weights={"field": 0})) == 139 - 30 + 15


def test_one_filter_formats_the_percentage_and_its_points():
    compat = Compatibility(points=82, best=139)
    with translation.override("en"):
        assert percent(compat) == "59%"
        assert points_out_of(compat) == "82 points out of a possible 139"
        assert points_out_of(Compatibility(points=1, best=139)) == "1 point out of a possible 139"
        assert points_out_of(Compatibility(points=7.5, best=20)) == (
            "7.5 points out of a possible 20"
        )


def _criteria() -> list[str]:
    return list(Criterion.values)


# One pair, every page ------------------------------------------------------------------------


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _shown(html: str, css: str) -> list[int]:
    """The percentages inside the elements of class `css`."""
    found = re.findall(rf'class="{css}"[^>]*>([^<]*)<', html)
    return [int(n) for text in found for n in SHOWN.findall(text)]


def _pair_cohort(cast, **settings):
    """One mentee of A and one mentor of a partner company, sharing a field, two skills
    and a region (the engine gives them part of the best possible points)."""
    c = cohort(cast.org_a, mentees=0, mentors=0)
    # The weights `run_for` uses unless told otherwise (every criterion counted once).
    MatchingSettings.objects.filter(program=c.program).update(
        **({"criteria_weights": {}} | settings)
    )
    c.mentees.append(person(c.edition, "mentee", cast.org_a, skills=("Python", "SQL")))
    c.mentors.append(person(c.edition, "mentor", c.company, skills=("Python", "SQL", "Go")))
    for application in (*c.mentees, *c.mentors):
        application.user.language = "en"
        application.user.save(update_fields=["language"])
    return c


def test_one_published_pair_shows_the_same_compatibility_everywhere(
    cast, client_for, run_for, mailoutbox
):
    c = _pair_cohort(cast, criteria_weights={"skills": 2})
    run = run_for(c, weights={"skills": 2})
    proposal = Proposal.objects.get(run=run, mentor__isnull=False)
    points, best = proposal.score, best_points(RunParameters(weights={"skills": 2}))
    expected = compatibility_percent(points, best)
    assert expected is not None
    assert 0 < expected < 100
    assert int(points) != expected  # the raw total cannot pass for the percentage
    sentence = f"{int(points)} points out of a possible {best}"
    coordinator = _english(client_for(cast.coordinator_a))
    slug = c.program.slug

    proposals = _page(coordinator, reverse("matching:proposals", args=[slug, run.pk]))
    assert _shown(proposals, "compatibility") == [expected]
    assert sentence in proposals
    review = _page(coordinator, reverse("matching:mentee", args=[slug, run.pk, proposal.mentee_id]))
    assert _shown(review, "compatibility") == [expected]
    assert sentence in review
    checked = _page(
        coordinator,
        reverse("matching:mentee", args=[slug, run.pk, proposal.mentee_id])
        + f"?mentor={proposal.mentor_id}",
    )
    assert _shown(checked, "new-score") == [expected]
    summary = _page(coordinator, reverse("matching:run", args=[slug, run.pk]))
    assert _shown(summary, "figure").count(expected) == 1  # the mean of its only pair
    assert f"on average {sentence}" in summary

    export = coordinator.get(reverse("matching:proposals_export", args=[slug, run.pk]))
    assert export["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert [r["Compatibility (%)"] for r in rows] == [str(expected)]
    assert [(r["Points"], r["Best possible points"]) for r in rows] == [
        (str(int(points)), str(best))
    ]

    with TestCase.captureOnCommitCallbacks(execute=True):
        publication.publish_run(run=run, actor=cast.coordinator_a)
    pair = Mentorship.objects.get(edition=c.edition)
    compat = mentorship_compatibility(pair)
    assert compat is not None
    assert compat.percent == expected
    workspace = _page(coordinator, reverse("mentorships:workspace", args=[pair.pk]))
    assert _shown(workspace, "compatibility") == [expected]
    assert sentence in workspace
    assert f">{pair.score:.2f}<" not in workspace  # the old 0–1 display is gone
    for person_ in (pair.mentee, pair.mentor):
        answer = _page(
            _english(client_for(person_)), reverse("matching:pair_answer", args=[pair.pk])
        )
        assert f"Compatibility {expected}%: {sentence}." in answer
    introductions = [m for m in mailoutbox if "meet your mentoring partner" in m.subject]
    assert len(introductions) == 2
    for email in introductions:
        assert f"Compatibility {expected}%: {sentence}." in email.body
        html = email.alternatives[0][0] if email.alternatives else ""
        assert f"Compatibility {expected}%: {sentence}." in html


def test_a_self_matched_pair_shows_the_same_compatibility_everywhere(
    cast, client_for, run_for, mailoutbox
):
    # The same two profiles under the same criteria, in a program where mentees choose.
    ranked = _pair_cohort(cast, criteria_weights={"skills": 2})
    run = run_for(ranked, weights={"skills": 2})
    expected = compatibility_percent(
        Proposal.objects.get(run=run, mentor__isnull=False).score,
        best_points(RunParameters(weights={"skills": 2})),
    )
    c = _pair_cohort(cast, criteria_weights={"skills": 2}, mode="self_matching")
    mentee, mentor = c.mentees[0], c.mentors[0]

    suggestions = _page(
        _english(client_for(mentee.user)), reverse("matching:suggestions", args=[mentee.pk])
    )
    assert _shown(suggestions, "compatibility") == [expected]
    assert "points out of a possible 163" in suggestions
    with TestCase.captureOnCommitCallbacks(execute=True):
        found = request_services.request_mentor(
            application=mentee, mentor_id=mentor.pk, actor=mentee.user
        )
    received = _page(_english(client_for(mentor.user)), reverse("matching:my_requests"))
    assert f"Why you were suggested (compatibility {expected}%)" in received
    assert "points out of a possible 163" in received
    to_mentor = [m for m in mailoutbox if m.to == [mentor.user.email]]
    assert len(to_mentor) == 1
    assert f"Compatibility {expected}%:" in to_mentor[0].body

    with TestCase.captureOnCommitCallbacks(execute=True):
        request_services.answer_request(
            mentor_request=MentorRequest.objects.get(pk=found.pk),
            accept=True,
            actor=mentor.user,
        )
    pair = Mentorship.objects.get(edition=c.edition)
    assert pair.explanation["best_points"] == 163  # kept with the pair
    coordinator = _english(client_for(cast.coordinator_a))
    workspace = _page(coordinator, reverse("mentorships:workspace", args=[pair.pk]))
    assert _shown(workspace, "compatibility") == [expected]


def test_later_weight_changes_do_not_change_a_published_pair(cast, client_for, run_for):
    c = _pair_cohort(cast)
    run = run_for(c)
    with TestCase.captureOnCommitCallbacks(execute=True):
        publication.publish_run(run=run, actor=cast.coordinator_a, notify=False)
    pair = Mentorship.objects.get(edition=c.edition)
    before = mentorship_compatibility(pair)
    MatchingSettings.objects.filter(program=c.program).update(
        criteria_weights={"skills": 10, "region": 10}
    )
    assert mentorship_compatibility(pair) == before  # measured against the run's criteria


def test_demo_pairs_carry_the_engine_score_of_a_real_run(cast, run_for):
    c = _pair_cohort(cast)
    run = run_for(c)
    proposal = Proposal.objects.get(run=run, mentor__isnull=False)
    demo = _engine_score(c.edition, c.mentors[0], c.mentees[0])
    assert demo["score"] == proposal.score
    assert demo["explanation"]["parts"] == proposal.explanation
    assert demo["explanation"]["best_points"] == best_points(RunParameters())


def test_an_alternative_mentor_is_compared_in_compatibility_not_points(cast, client_for, run_for):
    c = _pair_cohort(cast)
    weaker = person(c.edition, "mentor", c.company, skills=(), occupation="Comptable")
    run = run_for(c)
    proposal = Proposal.objects.get(run=run, mentor__isnull=False)
    assert proposal.mentor_id == c.mentors[0].pk
    best = best_points(RunParameters())
    chosen = compatibility_percent(proposal.score, best)
    page = _page(
        _english(client_for(cast.coordinator_a)),
        reverse("matching:mentee", args=[c.program.slug, run.pk, proposal.mentee_id]),
    )
    row = page[page.index(weaker.user.display_name) :]
    alternative = _shown(row, "compatibility")[0]
    assert alternative < chosen
    assert f"Lower compatibility ({alternative}% vs {chosen}%)" in row


def test_a_program_that_weighs_no_criterion_shows_no_percentage(cast, client_for, run_for):
    nothing = dict.fromkeys(_criteria(), 0)
    c = _pair_cohort(cast, criteria_weights=nothing)
    run = run_for(c, weights=nothing)
    assert Proposal.objects.get(run=run, mentor__isnull=False).score == 0
    page = _page(
        _english(client_for(cast.coordinator_a)),
        reverse("matching:proposals", args=[c.program.slug, run.pk]),
    )
    assert re.findall(r'class="compatibility"[^>]*>([^<]*)<', page) == ["—"]
    assert "out of a possible 0" not in page


def test_the_compatibility_costs_no_query_per_row(cast, client_for, run_for):
    coordinator = _english(client_for(cast.coordinator_a))

    def queries_for(mentees: int, slug: str) -> tuple[int, int]:
        c = cohort(cast.org_a, mentees=mentees, mentors=mentees, slug=slug)
        run = run_for(c)
        counts = []
        for name in ("matching:proposals", "matching:proposals_export"):
            with CaptureQueriesContext(connection) as queries:
                assert coordinator.get(reverse(name, args=[slug, run.pk])).status_code == 200
            counts.append(len(queries))
        return counts[0], counts[1]

    assert queries_for(1, "one-pair") == queries_for(4, "four-pairs")
