from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matching_engine import alternative_reason, build_problem, solve, suggest
from matching_engine.explain import _bits, _distinct_rows
from matching_engine.scoring import score_pairs
from tests.engine.instances import random_problem


def test_suggest_returns_top_k_compatible_mentors_with_free_capacity():
    p = random_problem(3, 30, 20, exclusions=10)
    result = solve(p, "optimal")
    for i in range(p.n_mentees):
        found = suggest(p, [i], top_k=4, assignment=result.assignment)[0]
        used = np.bincount(result.assignment[result.assignment >= 0], minlength=p.n_mentors)
        free = p.mentors.capacity - used
        scores, ok = score_pairs(p, np.full(p.n_mentors, i), np.arange(p.n_mentors))
        eligible = np.flatnonzero(ok & (free > 0))
        expected = sorted(eligible.tolist(), key=lambda j: (-scores[j], j))[:4]
        assert [s.mentor for s in found] == expected
        assert all(s.explanation.total == s.score for s in found)


def test_unmatched_reasons_name_the_rule():
    mentees = [
        {"id": "far", "region": "Corse", "remote": "non"},
        {"id": "lang", "region": "Bretagne", "languages": "portugais"},
        {"id": "org", "region": "Bretagne", "organization": "Acme"},
        {"id": "ok1", "region": "Bretagne"},
        {"id": "ok2", "region": "Bretagne"},
    ]
    mentors = [{"id": "m", "region": "Bretagne", "organization": "Acme", "capacity": "1"}]
    p = build_problem(mentees, mentors)
    result = solve(p)
    codes = {p.mentees.ids[i]: r.code for i, r in result.reasons.items()}
    full = codes.pop("ok1", None) or codes.pop("ok2")
    assert full == "full"
    assert codes == {
        "far": "same_region_unless_remote",
        "lang": "common_language",
        "org": "different_organizations",
    }
    assert "Corse" in result.reasons[0].fr
    assert "remote not accepted" in result.reasons[0].en
    assert "portugais" in result.reasons[1].en


def test_same_organization_and_more_experienced_mentor_rules():
    from matching_engine import Criteria, HardRules

    mentees = [
        {"id": "other-org", "organization": "Beta", "experience_years": "1"},
        {"id": "no-org", "experience_years": "1"},
        {"id": "senior", "organization": "Acme", "experience_years": "12"},
        {"id": "junior", "organization": "Acme", "experience_years": "2"},
    ]
    mentors = [
        {"id": "m", "organization": "Acme", "experience_years": "10", "capacity": "3"},
        {"id": "unknown-xp", "organization": "Acme", "capacity": "3"},
    ]
    rules = HardRules(
        different_organizations=False, same_organization=True, mentor_more_experienced=True
    )
    p = build_problem(mentees, mentors, criteria=Criteria(rules=rules))
    for mode in ("optimal", "stable"):
        result = solve(p, mode)
        assert result.assignment.tolist() == [-1, -1, -1, 0]
        codes = {i: r.code for i, r in result.reasons.items()}
        assert codes == {
            0: "same_organization",
            1: "same_organization",
            2: "mentor_more_experienced",
        }
        assert result.reasons[0].en == "no compatible mentor: same organisation required"
        assert "même organisation exigée" in result.reasons[0].fr
        assert "more experienced" in result.reasons[2].en
    free = np.array([2, 3])
    assert alternative_reason(p, result.assignment, free, 0, 0).code == "rule_same_organization"
    assert (
        alternative_reason(p, result.assignment, free, 3, 1).code == "rule_mentor_more_experienced"
    )
    assert "not more experienced" in alternative_reason(p, result.assignment, free, 3, 1).en


def test_conflicts_previous_pairs_and_alternatives():
    mentees = [{"id": "a", "field": "Santé"}, {"id": "b"}]
    mentors = [{"id": "x", "capacity": "1", "field": "Santé"}, {"id": "y"}]
    p = build_problem(mentees, mentors, conflicts=[("a", "y")], previous=[("b", "y")])
    result = solve(p)
    assert result.assignment.tolist() == [0, -1]
    assert result.reasons[1].code == "full"
    free = p.mentors.capacity - np.bincount(result.assignment[result.assignment >= 0], minlength=2)
    assert alternative_reason(p, result.assignment, free, 0, 1).code == "excluded"
    assert "conflict" in alternative_reason(p, result.assignment, free, 0, 1).en
    assert alternative_reason(p, result.assignment, free, 1, 0).code == "capacity"


def test_parity_targets_are_reported():
    from matching_engine import Criteria

    mentees = [{"id": f"e{k}", "priority": "boursier" if k < 3 else ""} for k in range(6)]
    mentors = [{"id": "m", "capacity": "2"}]
    p = build_problem(mentees, mentors, criteria=Criteria(parity_targets=(("boursier", 0.9),)))
    result = solve(p)
    (report,) = result.parity
    assert (report.size, report.matched, report.met) == (3, 2, False)


