"""The review pages of a national run (issue 24 point 4): the proposals table sorted on the
keys written with each proposal, the summary's counts stored on the run, one mentee's
review ranking the mentors near the mentee first. Each must show what the slower way
showed, with a number of statements that does not grow with the run."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentorat.accounts.models import User
from mentorat.matching import explain, figures, selectors
from mentorat.matching import inputs as run_inputs
from mentorat.matching.models import (
    MatchRun,
    MentorCapacity,
    PairExclusion,
    PlaceReservation,
    Proposal,
    RunMentor,
)
from mentorat.matching.parameters import RunParameters
from mentorat.matching.services import review as review_services
from mentorat.mentorships.models import Mentorship, MentorshipStatus
from mentorat.participants.models import Profile, Skill
from tests.factories import UserFactory
from tests.matching.factories import cohort, person


def _normalised(counts: dict) -> dict:
    return {
        "groups": sorted(counts["groups"], key=repr),
        "reasons": sorted(counts["reasons"], key=repr),
        "loads": sorted(map(tuple, counts["loads"])),
    }


@pytest.mark.parametrize("sort", ["mentee", "-mentee", "mentor", "-mentor", "organization"])
def test_pages_follow_the_names_order_after_a_change_by_hand(cast, client_for, run_for, sort):
    c = cohort(cast.org_a, mentees=57, mentors=60)
    # Equal names: the proposal's id orders them, as the sort on the names did.
    for application in c.mentees[:4] + c.mentors[:3]:
        User.objects.filter(pk=application.user_id).update(first_name="Camille", last_name="Roux")
    run = run_for(c)
    assert figures.has_sort_keys(run)
    paired = Proposal.objects.filter(run=run, mentor__isnull=False).order_by("pk").first()
    loads = selectors.mentor_loads(run=run)
    free = next(m for m in c.mentors if not loads.get(m.pk))
    review_services.assign_mentor(
        run=run, mentee_id=paired.mentee_id, mentor_id=free.pk, actor=cast.coordinator_a
    )
    by_names = list(
        Proposal.objects.filter(run=run)
        .order_by(*selectors.SORTS[sort])
        .values_list("pk", flat=True)
    )
    url = reverse("matching:proposals", args=[c.program.slug, run.pk])
    client = client_for(cast.coordinator_a)
    shown = []
    for number in (1, 2):  # the second page is read from the end
        page = client.get(url, {"sort": sort, "page": number}).context["page"]
        assert page.paginator.count == 57
        shown += [p.pk for p in page.object_list]
    assert shown == by_names


def test_stored_counts_stay_those_of_the_proposals(cast, run_for):
    c = cohort(cast.org_a, mentees=6, mentors=4, capacity=2)
    run = run_for(c)
    assert _normalised(figures.stored(run)) == _normalised(figures.count(run))
    proposals = list(Proposal.objects.filter(run=run, mentor__isnull=False).order_by("pk"))
    review_services.assign_mentor(
        run=run, mentee_id=proposals[0].mentee_id, mentor_id=None, actor=cast.coordinator_a
    )
    review_services.exclude_pair(
        run=run,
        mentee_id=proposals[1].mentee_id,
        mentor_id=proposals[1].mentor_id,
        actor=cast.coordinator_a,
    )
    run.refresh_from_db()
    stored = figures.stored(run)
    assert _normalised(stored) == _normalised(figures.count(run))
    summary = selectors.run_summary(run=run, language="en")
    assert summary.matched == Proposal.objects.filter(run=run, mentor__isnull=False).count()
    assert summary.changed_by_hand


def _statements(client, url, data=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, data or {}).status_code == 200
    return len(captured)


def test_review_pages_statements_do_not_grow_with_the_run(cast, client_for, run_for):
    counts = []
    for mentees, mentors in ((8, 8), (40, 24)):
        c = cohort(cast.org_a, mentees=mentees, mentors=mentors, capacity=2)
        run = run_for(c)
        args = [c.program.slug, run.pk]
        client = client_for(cast.coordinator_a)
        table = reverse("matching:proposals", args=args)
        first = Proposal.objects.filter(run=run).order_by("pk").first()
        client.get(reverse("matching:run", args=args))  # the session's first page
        with CaptureQueriesContext(connection) as review:
            explain.review_mentee(
                run=run, mentee_id=first.mentee_id, current_mentor=first.mentor_id, language="fr"
            )
        counts.append(
            [
                _statements(client, reverse("matching:run", args=args)),
                _statements(client, table),
                _statements(client, table, {"sort": "-score", "page": 2}),
                _statements(client, table, {"sort": "mentor", "page": 2}),
                _statements(client, reverse("matching:mentee", args=[*args, first.mentee_id])),
                len(review),
            ]
        )
    assert counts[0] == counts[1]
    # The review itself (a mentee who wants no skill, ranked at the second tier): the
    # run's edition and program (2, already read by the page), the mentee's inputs once
    # (6), the mentors the run kept near it and those changed since the run (2), the near
    # mentors' rows (7: places, safeguarding checks, profiles and skills), the places of
    # the mentors shown (1).
    assert counts[0][-1] == 18


FIELDS = [
    ("Informatique", "M"),
    ("informatique ", "M"),  # the same field as the engine compares them
    ("Comptabilité", "M"),
    ("Banque", "C"),
    ("Chimie", "H"),
    ("", "M"),
    ("", ""),
]


def _random_edition(cast, run_for, rng: random.Random):
    """A run of an edition of 14 mentees and 30 mentors (one without a place) whose
    fields, domains, occupations and skills are drawn from spellings the engine
    compares as equal."""
    c = cohort(cast.org_a, mentees=0, mentors=0)
    # Two spellings of one skill as the engine compares them.
    skills = ("Python", "python ", "SQL", "Excel", "Audit", "Électricité", "electricite")
    for role, n in (("mentee", 14), ("mentor", 30)):
        for _k in range(n):
            field_name, domain = rng.choice(FIELDS)
            application = person(
                c.edition,
                role,
                cast.org_a if role == "mentee" else c.company,
                user=UserFactory(),
                field_name=field_name,
                domain=domain,
                occupation=rng.choice(["Développeur", "Comptable", ""]),
                region=rng.choice(["ARA", "IDF"]),
                skills=tuple(rng.sample(skills, rng.randint(0, 3))),
                years=rng.randint(0, 30),
            )
            (c.mentees if role == "mentee" else c.mentors).append(application)
    # The first mentor's one place is taken by a pair made before the run.
    Mentorship.objects.create(
        edition=c.edition,
        mentor_application=c.mentors[0],
        mentee_application=person(c.edition, "mentee", cast.org_a),
        status=MentorshipStatus.ACTIVE,
        started_on=c.edition.starts_on,
    )
    return c, run_for(c, hard_rules=())


def _reviews(run) -> list:
    """Every mentee's review: the proposed pair's parts and the alternatives as shown."""
    out = []
    for proposal in Proposal.objects.filter(run=run).order_by("pk"):
        review = explain.review_mentee(
            run=run, mentee_id=proposal.mentee_id, current_mentor=proposal.mentor_id, language="fr"
        )
        out.append(
            (
                review.parts,
                [(a.mentor_id, a.score, a.parts, a.reason, a.free) for a in review.alternatives],
            )
        )
    return out


@pytest.mark.parametrize("kept", [True, False], ids=["mentors-kept-by-the-run", "read-live"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_ranking_near_mentors_first_gives_the_review_of_every_mentor(
    cast, run_for, monkeypatch, seed, kept
):
    c, run = _random_edition(cast, run_for, random.Random(seed))
    assert run.summary["mentors_kept"]
    if not kept:  # a run written before it kept its mentors: their groups are read live
        MatchRun.objects.filter(pk=run.pk).update(
            summary={k: v for k, v in run.summary.items() if k != "mentors_kept"}
        )
        run.refresh_from_db()

    ranked_among = []
    tiers: list[list[str]] = []
    ranked, near = explain._ranked, explain.near_mentors

    def recording(*args, **kwargs):
        tiers.append([])
        ctx, found = ranked(*args, **kwargs)
        ranked_among.append(len(ctx.data.mentors))
        return ctx, found

    def tier_recording(**kwargs):
        tiers[-1].append(kwargs["tier"])
        return near(**kwargs)

    changed_only = explain.mentor_groups

    def no_groups(edition, changed_since=None):
        # The run kept its mentors: only those changed since are read live.
        assert changed_since is not None, "no need to group every mentor of the edition"
        return changed_only(edition, changed_since=changed_since)

    monkeypatch.setattr(explain, "_ranked", recording)
    monkeypatch.setattr(explain, "near_mentors", tier_recording)
    if kept:
        monkeypatch.setattr(explain, "mentor_groups", no_groups)
    near_first = _reviews(run)
    # Some mentees were ranked among the mentors near them alone, not all; some needed
    # more than the first tier.
    assert min(ranked_among) < len(c.mentors)
    assert all(t[:1] == ["skill"] for t in tiers)
    assert any(len(t) > 1 for t in tiers)
    monkeypatch.setattr(explain, "near_mentors", lambda **_kwargs: None)
    assert near_first == _reviews(run)


def test_a_review_reads_the_mentee_and_the_edition_once_whatever_the_tiers(
    cast, run_for, monkeypatch
):
    _c, run = _random_edition(cast, run_for, random.Random(1))
    # A pair excluded by hand: the review must still leave it out at every tier.
    first = Proposal.objects.filter(run=run, mentor__isnull=False).order_by("pk").first()
    review_services.exclude_pair(
        run=run, mentee_id=first.mentee_id, mentor_id=first.mentor_id, actor=cast.coordinator_a
    )
    ranked: list[int] = []  # rankings made for each review, one a tier read
    rank_mentors = explain.rank_mentors

    def counting(*args, **kwargs):
        ranked[-1] += 1
        return rank_mentors(*args, **kwargs)

    monkeypatch.setattr(explain, "rank_mentors", counting)
    wanted = Profile.skills_wanted.through
    tables = [m._meta.db_table for m in (PairExclusion, PlaceReservation, Mentorship, wanted)]
    reads = []
    for proposal in Proposal.objects.filter(run=run).order_by("pk"):
        ranked.append(0)
        with CaptureQueriesContext(connection) as captured:
            review = explain.review_mentee(
                run=run,
                mentee_id=proposal.mentee_id,
                current_mentor=proposal.mentor_id,
                language="fr",
            )
        reads.append([sum(f'"{table}"' in q["sql"] for q in captured) for table in tables])
        if proposal.mentee_id == first.mentee_id:
            assert first.mentor_id not in {a.mentor_id for a in review.alternatives if a.assignable}
    assert max(ranked) >= 2, "some review ranks the mentors of two tiers or more"
    # Once a review: the exclusions, the reservations, the active and the ended pairs, the
    # skills the mentee wants (with its row).
    assert reads == [[1, 1, 2, 1]] * len(reads)


def test_the_run_keeps_every_accepted_mentor_as_the_review_compares_them(cast, run_for):
    c, run = _random_edition(cast, run_for, random.Random(4))
    kept = {
        (m.mentor_id, m.field, m.letter, m.occupation) for m in RunMentor.objects.filter(run=run)
    }
    # What the edition's groups say, compared as the review compares them; mentors with
    # neither field nor domain are near no mentee, and are not kept.
    live = {
        (pk, *run_inputs.mentor_key(f, d, o))
        for f, d, o, ids in explain.mentor_groups(c.edition)
        for pk in ids
    }
    assert kept == {row for row in live if row[1] or row[2]}
    # The mentor without a place is kept: a place may come free before the review.
    assert c.mentors[0].pk in {row[0] for row in kept}
    assert any(not row[1] for row in kept)  # a domain without a field is kept


def test_a_profile_changed_after_the_run_shows_at_the_next_view(cast, run_for, monkeypatch):
    c, run = _random_edition(cast, run_for, random.Random(5))
    # After the run: mentors change region and skills, others leave the field the run
    # read (found from the run's field, scored on the current one), a capacity changes.
    for k, mentor in enumerate(c.mentors[1:]):
        profile = Profile.objects.get(user_id=mentor.user_id)
        if k % 3 == 0:
            profile.region = "IDF" if profile.region == "ARA" else "ARA"
            profile.save()
            profile.skills_offered.set(Skill.objects.filter(name__in=["SQL", "Audit"]))
        elif k % 3 == 1:
            profile.field, profile.rome_domain, profile.occupation = "Chimie", "H", ""
            profile.save()
    # The first mentor, full at the run, gets places.
    MentorCapacity.objects.update_or_create(application=c.mentors[0], defaults={"capacity": 3})
    near_first = _reviews(run)
    monkeypatch.setattr(explain, "near_mentors", lambda **_kwargs: None)
    every_mentor = _reviews(run)
    assert near_first == every_mentor
    assert c.mentors[0].pk in {a[0] for _parts, alternatives in every_mentor for a in alternatives}


def test_mentors_accepted_or_moved_since_the_run_are_near_by_their_profile_now(cast, run_for):
    c, run = _random_edition(cast, run_for, random.Random(6))
    mentee = Profile.objects.get(user_id=c.mentees[0].user_id)
    # After the run: one mentor moves into the mentee's field, domain and occupation; a
    # mentor is accepted in them. Neither offers a skill, so the first tier cannot find
    # them: only their current profile can.
    moved = c.mentors[-1]
    new = person(
        c.edition,
        "mentor",
        cast.org_a,
        field_name=mentee.field,
        domain=mentee.rome_domain,
        occupation=mentee.target_occupation,
    )
    profile = Profile.objects.get(user_id=moved.user_id)
    profile.skills_offered.clear()
    profile.field, profile.rome_domain = mentee.field, mentee.rome_domain
    profile.occupation = mentee.target_occupation
    profile.save()
    parameters = RunParameters.from_json(run.parameters)
    inputs = run_inputs.read_mentees(
        edition=c.edition, parameters=parameters, mentee_ids=[c.mentees[0].pk]
    )
    for tier in ("occupation", "field", "domain"):
        nearby = explain.nearby_of(run=run, mentee=inputs.mentees[0])
        explain.near_mentors(nearby=nearby, tier="skill")
        near = explain.near_mentors(nearby=nearby, tier=tier)
        if near is not None:
            assert {moved.pk, new.pk} <= set(near), tier


def test_mentors_of_the_field_offering_a_skill_can_be_ranked_alone(cast, run_for, monkeypatch):
    c = cohort(cast.org_a, mentees=0, mentors=0)
    wanted = ("Python", "SQL", "Excel")
    c.mentees.append(person(c.edition, "mentee", cast.org_a, skills=wanted, years=0))
    # The best: the mentee's field and skills, spelt otherwise.
    for _k in range(7):
        c.mentors.append(
            person(
                c.edition,
                "mentor",
                c.company,
                field_name="informatique ",
                skills=("python ", "sql", "excel "),
            )
        )
    for _k in range(4):  # the same field, no skill in common
        c.mentors.append(person(c.edition, "mentor", c.company, skills=("Audit",)))
    for _k in range(4):  # another field, every skill
        c.mentors.append(
            person(c.edition, "mentor", c.company, field_name="Banque", domain="C", skills=wanted)
        )
    run = run_for(c, hard_rules=())
    proposal = Proposal.objects.get(run=run)
    tiers = []
    near = explain.near_mentors

    def recording(**kwargs):
        tiers.append(kwargs["tier"])
        return near(**kwargs)

    def review():
        found = explain.review_mentee(
            run=run, mentee_id=proposal.mentee_id, current_mentor=proposal.mentor_id, language="fr"
        )
        return found.parts, [
            (a.mentor_id, a.score, a.parts, a.reason, a.free) for a in found.alternatives
        ]

    monkeypatch.setattr(explain, "near_mentors", recording)
    skilled = review()
    assert tiers == ["skill"]
    assert {a[0] for a in skilled[1]} <= {m.pk for m in c.mentors[:7]}
    monkeypatch.setattr(explain, "near_mentors", lambda **_kwargs: None)
    assert review() == skilled


def test_a_large_edition_offers_a_search_for_the_mentor_to_assign(
    cast, client_for, run_for, monkeypatch, in_english
):
    monkeypatch.setattr(explain, "MENTOR_CHOICES", 3)
    c = cohort(cast.org_a, mentees=2, mentors=5, capacity=2)
    run = run_for(c)
    mentee = Proposal.objects.filter(run=run).order_by("pk").first().mentee_id
    url = reverse("matching:mentee", args=[c.program.slug, run.pk, mentee])
    client = client_for(cast.coordinator_a)
    response = client.get(url)
    review = response.context["review"]
    # Too many to list: the list holds the mentee's best suited mentors with a place left,
    # not the first names of the alphabet, and says so.
    assert review.more_mentors
    listed = {m[0] for m in review.mentors}
    assert listed
    assert listed <= {a.mentor_id for a in review.alternatives if a.assignable}
    assert "the best suited ones for this mentee" in response.content.decode()
    wanted = c.mentors[4]
    User.objects.filter(pk=wanted.user_id).update(last_name="Zyxwvut")
    response = client.get(url, {"mentor_q": "zyxwv"})
    assert [m[0] for m in response.context["review"].mentors] == [wanted.pk]
    assert 'name="mentor_q"' in response.content.decode()


def _pairs_shown(content: str, run) -> int:
    marker = f'data-run-pairs="{run.pk}">'
    start = content.index(marker) + len(marker)
    return int(content[start : content.index("<", start)])


def test_the_list_of_runs_shows_the_pairs_of_each_run_from_its_stored_counts(
    cast, client_for, run_for
):
    c = cohort(cast.org_a, mentees=6, mentors=4, capacity=2)
    first = run_for(c)
    matched = Proposal.objects.filter(run=first, mentor__isnull=False).count()
    paired = Proposal.objects.filter(run=first, mentor__isnull=False).order_by("pk").first()
    review_services.assign_mentor(
        run=first, mentee_id=paired.mentee_id, mentor_id=None, actor=cast.coordinator_a
    )
    # A run written before the counts were stored on it: counted on the page.
    older = run_for(c, hard_rules=())
    summary = {k: v for k, v in older.summary.items() if k != "figures"}
    MatchRun.objects.filter(pk=older.pk).update(summary=summary)
    url = reverse("matching:runs", args=[c.program.slug])
    client = client_for(cast.coordinator_a)
    content = client.get(url).content.decode()
    assert older.pk != first.pk
    for run in (first, older):
        proposed = Proposal.objects.filter(run=run, mentor__isnull=False).count()
        assert _pairs_shown(content, run) == proposed
    assert _pairs_shown(content, first) == matched - 1  # one unassigned by hand
    statements = _statements(client, url)
    assert run_for(c, mode="stable").pk not in (first.pk, older.pk)
    assert _statements(client, url) == statements
    # When every run stored its counts, the page does not read their proposals at all.
    MatchRun.objects.filter(pk=older.pk).delete()
    with CaptureQueriesContext(connection) as captured:
        content = client.get(url).content.decode()
    assert _pairs_shown(content, first) == matched - 1
    assert not [q for q in captured if Proposal._meta.db_table in q["sql"]]
