import sys
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matching.games import HospitalResident

from matching_engine import build_problem, solve
from matching_engine.algorithms.edges import all_edges
from tests.engine.instances import random_problem


def _preferences(p):
    edges = all_edges(p)
    score = {
        (i, j): s
        for i, j, s in zip(
            edges.mentee.tolist(), edges.mentor.tolist(), edges.score.tolist(), strict=True
        )
    }
    mentee_prefs = {i: [] for i in range(p.n_mentees)}
    mentor_prefs = {j: [] for j in range(p.n_mentors)}
    for (i, j), _s in sorted(score.items(), key=lambda kv: (-kv[1], kv[0][1])):
        mentee_prefs[i].append(j)
    for (i, j), _s in sorted(score.items(), key=lambda kv: (-kv[1], kv[0][0])):
        mentor_prefs[j].append(i)
    return mentee_prefs, mentor_prefs


def _blocking_pairs(p, assignment):
    mentee_prefs, mentor_prefs = _preferences(p)
    held = {j: [i for i in range(p.n_mentees) if assignment[i] == j] for j in range(p.n_mentors)}
    blocking = []
    for i, prefs in mentee_prefs.items():
        for j in prefs:
            if assignment[i] == j:
                break
            worst = max((mentor_prefs[j].index(k) for k in held[j]), default=-1)
            if len(held[j]) < p.mentors.capacity[j] or mentor_prefs[j].index(i) < worst:
                blocking.append((i, j))
    return blocking


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 100_000),
    n_i=st.integers(1, 25),
    n_j=st.integers(1, 10),
    locked=st.integers(0, 3),
    same_org=st.booleans(),
    senior=st.booleans(),
)
def test_stable_has_no_blocking_pair(seed, n_i, n_j, locked, same_org, senior):
    p = random_problem(
        seed, n_i, n_j, exclusions=5, locked=locked, same_organization=same_org,
        more_experienced=senior,
    )  # fmt: skip
    result = solve(p, "stable")
    assert result.check_validity()
    assert result.blocking_pairs() == []
    assert result.check_stability()


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 100_000), n_i=st.integers(1, 25), n_j=st.integers(1, 10))
def test_blocking_pairs_are_those_a_direct_search_finds(seed, n_i, n_j):
    """Result.blocking_pairs against a pair-by-pair search over preference lists, on the
    optimal mode's matchings (often unstable, so there are blocking pairs to find)."""
    p = random_problem(seed, n_i, n_j, exclusions=5)
    result = solve(p, "optimal")
    expected = sorted(_blocking_pairs(p, result.assignment))
    assert result.blocking_pairs() == expected
    assert result.check_stability() == (not expected)


@pytest.fixture
def deep_recursion():
    # The `matching` package deep-copies players recursively.
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(100_000)
    yield
    sys.setrecursionlimit(old)


@pytest.mark.usefixtures("deep_recursion")
@pytest.mark.parametrize("seed", range(6))
def test_stable_equals_matching_package_hospital_resident(seed):
    p = random_problem(seed, 60, 25, exclusions=10)
    mentee_prefs, mentor_prefs = _preferences(p)
    residents = {f"r{i}": [f"h{j}" for j in prefs] for i, prefs in mentee_prefs.items() if prefs}
    hospitals = {f"h{j}": [f"r{i}" for i in prefs] for j, prefs in mentor_prefs.items() if prefs}
    capacities = {
        f"h{j}": int(p.mentors.capacity[j]) for j in range(p.n_mentors) if mentor_prefs[j]
    }
    game = HospitalResident.create_from_dictionaries(residents, hospitals, capacities)
    reference = np.full(p.n_mentees, -1)
    for hospital, matched in game.solve(optimal="resident").items():
        for resident in matched:
            reference[int(resident.name[1:])] = int(hospital.name[1:])
    assert solve(p, "stable").assignment.tolist() == reference.tolist()


def test_explicit_ranks_define_preferences():
    mentees = [{"id": "a"}, {"id": "b"}]
    mentors = [{"id": "x"}, {"id": "y"}]
    pairs = [
        {"mentee_id": "a", "mentor_id": "x", "score": "10", "mentee_rank": "2", "mentor_rank": "1"},
        {"mentee_id": "a", "mentor_id": "y", "score": "90", "mentee_rank": "1", "mentor_rank": "2"},
        {"mentee_id": "b", "mentor_id": "y", "score": "50", "mentee_rank": "1", "mentor_rank": "1"},
        {"mentee_id": "b", "mentor_id": "x", "score": "50", "mentee_rank": "2", "mentor_rank": "2"},
    ]
    result = solve(build_problem(mentees, mentors, pairs=pairs), "stable")
    # a proposes to y, b proposes to y; y prefers b, so a falls back to x.
    assert result.assignment.tolist() == [0, 1]
    assert result.check_stability()
    # The other way round, b and y would both rather be together (their ranks say so).
    swapped = replace(result, assignment=np.array([1, 0]))
    assert swapped.check_validity()
    assert swapped.blocking_pairs() == [(1, 1)]
    assert not swapped.check_stability()
    # Optimal ignores ranks and maximises the provided scores.
    assert solve(build_problem(mentees, mentors, pairs=pairs), "optimal").assignment.tolist() == [
        1,
        0,
    ]
