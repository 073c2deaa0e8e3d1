"""The compiled kernels agree with the numpy scoring, pair by pair and list by list."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matching_engine.algorithms import kernels
from matching_engine.algorithms.blocks import build_index
from matching_engine.algorithms.edges import profile_edges
from matching_engine.algorithms.stable import deferred_acceptance, preference_order
from tests.engine.instances import random_problem


def _full_lists(p):
    """Every acceptable pair by mentee, best first (score desc, mentor asc), from numpy."""
    e = profile_edges(p)
    order = preference_order(e.mentee, e.mentor, e.score)
    return e.mentee[order], e.mentor[order], e.score[order].astype(np.int64)


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 100_000),
    hard_gender=st.booleans(),
    same_org=st.booleans(),
    senior=st.booleans(),
    cross=st.booleans(),
)
def test_kernel_lists_are_the_exact_preference_lists(seed, hard_gender, same_org, senior, cross):
    p = random_problem(
        seed, 40, 25, exclusions=15, hard_gender=hard_gender, same_organization=same_org,
        more_experienced=senior,
    )  # fmt: skip
    p = replace(
        p,
        criteria=replace(
            p.criteria, rules=replace(p.criteria.rules, different_organizations=cross)
        ),
    )
    packed = kernels.pack(p, build_index(p, np.ones(p.n_mentors, bool)))
    mentees = np.arange(p.n_mentees)
    top = p.criteria.weights.max_score() + 1
    state = kernels.no_thresholds(packed, p.n_mentors)
    want = p.n_mentors  # whole lists: every acceptable pair, in order
    cut = np.full(p.n_mentees, top), np.full(p.n_mentees, -1)
    got_i, got_j, got_s, _ = kernels.top_lists(packed, mentees, want, *cut, state)
    ref_i, ref_j, ref_s = _full_lists(p)
    assert got_i.tolist() == ref_i.tolist()
    assert got_j.tolist() == ref_j.tolist()
    assert got_s.tolist() == ref_s.tolist()
    # Lists in chunks of 3, each resuming after the last entry of the previous one.
    chunks: list[list[int]] = [[] for _ in range(p.n_mentees)]
    cut_s, cut_j = cut[0].copy(), cut[1].copy()
    active = mentees
    while len(active):
        ci, cj, cs, found = kernels.top_lists(
            packed, active, 3, cut_s[active], cut_j[active], state
        )
        for i, j, s in zip(ci.tolist(), cj.tolist(), cs.tolist(), strict=True):
            chunks[i].append(j)
            cut_s[i], cut_j[i] = s, j
        active = active[found == 3]
    assert [j for i in range(p.n_mentees) for j in chunks[i]] == ref_j.tolist()


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 100_000), chunk=st.integers(1, 5), mentors=st.integers(1, 40))
def test_kernel_deferred_acceptance_equals_deferred_acceptance_on_full_lists(seed, chunk, mentors):
    p = random_problem(seed, 60, mentors, exclusions=10)
    capacity = p.mentors.capacity.astype(np.int32).copy()
    capacity[::7] = 0  # mentors with no place left
    packed = kernels.pack(p, build_index(p, capacity > 0))
    top = p.criteria.weights.max_score() + 1
    state = kernels.no_thresholds(packed, p.n_mentors)
    got = kernels.deferred_acceptance(
        packed, np.arange(p.n_mentees), capacity.astype(np.int64), chunk, top, state
    )
    e = profile_edges(p)
    keep = capacity[e.mentor] > 0
    mi, mj, sc = e.mentee[keep], e.mentor[keep], e.score[keep]
    ref = deferred_acceptance(
        p.n_mentees, p.n_mentors, mi, mj, preference_order(mi, mj, sc),
        preference_order(mj, mi, sc), capacity,
    )  # fmt: skip
    assert got.tolist() == ref.tolist()
    assert (np.bincount(got[got >= 0], minlength=p.n_mentors) <= capacity).all()


def test_national_paths_handle_programs_without_places_or_mentees(monkeypatch):
    from matching_engine import build_problem, engine

    monkeypatch.setattr(engine, "FULL_GRAPH_CELLS", 0)  # force the national-scale paths
    p = random_problem(3, 30, 10)
    no_places = replace(p, mentors=replace(p.mentors, capacity=np.zeros(p.n_mentors, np.int32)))
    nobody = build_problem([], [{"id": "M1"}])
    no_language = build_problem([{"id": "E1", "languages": "arabe"}], [{"id": "M1"}])
    for mode in ("stable", "optimal"):
        full = engine.solve(no_places, mode)
        assert (full.assignment < 0).all()
        assert {r.code for r in full.reasons.values()} <= {"full", "different_organizations"}
        assert "full" in {r.code for r in full.reasons.values()}
        assert engine.solve(nobody, mode).assignment.tolist() == []
        alone = engine.solve(no_language, mode)
        assert alone.assignment.tolist() == [-1]
        assert alone.reasons[0].code == "common_language"


def test_scans_on_threads_return_what_one_serial_scan_returns(monkeypatch):
    """The threaded wrappers split the mentees into slices: joined in order, the lists and
    pricing figures are exactly those of one serial call."""
    p = random_problem(3, 3000, 1200)
    packed = kernels.pack(p, build_index(p, np.ones(p.n_mentors, bool)))
    mentees = np.arange(p.n_mentees)[::-1].copy()
    top = p.criteria.weights.max_score() + 1
    state = kernels.no_thresholds(packed, p.n_mentors)
    cut = np.full(p.n_mentees, top), np.full(p.n_mentees, -1)
    rng = np.random.default_rng(0)
    price = rng.uniform(0, 20, p.n_mentors)
    prices = kernels.scan_prices(packed, price, rng.uniform(0, top, p.n_mentees))
    monkeypatch.setattr(kernels, "THREADS", 2)
    monkeypatch.setattr(kernels, "MIN_PARALLEL", 1)
    lists = kernels.top_lists(packed, mentees, 5, *cut, state)
    scan = kernels.price_scan(packed, mentees, 3, top, prices, state)
    serial_lists = kernels._top_lists(packed, mentees, 5, np.stack(cut), state)
    serial_scan = kernels._price_scan(packed, mentees, 3, top, prices, state)
    assert len(lists[0]) > 4 * p.n_mentees  # most mentees have 5 compatible mentors
    assert 0 < len(scan[0]) < 3 * p.n_mentees
    assert (scan[3] > 0).any()
    for got, want in zip([*lists, *scan], [*serial_lists, *serial_scan], strict=True):
        np.testing.assert_array_equal(got, want)
