"""The auction solver against OR-Tools' exact min-cost flow, cold and warm-started."""

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching_engine import engine, solve
from matching_engine.algorithms import auction as auction_module
from matching_engine.algorithms import scaled
from matching_engine.algorithms.auction import Auction, pair_order, sorted_runs
from matching_engine.algorithms.edges import Edges, concat
from matching_engine.algorithms.optimal import lexicographic_assignment
from matching_engine.encode import build_problem
from tests.engine.instances import REGIONS, random_problem, rows


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


@settings(deadline=None)  # the first call compiles the kernel on a clean checkout
@given(pairs=pair_lists, rank=st.permutations(range(10)))
def test_pairs_of_one_mentee_after_another_sort_as_the_counting_sorts(pairs, rank):
    # A scan returns each mentee's pairs together, mentees in any order (place and field):
    # sorted one mentee at a time, they are the pairs the counting sorts give, each once
    # with its first copy's score.
    grouped = _edges(sorted(pairs, key=lambda pair: rank[pair[0]]))  # stable: copies in order
    done, i, j, s = sorted_runs(grouped.mentee, grouped.mentor, grouped.score, 10)
    order = pair_order(grouped.mentee, grouped.mentor, 10, 7)
    mi, mj = grouped.mentee[order], grouped.mentor[order]
    first = np.ones(len(order), bool)
    first[1:] = (mi[1:] != mi[:-1]) | (mj[1:] != mj[:-1])
    assert done
    assert i.tolist() == mi[first].tolist()
    assert j.tolist() == mj[first].tolist()
    assert s.tolist() == grouped.score[order[first]].tolist()
    split = _edges([(0, 1, 5), (1, 2, 6), (0, 3, 7)])  # mentee 0 in two runs
    assert not sorted_runs(split.mentee, split.mentor, split.score, 10)[0]


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


def _grouped_instance(seed):
    """Mentees and mentors in 2 to 6 groups (regions without remote mentors): pairs only
    within a group, some mentees and mentors without pairs or places; mentee g and mentor g
    of each group g form a pair."""
    rng = np.random.default_rng(seed)
    groups = int(rng.integers(2, 7))
    n, m = int(rng.integers(groups, 80)), int(rng.integers(groups, 30))
    of_mentee, of_mentor = rng.integers(0, groups, n), rng.integers(0, groups, m)
    of_mentee[:groups], of_mentor[:groups] = np.arange(groups), np.arange(groups)
    capacity = rng.integers(0, 4, m)
    capacity[:groups] += 1
    same = np.argwhere(of_mentee[:, None] == of_mentor[None, :])
    keep = rng.random(len(same)) < rng.uniform(0.2, 1.0)
    keep |= (same[:, 0] < groups) & (same[:, 0] == same[:, 1])  # every group has a pair
    mentee, mentor = same[keep, 0], same[keep, 1]
    score = rng.integers(0, 20, len(mentee))
    priority = rng.random(n) < 0.3
    return n, capacity, mentee, mentor, _worths(n, capacity, mentee, score, priority)


def _state(auction):
    return [a.tolist() for a in (auction.asg, auction.asg_w, auction.prof, auction.price,
                                 auction.owner, auction.minp)] + [auction.bids]  # fmt: skip


@settings(max_examples=60, deadline=None)  # the first call compiles the kernels
@given(seed=st.integers(0, 10**6), per_thread=st.sampled_from([1, 2, 8]))
def test_auction_on_threads_by_group_equals_the_serial_auction(seed, per_thread):
    # Regions without remote mentors split the pairs into groups no bid crosses: phases run
    # on two threads, which take parts of the groups from a queue (one to eight parts per
    # thread), and end in the very state of one serial phase, round after round (first
    # solve, then warm re-solves after the pairs change).
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(auction_module, "SPLIT_MIN_ARCS", 0)
        patch.setattr(auction_module, "SPLIT_MAX_SHARE", 1.0)
        patch.setattr(auction_module, "PARTS_PER_THREAD", per_thread)
        _compare_threaded_with_serial(seed)


