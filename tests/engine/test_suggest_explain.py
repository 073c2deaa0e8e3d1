import numpy as np

from matching_engine import alternative_reason, build_problem, solve, suggest
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
        {"id": "org", "region": "Bretagne", "organisation": "Acme"},
        {"id": "ok1", "region": "Bretagne"},
        {"id": "ok2", "region": "Bretagne"},
    ]
    mentors = [{"id": "m", "region": "Bretagne", "organisation": "Acme", "capacity": "1"}]
    p = build_problem(mentees, mentors)
    result = solve(p)
    codes = {p.mentees.ids[i]: r.code for i, r in result.reasons.items()}
    full = codes.pop("ok1", None) or codes.pop("ok2")
    assert full == "full"
    assert codes == {"far": "place", "lang": "language", "org": "organisation"}
    assert "Corse" in result.reasons[0].fr
    assert "remote not accepted" in result.reasons[0].en
    assert "portugais" in result.reasons[1].en


def test_same_organisation_and_more_experienced_mentor_rules():
    from matching_engine import Criteria, HardRules

    mentees = [
        {"id": "other-org", "organisation": "Beta", "experience_years": "1"},
        {"id": "no-org", "experience_years": "1"},
        {"id": "senior", "organisation": "Acme", "experience_years": "12"},
        {"id": "junior", "organisation": "Acme", "experience_years": "2"},
    ]
    mentors = [
        {"id": "m", "organisation": "Acme", "experience_years": "10", "capacity": "3"},
        {"id": "unknown-xp", "organisation": "Acme", "capacity": "3"},
    ]
    rules = HardRules(
        cross_organisation=False, same_organisation=True, mentor_more_experienced=True
    )
    p = build_problem(mentees, mentors, criteria=Criteria(rules=rules))
    for mode in ("optimal", "stable"):
        result = solve(p, mode)
        assert result.assignment.tolist() == [-1, -1, -1, 0]
        codes = {i: r.code for i, r in result.reasons.items()}
        assert codes == {0: "same_organisation", 1: "same_organisation", 2: "experience"}
        assert result.reasons[0].en == "no compatible mentor: same organisation required"
        assert "même organisation exigée" in result.reasons[0].fr
        assert "more experienced" in result.reasons[2].en
    free = np.array([2, 3])
    assert alternative_reason(p, result.assignment, free, 0, 0).code == "rule_same_organisation"
    assert alternative_reason(p, result.assignment, free, 3, 1).code == "rule_experience"
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
