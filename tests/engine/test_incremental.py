"""The incremental candidate-graph solver: exact lexicographic optimum, exact duals, warm
restarts equal to cold solves (OR-Tools ``lexicographic_assignment`` as the reference)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching_engine.algorithms.incremental import solve_candidates
from matching_engine.algorithms.optimal import lexicographic_assignment


def _graph(rng, n_i, n_j, per_mentee, cap_max=3, prio_share=0.3, smax=40):
    """Random edges without duplicate pairs."""
    m = rng.integers(0, n_i, n_i * per_mentee)
    j = rng.integers(0, n_j, n_i * per_mentee)
    key = np.unique(m * n_j + j)
    mentee, mentor = key // n_j, key % n_j
    score = rng.integers(0, smax + 1, len(key)).astype(np.int64)
    capacity = rng.integers(0, cap_max + 1, n_j).astype(np.int32)
    priority = rng.random(n_i) < prio_share
    return mentee, mentor, score, capacity, priority


def _summary(assignment, mentee, mentor, score, priority):
    matched = assignment >= 0
    key = dict(zip(zip(mentee.tolist(), mentor.tolist(), strict=True), score.tolist(), strict=True))
    total = sum(key[i, int(assignment[i])] for i in np.flatnonzero(matched).tolist())
    return int((priority & matched).sum()), int(matched.sum()), total


def _check(n_i, n_j, mentee, mentor, score, capacity, priority, result):
    """Valid, lexicographically optimal (vs OR-Tools) and with exact optimal duals."""
    a, v, u, state = result
    assert a.shape == u.shape == (n_i,)
    assert v.shape == (n_j,)
    on = a >= 0
    counts = np.bincount(a[on], minlength=n_j)
    assert (counts <= capacity).all()
    pairs = set(zip(mentee.tolist(), mentor.tolist(), strict=True))
    assert all((i, int(a[i])) in pairs for i in np.flatnonzero(on).tolist())
    ref = lexicographic_assignment(n_i, n_j, mentee, mentor, score, capacity, priority)
    got = _summary(a, mentee, mentor, score, priority)
    assert got == _summary(ref, mentee, mentor, score, priority)
    big_a, big_b = state.bigs
    w = score + big_b + big_a * priority[mentee]
    assert (u >= 0).all()
    assert (v >= 0).all()
    assert (u[mentee] + v[mentor] >= w).all()  # dual feasible on every edge
    matched_w = w[a[mentee] == mentor]
    assert np.array_equal(
        u[mentee[a[mentee] == mentor]] + v[mentor[a[mentee] == mentor]], matched_w
    )
    assert (u[~on] == 0).all()
    assert (v[counts < capacity] == 0).all()
    dual = int(u.astype(np.int64).sum()) + int((capacity * v.astype(np.int64)).sum())
    assert dual - int(matched_w.sum()) == state.gap == 0
    return got


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10**6),
    n_i=st.integers(1, 40),
    n_j=st.integers(1, 15),
    per=st.integers(1, 4),
    budget=st.sampled_from([None, 0, 2]),
)
def test_cold_solve_is_the_lexicographic_optimum_with_exact_duals(seed, n_i, n_j, per, budget):
    rng = np.random.default_rng(seed)
    g = _graph(rng, n_i, n_j, per)
    _check(n_i, n_j, *g, solve_candidates(n_i, n_j, *g, budget=budget))


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10**6),
    n_i=st.integers(1, 40),
    n_j=st.integers(1, 12),
    budget=st.sampled_from([None, 0]),
)
def test_warm_restarts_after_appended_edges_equal_cold_solves(seed, n_i, n_j, budget):
    rng = np.random.default_rng(seed)
    mentee, mentor, score, capacity, priority = _graph(rng, n_i, n_j, 2)
    bigs = (2 * (40 * n_i + 1) + 1, 40 * n_i + 1)  # fixed across rounds, as the caller's
    state = None
    for _ in range(3):
        result = solve_candidates(
            n_i, n_j, mentee, mentor, score, capacity, priority, state, bigs, budget
        )
        warm = _check(n_i, n_j, mentee, mentor, score, capacity, priority, result)
        cold = solve_candidates(n_i, n_j, mentee, mentor, score, capacity, priority, bigs=bigs)
        assert warm == _summary(cold[0], mentee, mentor, score, priority)
        assert result[3].stats["warm"] == int(state is not None)
        state = result[3]
        m2, j2, s2, _, _ = _graph(rng, n_i, n_j, 1)
        fresh = ~np.isin(m2 * n_j + j2, mentee * n_j + mentor)
        mentee, mentor = np.r_[mentee, m2[fresh]], np.r_[mentor, j2[fresh]]
        score = np.r_[score, s2[fresh]]


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10**6))
def test_warm_restart_survives_reordered_removed_and_rescored_edges(seed):
    rng = np.random.default_rng(seed)
    n_i, n_j = 30, 10
    mentee, mentor, score, capacity, priority = _graph(rng, n_i, n_j, 3)
    bigs = (2 * (40 * n_i + 1) + 1, 40 * n_i + 1)
    first = solve_candidates(n_i, n_j, mentee, mentor, score, capacity, priority, bigs=bigs)
    keep = rng.permutation(np.flatnonzero(rng.random(len(mentee)) < 0.8))
    mentee, mentor, score = mentee[keep], mentor[keep], score[keep]
    score = np.where(rng.random(len(score)) < 0.2, rng.integers(0, 41, len(score)), score)
    result = solve_candidates(n_i, n_j, mentee, mentor, score, capacity, priority, first[3], bigs)
    assert result[3].stats["warm"] == 1
    _check(n_i, n_j, mentee, mentor, score, capacity, priority, result)


def test_known_instance_prefers_priority_then_coverage_then_score():
    # mentor 0 (one place) is wanted by priority mentee 0 (score 1) and by mentee 1 (score 9):
    # the priority mentee gets it. Mentor 1 (one place): mentee 1 (score 2) or 2 (score 5).
    mentee = np.array([0, 1, 1, 2])
    mentor = np.array([0, 0, 1, 1])
    score = np.array([1, 9, 2, 5])
    priority = np.array([True, False, False])
    a, v, u, state = solve_candidates(3, 2, mentee, mentor, score, np.ones(2, np.int32), priority)
    assert a.tolist() == [0, -1, 1]
    _check(3, 2, mentee, mentor, score, np.ones(2, np.int32), priority, (a, v, u, state))


def test_edge_cases():
    empty = np.zeros(0, np.int64)
    a, v, u, state = solve_candidates(3, 2, empty, empty, empty, np.ones(2, np.int32),
                                      np.zeros(3, bool))  # fmt: skip
    assert a.tolist() == [-1, -1, -1]
    assert not u.any()
    assert not v.any()
    assert state.gap == 0
    # capacity-0 mentors, all priority, mentees without edges
    mentee, mentor = np.array([0, 1, 2, 3]), np.array([0, 0, 1, 1])
    score = np.array([3, 4, 5, 6])
    cap = np.array([0, 1], np.int32)
    prio = np.ones(6, bool)
    result = solve_candidates(6, 2, mentee, mentor, score, cap, prio)
    assert result[0].tolist() == [-1, -1, -1, 1, -1, -1]  # mentor 0 takes no one
    _check(6, 2, mentee, mentor, score, cap, prio, result)


def test_changed_capacity_falls_back_to_a_cold_solve():
    rng = np.random.default_rng(3)
    mentee, mentor, score, capacity, priority = _graph(rng, 30, 10, 3)
    bigs = (2 * 1201 + 1, 1201)
    first = solve_candidates(30, 10, mentee, mentor, score, capacity, priority, bigs=bigs)
    smaller = np.maximum(capacity - 1, 0).astype(np.int32)
    result = solve_candidates(30, 10, mentee, mentor, score, smaller, priority, first[3], bigs)
    assert result[3].stats["warm"] == 0
    _check(30, 10, mentee, mentor, score, smaller, priority, result)


def test_negative_scores_are_refused():
    one = np.zeros(1, np.int64)
    with pytest.raises(ValueError, match="non-negative"):
        solve_candidates(1, 1, one, one, -np.ones(1, np.int64), np.ones(1, np.int32),
                         np.zeros(1, bool))  # fmt: skip
