import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from matching_engine import engine, solve
from matching_engine.algorithms import scaled
from matching_engine.algorithms.edges import all_edges
from tests.engine.instances import random_problem


@pytest.fixture(scope="module")
def monkeypatch_module():
    """A monkeypatch usable inside hypothesis tests (function-scoped fixtures are not)."""
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def _brute_force(p):
    edges = all_edges(p)
    options = [[-1] for _ in range(p.n_mentees)]
    score = {}
    for i, j, s in zip(
        edges.mentee.tolist(), edges.mentor.tolist(), edges.score.tolist(), strict=True
    ):
        options[i].append(j)
        score[i, j] = s
    best = None
    for choice in itertools.product(*options):
        counts = np.bincount([j for j in choice if j >= 0], minlength=p.n_mentors)
        if (counts > p.mentors.capacity).any():
            continue
        matched = [i for i, j in enumerate(choice) if j >= 0]
        key = (
            sum(bool(p.mentees.priority[i]) for i in matched),
            len(matched),
            sum(score[i, choice[i]] for i in matched),
        )
        best = key if best is None or key > best else best
    return best


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 100_000),
    n_i=st.integers(1, 6),
    n_j=st.integers(1, 3),
    same_org=st.booleans(),
    senior=st.booleans(),
)
def test_optimal_equals_brute_force(seed, n_i, n_j, same_org, senior):
    p = random_problem(
        seed, n_i, n_j, exclusions=2, same_organization=same_org, more_experienced=senior
    )
    result = solve(p, "optimal")
    assert result.check_validity()
    matched = result.assignment >= 0
    got = (
        int((p.mentees.priority & matched).sum()),
        int(matched.sum()),
        float(np.nansum(result.score)),
    )
    assert got == _brute_force(p)


@settings(max_examples=15, deadline=None)
@given(
    seed=st.integers(0, 100_000),
    hard=st.booleans(),
    same_org=st.booleans(),
    senior=st.booleans(),
)
def test_capacities_hard_rules_and_locks_are_respected(seed, hard, same_org, senior):
    p = random_problem(
        seed, 40, 15, exclusions=30, locked=5, hard_gender=hard,
        same_organization=same_org, more_experienced=senior,
    )  # fmt: skip
    for mode in ("optimal", "stable"):
        assert solve(p, mode).check_validity()
    me, mo = p.mentees, p.mentors
    for mode in ("optimal", "stable"):
        a = solve(p, mode).assignment
        free = np.setdiff1d(np.arange(p.n_mentees), p.locked_mentee)
        i = free[a[free] >= 0]
        j = a[i]
        if same_org:
            assert (me.organization[i] >= 0).all()
            assert (me.organization[i] == mo.organization[j]).all()
        if senior:
            assert (mo.experience[j] > np.maximum(me.experience[i], 0)).all()


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 100_000))
def test_optimal_total_equals_scipy_exact_assignment(seed):
    """Independent exact reference: dense assignment with mentors replicated by capacity."""
    p = random_problem(seed, 30, 12, exclusions=10)
    edges = all_edges(p)
    slots = np.repeat(np.arange(p.n_mentors), p.mentors.capacity)
    big = 10_000.0
    weight = np.full((p.n_mentees, len(slots)), -1e9)
    lookup = np.full((p.n_mentees, p.n_mentors), -1e9)
    lookup[edges.mentee, edges.mentor] = (
        edges.score + big + 3 * big * 31 * p.mentees.priority[edges.mentee]
    )
    weight[:, :] = lookup[:, slots]
    rows, cols = linear_sum_assignment(weight, maximize=True)
    keep = weight[rows, cols] > 0
    reference = weight[rows, cols][keep]
    result = solve(p, "optimal")
    matched = result.assignment >= 0
    assert matched.sum() == keep.sum()
    assert np.nansum(result.score) == float(np.sum(reference % big))


def test_same_input_same_output():
    p = random_problem(42, 60, 25, exclusions=10)
    for mode in ("optimal", "stable"):
        a, b = (
            solve(p, mode),
            solve(random_problem(42, 60, 25, exclusions=10), mode),
        )
        assert np.array_equal(a.assignment, b.assignment)
        assert a.reasons == b.reasons


def test_priority_mentees_come_first():
    from matching_engine import build_problem

    mentees = [
        {"id": "a", "field": "Informatique"},
        {"id": "b", "field": "Santé", "priority": "boursier"},
    ]
    mentors = [{"id": "m", "field": "Informatique"}]
    result = solve(build_problem(mentees, mentors), "optimal")
    assert result.assignment.tolist() == [-1, 0]
    assert result.reasons[0].code == "full"


@settings(max_examples=15, deadline=None)
@given(
    seed=st.integers(0, 100_000),
    locked=st.integers(0, 8),
    same_org=st.booleans(),
    senior=st.booleans(),
)
def test_priced_solver_and_lazy_stable_equal_the_full_graph_solvers(
    seed, locked, same_org, senior, monkeypatch_module
):
    p = random_problem(
        seed, 150, 60, exclusions=20, locked=locked, same_organization=same_org,
        more_experienced=senior,
    )  # fmt: skip
    monkeypatch_module.setattr(engine, "FULL_GRAPH_CELLS", 10**12)
    full_opt, full_stable = solve(p, "optimal"), solve(p, "stable")
    monkeypatch_module.setattr(engine, "FULL_GRAPH_CELLS", 0)
    proven = solve(p, "optimal")  # stops once >= 99.5 % of the optimum is proven
    monkeypatch_module.setattr(scaled, "STOP_RATIO", 2.0)  # never stop before the optimum
    opt, stable = solve(p, "optimal"), solve(p, "stable")
    monkeypatch_module.setattr(scaled, "STOP_RATIO", 0.995)
    key = lambda r: (  # noqa: E731
        int((p.mentees.priority & (r.assignment >= 0)).sum()),
        int((r.assignment >= 0).sum()),
        float(np.nansum(r.score)),
    )
    assert key(opt) == key(full_opt)
    assert opt.summary.score_bound == opt.summary.total_score
    assert opt.check_validity()
    assert stable.assignment.tolist() == full_stable.assignment.tolist()
    # The early stop keeps priority and coverage maximal, and its bound is a true bound.
    assert proven.check_validity()
    assert key(proven)[:2] == key(full_opt)[:2]
    best = key(full_opt)[2]
    assert proven.summary.upper_bound >= best - 1e-9
    assert key(proven)[2] >= 0.995 * proven.summary.upper_bound - 1e-9
