"""rank_mentors: the best-scoring mentors of a mentee whatever the rules, each naming the
rules the pair breaks (what the coordinator's review shows as ruled-out alternatives)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matching_engine import build_problem, rank_mentors
from matching_engine.scoring import score_pairs
from tests.engine.instances import random_problem


def test_ruled_out_mentors_are_listed_with_the_rule_they_break():
    mentees = [{"id": "a", "region": "Bretagne", "field": "Santé"}]
    mentors = [
        {"id": "near", "capacity": "1", "region": "Bretagne"},
        {"id": "far", "capacity": "1", "region": "Occitanie", "field": "Santé"},
        {"id": "excluded", "capacity": "1", "region": "Bretagne", "field": "Santé"},
    ]
    p = build_problem(mentees, mentors, excluded=[("a", "excluded")])
    ranked = rank_mentors(p, 0, top_k=10)
    assert [(p.mentors.ids[r.mentor], r.score, r.broken) for r in ranked] == [
        ("excluded", 40.0, ("excluded",)),
        ("far", 30.0, ("same_region_unless_remote",)),
        ("near", 10.0, ()),
    ]
    assert ranked[0].explanation.text("en") == "Same field (Santé) +30 · Same region (Bretagne) +10"
    assert rank_mentors(p, 0, top_k=1) == ranked[:1]


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 100_000),
    hard=st.booleans(),
    same_org=st.booleans(),
    senior=st.booleans(),
)
def test_scores_and_broken_rules_agree_with_the_pair_scoring(seed, hard, same_org, senior):
    p = random_problem(
        seed, 5, 30, exclusions=20, hard_gender=hard, same_organization=same_org,
        more_experienced=senior,
    )  # fmt: skip
    for i in range(p.n_mentees):
        ranked = rank_mentors(p, i, top_k=p.n_mentors)
        mentors = np.array([r.mentor for r in ranked], np.int64)
        assert sorted(mentors.tolist()) == np.flatnonzero(p.mentors.capacity > 0).tolist()
        scores, ok = score_pairs(p, np.full(len(mentors), i), mentors)
        assert [r.score for r in ranked] == scores.astype(float).tolist()
        assert [not r.broken for r in ranked] == ok.tolist()
        assert all(r.explanation.total == r.score for r in ranked)
        order = [(-r.score, r.mentor) for r in ranked]
        assert order == sorted(order)