def _compare_threaded_with_serial(seed):
    n, capacity, mentee, mentor, worth = _grouped_instance(seed)
    rng = np.random.default_rng(seed + 1)
    rounds = [rng.random(len(mentee)) < share for share in (0.4, 0.7)] + [None]
    serial, threaded = Auction(n, capacity), Auction(n, capacity)
    serial.threads, threaded.threads = 1, 2
    for some in rounds:
        pick = slice(None) if some is None else some
        for auction in (serial, threaded):
            auction.set_pairs(mentee[pick], mentor[pick], worth[pick])
            auction.solve(0.25 / (n + 1), scaled.THETA)
        assert _state(threaded) == _state(serial)
    parts = threaded._parts()
    assert 2 <= len(parts) <= 2 * auction_module.PARTS_PER_THREAD
    assert all(len(mentees) for mentees, _ in parts)  # every part bids


@pytest.mark.parametrize("seed", [1, 7])
def test_priced_solver_on_threads_by_region_gives_the_serial_result(seed, monkeypatch):
    # No remote mentor: the candidate pairs fall apart by region and the auction's phases run
    # on two threads; the engine's result (pairs, proven bound) is the serial one.
    rng = np.random.default_rng(seed)
    mentees, mentors = rows(rng, 300, mentor=False), rows(rng, 120, mentor=True)
    for row in mentees + mentors:
        row["remote"], row["region"] = "non", str(rng.choice(REGIONS[:3]))
    p = build_problem(mentees, mentors)
    monkeypatch.setattr(engine, "FULL_GRAPH_CELLS", 0)
    monkeypatch.setattr(auction_module, "SPLIT_MIN_ARCS", 0)
    split = []
    parts = auction_module._parts
    monkeypatch.setattr(auction_module, "_parts", lambda *a: split.append(parts(*a)) or split[-1])
    results = []
    for threads in (1, 2):
        monkeypatch.setattr(auction_module, "THREADS", threads)
        results.append(solve(p, "optimal"))
    assert split  # the phases ran on threads, both bidding
    assert all(s is not None and all(len(m) for m, _ in s) for s in split)
    serial, threaded = results
    assert threaded.assignment.tolist() == serial.assignment.tolist()
    assert replace(threaded.summary, seconds=0) == replace(serial.summary, seconds=0)
    assert serial.summary.upper_bound is not None  # a proven bound, the same


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10**6))
def test_parts_from_the_queue_split_every_mentee_and_slot_along_the_groups(seed):
    # More parts than threads, largest first: each mentee and slot in exactly one part, in
    # increasing order, and no candidate pair joins two parts (else threads would race).
    n, capacity, mentee, mentor, worth = _grouped_instance(seed)
    auction = Auction(n, capacity)
    auction.threads = 2
    auction.set_pairs(mentee, mentor, worth)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(auction_module, "SPLIT_MAX_SHARE", 1.0)
        parts = auction._parts(min_arcs=0)
    assert 2 <= len(parts) <= 2 * auction_module.PARTS_PER_THREAD
    mentees = np.concatenate([m for m, _ in parts])
    slots = np.concatenate([s for _, s in parts])
    assert sorted(mentees.tolist()) == list(range(n))
    assert sorted(slots.tolist()) == list(range(len(auction.s_mentor)))
    part_of_mentee = np.empty(n, np.int64)
    part_of_mentor = np.full(len(capacity), -1, np.int64)
    for k, (m, s) in enumerate(parts):
        assert m.tolist() == sorted(m.tolist())
        assert s.tolist() == sorted(s.tolist())
        part_of_mentee[m] = k
        part_of_mentor[auction.s_mentor[s]] = k
    kept = (worth > 0) & (capacity[mentor] > 0)
    assert (part_of_mentee[mentee[kept]] == part_of_mentor[mentor[kept]]).all()
    pairs = [int(np.isin(mentee[kept], m).sum()) for m, _ in parts]
    assert pairs == sorted(pairs, reverse=True)
