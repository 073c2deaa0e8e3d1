"""The auction solver against OR-Tools' exact min-cost flow, cold and warm-started."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching_engine import engine, solve
from matching_engine.algorithms import scaled
from matching_engine.algorithms.auction import Auction, pair_order
from matching_engine.algorithms.edges import Edges, concat
from matching_engine.algorithms.optimal import lexicographic_assignment
from tests.engine.instances import random_problem


def _instance(seed):
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(1, 40)), int(rng.integers(1, 15))
    capacity = rng.integers(0, 4, m)
    keys = rng.choice(n * m, size=int(rng.integers(0, n * m + 1)), replace=False)
    mentee, mentor = keys // m, keys % m
    score = rng.integers(0, 20, len(keys))
    priority = rng.random(n) < 0.3
    return n, m, capacity, mentee, mentor, score, priority


def _key(assignment, mentee, mentor, score, priority):
    pairs = zip(mentee.tolist(), mentor.tolist(), strict=True)
    worth = dict(zip(pairs, score.tolist(), strict=True))
    matched = np.flatnonzero(assignment >= 0)
    total = sum(worth[i, int(assignment[i])] for i in matched)
    return int(priority[matched].sum()), len(matched), total


def _worths(n, capacity, mentee, score, priority):
    # Lexicographic weights A·priority + B + score: B exceeds any total-score difference,
    # A exceeds B plus that difference, so the weight optimum is the lexicographic one.
    big_b = int(score.max(initial=0)) * max(min(n, int(capacity.sum())), 1) + 1
    big_a = 2 * big_b + 1
    return (score + big_b + big_a * priority[mentee]).astype(float)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10**6))
def test_exact_auction_equals_the_min_cost_flow_optimum(seed):
    n, m, capacity, mentee, mentor, score, priority = _instance(seed)
    auction = Auction(n, capacity)
    auction.set_pairs(mentee, mentor, _worths(n, capacity, mentee, score, priority))
    auction.solve(0.25 / (n + 1))
    got = auction.assignment()
    assert (np.bincount(got[got >= 0], minlength=m) <= capacity).all()
    expected = lexicographic_assignment(n, m, mentee, mentor, score, capacity, priority)
    assert _key(got, mentee, mentor, score, priority) == _key(
        expected, mentee, mentor, score, priority
    )
    # The prices are a dual solution: they bound the worth, within n * eps of it.
    assert auction.worth() - 1e-6 <= auction.dual_bound() < auction.worth() + 1
    # No alternating path reaches a mentor with room: the counts are maximal.
    for allowed in (priority, np.ones(n, bool)):
        reached_i, reached_j, room = auction.alternating_reach(allowed)
        assert not room
        cover = allowed & ~reached_i
        pairs_ok = cover[mentee] | reached_j[mentor] | ~allowed[mentee] | (capacity[mentor] == 0)
        assert pairs_ok.all(), "the König cover misses a pair"
        matched = int((allowed & (got >= 0)).sum())
        assert int(cover.sum()) + int(capacity[reached_j].sum()) == matched


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10**6), share=st.floats(0.1, 0.9))
def test_warm_start_after_adding_pairs_reaches_the_cold_optimum(seed, share):
    n, m, capacity, mentee, mentor, score, priority = _instance(seed)
    worth = _worths(n, capacity, mentee, score, priority)
    first = np.random.default_rng(seed).random(len(mentee)) < share
    auction = Auction(n, capacity)
    auction.set_pairs(mentee[first], mentor[first], worth[first])
    auction.solve(0.25 / (n + 1))
    auction.set_pairs(mentee, mentor, worth)
    auction.solve(0.25 / (n + 1))
    expected = lexicographic_assignment(n, m, mentee, mentor, score, capacity, priority)
    assert _key(auction.assignment(), mentee, mentor, score, priority) == _key(
        expected, mentee, mentor, score, priority
    )


def test_alternating_path_to_room_shows_a_count_below_the_maximum():
    # Mentee 0 likes mentor 0 much more than mentor 1; mentee 1 can only take mentor 0.
    # Without a reward for matching, the best worth leaves mentee 1 out, but 2 fit.
    auction = Auction(2, np.array([1, 1]))
    auction.set_pairs(np.array([0, 0, 1]), np.array([0, 1, 0]), np.array([100.0, 1.0, 1.0]))
    auction.solve(0.1)
    assert auction.assignment().tolist() == [0, -1]
    reached_i, reached_j, room = auction.alternating_reach(np.ones(2, bool))
    assert room
    assert reached_i.tolist() == [True, True]
    assert reached_j.tolist() == [True, True]


@pytest.mark.parametrize("seed", [3, 11])
def test_priced_solver_raises_the_matching_reward_until_counts_are_maximal(seed, monkeypatch):
    p = random_problem(seed, 150, 60, exclusions=20)
    full = solve(p, "optimal")
    monkeypatch.setattr(engine, "FULL_GRAPH_CELLS", 0)
    monkeypatch.setattr(scaled, "MATCHED_WORTH", 0.01)  # far too small at first
    monkeypatch.setattr(scaled, "STOP_RATIO", 2.0)
    got = solve(p, "optimal")
    for r in (full, got):
        assert (np.bincount(r.assignment[r.assignment >= 0], minlength=p.n_mentors)
                <= p.mentors.capacity).all()  # fmt: skip
    assert got.summary.priority_matched == full.summary.priority_matched
    assert got.summary.matched == full.summary.matched
    assert got.summary.total_score == full.summary.total_score


@settings(deadline=None)  # the first call compiles the kernel on a clean checkout
@given(
    pairs=st.lists(st.tuples(st.integers(0, 9), st.integers(0, 6)), max_size=60),
)
def test_pair_order_sorts_by_mentee_then_mentor_keeping_copies_in_order(pairs):
    mentee = np.array([i for i, _ in pairs], np.int64)
    mentor = np.array([j for _, j in pairs], np.int64)
    order = pair_order(mentee, mentor, 10, 7)
    assert order.tolist() == np.lexsort((mentor, mentee)).tolist()  # lexsort is stable too


pair_lists = st.lists(
    st.tuples(st.integers(0, 9), st.integers(0, 6), st.integers(0, 30)), max_size=40
)


def _edges(pairs):
    return Edges(
        np.array([i for i, _, _ in pairs], np.int64),
        np.array([j for _, j, _ in pairs], np.int64),
        np.array([s for _, _, s in pairs], np.float64),
    )


@settings(deadline=None)  # the first call compiles the merge on a clean checkout
@given(old=pair_lists, new=st.lists(pair_lists, max_size=3))
def test_adding_pairs_by_merge_equals_deduplicating_them_all(old, new):
    # A pricing round adds its pairs to the sorted candidates: same pairs, same order, and a
    # pair already there (or found twice) keeps its first copy's score, as a full re-sort.
    cand = scaled._dedupe(_edges(old), 10, 7)
    got = scaled._add_pairs(cand, [_edges(f) for f in new], 10, 7)
    expected = scaled._dedupe(concat([cand, *(_edges(f) for f in new)]), 10, 7)
    for a, b in zip(
        (got.mentee, got.mentor, got.score),
        (expected.mentee, expected.mentor, expected.score),
        strict=True,
    ):
        assert a.tolist() == b.tolist()


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10**6))
def test_sorted_and_shuffled_pairs_give_the_same_auction(seed):
    n, _, capacity, mentee, mentor, score, priority = _instance(seed)
    worth = _worths(n, capacity, mentee, score, priority)
    order = np.lexsort((mentor, mentee))
    runs = []
    for perm in (order, np.random.default_rng(seed).permutation(len(mentee))):
        auction = Auction(n, capacity)
        auction.set_pairs(mentee[perm], mentor[perm], worth[perm])
        auction.solve(0.25 / (n + 1))
        runs.append((auction.assignment().tolist(), auction.profits().tolist(), auction.bids))
    assert runs[0] == runs[1]