def test_women_share_target_is_met_in_optimal_mode_when_possible():
    from matching_engine import Criteria

    # Men score higher with the only mentors; a 50 % share of women needs the bonus.
    mentees = [
        {"id": "h1", "gender": "H", "field": "Santé"},
        {"id": "h2", "gender": "H", "field": "Santé"},
        {"id": "f1", "gender": "F"},
        {"id": "f2", "gender": "F", "priority": "boursier"},
    ]
    mentors = [{"id": "m", "field": "Santé", "capacity": "2"}]
    plain = solve(build_problem(mentees, mentors), "optimal")
    # Priority first, then score: one man joins the scholarship holder.
    assert plain.assignment[3] == 0
    assert int((plain.assignment[:2] == 0).sum()) == 1
    assert not plain.parity
    criteria = Criteria(women_share_target=1.0)
    result = solve(build_problem(mentees, mentors, criteria=criteria), "optimal")
    assert result.assignment.tolist() == [-1, -1, 0, 0]
    (report,) = result.parity
    assert (report.group, report.size, report.matched, report.met) == ("women", 2, 2, True)
    assert result.summary.score_bound is None  # no longer the unconstrained optimum
    # Coverage stays first: with 1 woman for 2 places the target cannot be met.
    fewer = [m for m in mentees if m["id"] != "f1"]
    result = solve(build_problem(fewer, mentors, criteria=criteria), "optimal")
    (report,) = result.parity
    assert (report.size, report.matched, report.best, report.met) == (2, 1, 1, False)
    assert int((result.assignment >= 0).sum()) == 2


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 100_000), share=st.sampled_from([0.3, 0.5, 0.7]))
def test_parity_never_lowers_priority_or_coverage_and_is_met_when_brute_force_can(seed, share):
    import itertools

    from matching_engine import Criteria, HardRules
    from matching_engine.algorithms.edges import all_edges

    base = random_problem(seed, 6, 3)
    p = replace(base, criteria=Criteria(rules=HardRules(), women_share_target=share))
    plain, result = solve(base, "optimal"), solve(p, "optimal")
    key = lambda a: (int((p.mentees.priority & (a >= 0)).sum()), int((a >= 0).sum()))  # noqa: E731
    assert key(result.assignment) == key(plain.assignment)
    edges = all_edges(p)
    options = [[-1] for _ in range(p.n_mentees)]
    for i, j in zip(edges.mentee.tolist(), edges.mentor.tolist(), strict=True):
        options[i].append(j)
    women = p.mentees.gender == 1
    best_women = 0
    for choice in itertools.product(*options):
        a = np.array(choice)
        counts = np.bincount(a[a >= 0], minlength=p.n_mentors)
        if (counts <= p.mentors.capacity).all() and key(a) == key(plain.assignment):
            best_women = max(best_women, int((women & (a >= 0)).sum()))
    (report,) = result.parity
    matched = int((result.assignment >= 0).sum())
    feasible = best_women >= np.ceil(share * matched - 1e-9)
    assert report.met or not feasible
    if not report.met:
        assert report.best == best_women


def test_parity_pursuit_in_the_priced_solver(monkeypatch):
    from matching_engine import engine

    base = random_problem(7, 150, 60)
    p = replace(base, criteria=replace(base.criteria, women_share_target=0.4))
    monkeypatch.setattr(engine, "FULL_GRAPH_CELLS", 10**12)
    full = solve(p, "optimal")
    monkeypatch.setattr(engine, "FULL_GRAPH_CELLS", 0)
    priced = solve(p, "optimal")
    for r in (full, priced):
        assert int((r.assignment >= 0).sum()) == int((solve(base).assignment >= 0).sum())
    assert full.parity[0].met
    assert priced.parity[0].met


def test_pair_reasons_agree_with_the_per_mentee_reason():
    from matching_engine.explain import compatibility_reason, pair_reasons
    from matching_engine.model import PairTable

    base = random_problem(11, 40, 15, exclusions=20)
    rng = np.random.default_rng(0)
    mentee = np.repeat(np.arange(35), 3)  # the last 5 mentees list nobody
    mentor = np.concatenate([rng.choice(15, 3, replace=False) for _ in range(35)])
    nan = np.full(len(mentee), np.nan)
    p = replace(base, pairs=PairTable(mentee, mentor, rng.integers(0, 50, len(mentee)) * 1.0,
                                      nan, nan))  # fmt: skip
    result = solve(p, "stable")
    free = p.mentors.capacity - np.bincount(
        result.assignment[result.assignment >= 0], minlength=p.n_mentors
    )
    unmatched = np.flatnonzero(result.assignment < 0)
    assert len(unmatched) >= 5
    fast = pair_reasons(p, unmatched, free)
    assert fast == {i: compatibility_reason(p, i, free) for i in unmatched.tolist()}
    assert {r.code for r in fast.values()} >= {"no_pairs"}


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 100_000),
    hard_gender=st.booleans(),
    same_org=st.booleans(),
    senior=st.booleans(),
)
def test_grouped_reasons_agree_with_the_per_mentee_reason(seed, hard_gender, same_org, senior):
    from matching_engine.explain import compatibility_reason, profile_reasons

    p = random_problem(
        seed, 80, 12, hard_gender=hard_gender, same_organization=same_org,
        more_experienced=senior,
    )  # fmt: skip
    free = np.random.default_rng(seed).integers(0, 2, p.n_mentors)
    everyone = np.arange(p.n_mentees)
    fast = profile_reasons(p, everyone, free)
    assert fast == {i: compatibility_reason(p, i, free) for i in everyone.tolist()}


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(-3, 3), min_size=3, max_size=3).map(tuple), min_size=1, max_size=40
    )
)
def test_distinct_rows_groups_pairs_as_numpy_unique_does(rows):
    # The bulk explanations word each distinct (points, detail) row once: the same groups
    # and the same first occurrence as np.unique over rows, whatever order it sorts them in.
    key = np.array(rows, np.int64)
    first, inverse = _distinct_rows(key)
    _, np_first, np_inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
    np_inverse = np.asarray(np_inverse).ravel()
    assert sorted(first.tolist()) == sorted(np_first.tolist())
    assert (key[first[inverse]] == key).all()
    same_group = inverse[:, None] == inverse[None, :]
    assert (same_group == (np_inverse[:, None] == np_inverse[None, :])).all()


@given(st.integers(0, 2**64 - 1))
def test_bits_are_the_set_positions_lowest_first(value):
    assert _bits(value) == [b for b in range(64) if value >> b & 1]
