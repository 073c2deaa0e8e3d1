"""Stable mode on parts of the mentees that share no mentor, on threads: the same matching
as the serial deferred acceptance, and parts that really share no mentor."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matching_engine import build_problem, engine
from matching_engine.algorithms import kernels, stable_parts
from matching_engine.algorithms.blocks import build_index
from matching_engine.algorithms.edges import profile_edges
from matching_engine.algorithms.scaled import LIST_CHUNK
from matching_engine.algorithms.stable import deferred_acceptance, preference_order
from tests.engine.instances import rows

REGIONS = ["Bretagne", "Occitanie", "Île-de-France", "Normandie", "Corse", "Grand Est"]


def _regional(
    seed: int, n_mentees: int, n_mentors: int, *, regions: int, remote: float, nowhere: float
):
    """A random problem whose people live in ``regions`` regions; a share ``remote`` of them
    accept remote and a share ``nowhere`` have no region (both join the regions' groups)."""
    rng = np.random.default_rng(seed)
    people = []
    for n, mentor in ((n_mentees, False), (n_mentors, True)):
        table = rows(rng, n, mentor=mentor)
        for row in table:
            row["region"] = str(rng.choice(REGIONS[:regions]))
            if rng.random() < nowhere:
                row["region"] = ""
            row["remote"] = "oui" if rng.random() < remote else "non"
        people.append(table)
    excluded = [(f"E{rng.integers(n_mentees)}", f"M{rng.integers(n_mentors)}") for _ in range(8)]
    return build_problem(people[0], people[1], excluded=excluded)


def _serial(p, capacity):
    packed = kernels.pack(p, build_index(p, capacity > 0))
    top = p.criteria.weights.max_score() + 1
    state = kernels.no_thresholds(packed, p.n_mentors)
    mentees = np.arange(p.n_mentees)
    places = capacity.astype(np.int64)
    return kernels.deferred_acceptance(packed, mentees, places, LIST_CHUNK, top, state)


def _reference(p, capacity):
    """Deferred acceptance in numpy on every acceptable pair (no compiled kernel)."""
    e = profile_edges(p)
    keep = capacity[e.mentor] > 0
    i, j, s = e.mentee[keep], e.mentor[keep], e.score[keep]
    order_i, order_j = preference_order(i, j, s), preference_order(j, i, s)
    return deferred_acceptance(p.n_mentees, p.n_mentors, i, j, order_i, order_j, capacity)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 100_000),
    regions=st.integers(1, 6),
    remote=st.sampled_from([0.0, 0.0, 0.05, 0.3]),
    nowhere=st.sampled_from([0.0, 0.0, 0.03]),
    threads=st.integers(2, 4),
    mentors=st.integers(5, 60),
)
def test_parts_on_threads_give_the_serial_matching(
    seed, regions, remote, nowhere, threads, mentors
):
    p = _regional(seed, 120, mentors, regions=regions, remote=remote, nowhere=nowhere)
    capacity = p.mentors.capacity.astype(np.int32).copy()
    capacity[::9] = 0  # mentors with no place left
    packed = kernels.pack(p, build_index(p, capacity > 0))
    mentees = np.arange(p.n_mentees)
    got = stable_parts.propose(p, packed, mentees, capacity, threads=threads, min_mentees=0)
    assert got.tolist() == _serial(p, capacity).tolist()
    assert got.tolist() == _reference(p, capacity).tolist()
    assert (np.bincount(got[got >= 0], minlength=p.n_mentors) <= capacity).all()


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 100_000),
    regions=st.integers(2, 6),
    remote=st.sampled_from([0.0, 0.0, 0.02, 0.2]),
    nowhere=st.sampled_from([0.0, 0.0, 0.02]),
)
def test_no_mentor_is_acceptable_to_mentees_of_two_parts(seed, regions, remote, nowhere):
    p = _regional(seed, 150, 60, regions=regions, remote=remote, nowhere=nowhere)
    packed = kernels.pack(p, build_index(p, p.mentors.capacity > 0))
    parts = stable_parts.mentee_parts(p, packed, np.arange(p.n_mentees), 2)
    if not parts:
        return
    assert sorted(np.concatenate(parts).tolist()) == list(range(p.n_mentees))
    e = profile_edges(p)
    part_of = np.full(p.n_mentees, -1)
    for k, part in enumerate(parts):
        part_of[part] = k
        assert (np.diff(part) > 0).all()  # each part keeps the given order
    # Every mentor's acceptable mentees lie in one part (whatever the hard rules allow).
    for j in np.unique(e.mentor).tolist():
        assert len(set(part_of[e.mentee[e.mentor == j]].tolist())) == 1


def test_regions_without_remote_mentors_split_and_remote_mentors_join_them():
    p = _regional(1, 400, 150, regions=6, remote=0.0, nowhere=0.0)
    packed = kernels.pack(p, build_index(p, p.mentors.capacity > 0))
    parts = stable_parts.mentee_parts(p, packed, np.arange(p.n_mentees), 2)
    assert len(parts) == 2
    assert abs(len(parts[0]) - len(parts[1])) < 0.25 * p.n_mentees
    joined = _regional(1, 400, 150, regions=6, remote=0.5, nowhere=0.0)
    packed = kernels.pack(joined, build_index(joined, joined.mentors.capacity > 0))
    assert stable_parts.mentee_parts(joined, packed, np.arange(joined.n_mentees), 2) == []


def test_the_engine_s_stable_mode_at_national_scale_is_the_serial_matching(monkeypatch):
    monkeypatch.setattr(engine, "FULL_GRAPH_CELLS", 0)  # force the national-scale path
    monkeypatch.setattr(stable_parts, "MIN_SPLIT", 0)
    p = _regional(7, 300, 120, regions=5, remote=0.0, nowhere=0.0)
    result = engine.solve(p, "stable")
    assert result.assignment.tolist() == _reference(p, p.free_capacity()).tolist()
    assert result.check_stability()
