"""A run's proposals, built and written in bulk (explanations grouped by content, `COPY` on
PostgreSQL), are exactly those of the pair-by-pair path they replaced (issue 24 point 4).

The reference below is the former `services.runs._proposals`, kept as it was: it explains
each pair with `Result.explanation` and keeps the rows as the ORM writes them. Run with and
without DATABASE_URL, the test covers the `COPY` and the batched-insert writes."""

import random

import pytest

from matching_engine import solve
from mentorat.matching import inputs as run_inputs
from mentorat.matching.models import Proposal, ProposalOrigin, RunStatus
from mentorat.matching.parameters import RunParameters
from mentorat.matching.services import runs
from mentorat.participants.models import Profile
from tests.matching.factories import cohort, person

FIELDS = [("Informatique", "M"), ("Comptabilité", "M"), ("Banque", "C"), ("Droit", "K")]
REGIONS = ["ARA", "BRE", "IDF", "OCC"]
SKILLS = ["Python", "SQL", "Gestion de projet", "Communication", "Leadership", "Excel"]
GOALS = ["first_job", "internship", "career_change", "network"]
SLOTS = ["mon_evening", "tue_evening", "sat_morning", "sat_afternoon", "sun_morning"]


def _edition(cast, seed: int, *, mentees: int, mentors: int):
    """An edition whose people differ on every criterion, so that many distinct
    explanations (and shared ones) come out."""
    rng = random.Random(seed)
    c = cohort(cast.org_a, mentees=0, mentors=0)
    for role, n, org in (("mentee", mentees, cast.org_a), ("mentor", mentors, c.company)):
        for _k in range(n):
            field_name, domain = rng.choice(FIELDS)
            application = person(
                c.edition,
                role,
                org,
                field_name=field_name,
                domain=domain,
                occupation=rng.choice(["Développeur", "Comptable", "Juriste"]),
                region=rng.choice(REGIONS),
                skills=tuple(rng.sample(SKILLS, rng.randint(0, 4))),
                years=rng.randint(0, 3) if role == "mentee" else rng.randint(2, 30),
                gender=rng.choice(["woman", "man", ""]),
            )
            Profile.objects.filter(user=application.user).update(
                goals=rng.sample(GOALS, rng.randint(0, 3)),
                availability=rng.sample(SLOTS, rng.randint(0, 4)),
                prefers_same_gender_mentor=rng.random() < 0.3,
                changed_careers=rng.random() < 0.3,
                prefers_career_changer_mentor=rng.random() < 0.3,
            )
            (c.mentees if role == "mentee" else c.mentors).append(application)
    return c


def _reference(run) -> dict[int, tuple]:
    """The proposals of the run's inputs as the pair-by-pair path built them."""
    parameters = RunParameters.from_json(run.parameters)
    locked = [(int(a), int(b)) for a, b in run.parameters.get("locked", [])]
    data = run_inputs.load_inputs(edition=run.edition, parameters=parameters, locked=locked)
    result = solve(run_inputs.build(data, parameters), parameters.mode)
    locked_keys = set(data.locked)
    out = {}
    for i, row in enumerate(data.mentees):
        j = int(result.assignment[i])
        if j < 0:
            reason = result.reasons.get(i)
            reason_json = {"code": reason.code, "fr": reason.fr, "en": reason.en} if reason else {}
            out[int(row["id"])] = (None, None, [], reason_json, ProposalOrigin.ENGINE, False)
            continue
        mentor_id = data.mentors[j]["id"]
        is_locked = (row["id"], mentor_id) in locked_keys
        out[int(row["id"])] = (
            int(mentor_id),
            float(result.score[i]),
            runs.explanation_json(result.explanation(i).parts),
            {},
            ProposalOrigin.LOCKED if is_locked else ProposalOrigin.ENGINE,
            is_locked,
        )
    return out


def _stored(run) -> dict[int, tuple]:
    return {
        p.mentee_id: (p.mentor_id, p.score, p.explanation, p.reason, p.origin, p.is_locked)
        for p in Proposal.objects.filter(run=run)
    }


@pytest.mark.parametrize(("seed", "mode"), [(1, "optimal"), (2, "stable"), (3, "optimal")])
def test_bulk_proposals_equal_the_pair_by_pair_path(cast, seed, mode):
    # More mentees than places: some are left unmatched with a reason.
    c = _edition(cast, seed, mentees=40, mentors=14)
    weights = {"gender_preference": 2, "career_change": 3, "seniority": 1, "availability": 2}
    parameters = RunParameters(
        mode=mode,
        weights=weights,
        default_capacity=2,
        hard_rules=("different_organizations",),
    )
    run, _created = runs.start_run(
        edition=c.edition, parameters=parameters, actor=cast.coordinator_a
    )
    runs.execute_run(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.error
    stored, expected = _stored(run), _reference(run)
    assert stored == expected
    matched = [row for row in stored.values() if row[0] is not None]
    assert 0 < len(matched) < len(stored)  # both kinds of rows were compared
    # Several criteria scored and explanations differ from pair to pair.
    assert len({len(row[2]) for row in matched}) > 1
    assert len({str(row[2]) for row in matched}) > len(matched) // 2


def test_locked_pairs_of_a_rerun_are_written_as_locked(cast):
    c = _edition(cast, 4, mentees=8, mentors=4)
    parameters = RunParameters(default_capacity=2, hard_rules=("different_organizations",))
    first, _created = runs.start_run(
        edition=c.edition, parameters=parameters, actor=cast.coordinator_a
    )
    runs.execute_run(run_id=first.pk)
    kept = Proposal.objects.filter(run=first, mentor__isnull=False).order_by("pk").first()
    assert kept is not None
    Proposal.objects.filter(pk=kept.pk).update(is_locked=True)
    second, _created = runs.start_run(
        edition=c.edition, parameters=parameters, actor=cast.coordinator_a, base_run=first
    )
    runs.execute_run(run_id=second.pk)
    second.refresh_from_db()
    stored = _stored(second)
    assert stored == _reference(second)
    assert stored[kept.mentee_id][0] == kept.mentor_id
    assert stored[kept.mentee_id][4:] == (ProposalOrigin.LOCKED, True)


def test_profiles_read_in_bulk_equal_the_orm_values(cast):
    """The bulk read (driver's rows, JSON columns decoded at once) gives the values the
    ORM gives, null profiles and empty lists included."""
    from mentorat.applications.models import Application

    c = _edition(cast, 5, mentees=12, mentors=5)
    Profile.objects.filter(user=c.mentees[0].user).update(goals=[], priority_groups=[])
    Profile.objects.filter(user=c.mentees[1].user).delete()  # read as NULL columns
    applications = Application.objects.filter(edition=c.edition)
    expected = list(applications.order_by("pk").values(*run_inputs._PROFILE_FIELDS))
    assert run_inputs.profile_values(applications) == expected
    assert len(expected) == 17
    assert any(v["user__profile__id"] is None for v in expected)  # the NULL columns
    assert any(v["user__profile__goals"] == [] for v in expected)


def test_an_empty_selection_reads_no_profile(cast):
    """`pk__in=[]` (an evening with no mentee registered, say) is known empty before any
    SQL is written: the bulk read returns nothing instead of failing."""
    from mentorat.applications.models import Application

    _edition(cast, 6, mentees=3, mentors=2)
    assert run_inputs.profile_values(Application.objects.filter(pk__in=[])) == []
    assert run_inputs.mentee_rows(Application.objects.filter(pk__in=[]), priority_groups=()) == []
