"""Speed-networking rounds: the rules hold on every plan, every feasible evening is planned,
and the plan's meetings, fairness and total score equal an exact solver's on small evenings
(CP-SAT on the full time-indexed model)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_flow

from matching_engine.engine import pair_scores
from matching_engine.model import EngineInputError
from matching_engine.rounds import Seat, plan_rounds, score_matrix
from matching_engine.scoring import score_pairs

from .instances import random_problem
from .rounds_oracle import TimeIndexed, check_plan, most_meetings_then_score


def _scores(seed, n, p, *, forbidden=0.25, top=20):
    rng = np.random.default_rng(seed)
    s = rng.integers(0, top, (n, p)).astype(float)
    s[rng.random((n, p)) < forbidden] = -np.inf
    return s


@st.composite
def evenings(draw):
    n = draw(st.integers(0, 14))
    p = draw(st.integers(1, 5))
    return (
        _scores(draw(st.integers(0, 2**31)), n, p, forbidden=draw(st.sampled_from([0, 0.3, 0.7]))),
        draw(st.integers(1, 4)),
        draw(st.integers(1, 3)),
    )


@settings(max_examples=150, deadline=None)
@given(evenings())
def test_every_evening_is_planned_within_the_rules(evening):
    scores, rounds, k = evening
    plan = plan_rounds(scores, rounds=rounds, table_size=k)
    check_plan(plan, scores, rounds=rounds, table_size=k)
    assert plan.unplaced == 0
    assert plan.proven_optimal
    # Every meeting the rules allow at once is held: as many as the largest b-matching
    # (scipy's max flow, independent of the engine's OR-Tools flows).
    assert plan.meetings == _most_meetings(scores, rounds, k)


def _most_meetings(scores, rounds, k):
    n, p = scores.shape
    if n == 0:
        return 0
    src, snk = n + p, n + p + 1
    ii, jj = np.nonzero(np.isfinite(scores))
    tails = np.concatenate([np.full(n, src), ii, n + np.arange(p)])
    heads = np.concatenate([np.arange(n), n + jj, np.full(p, snk)])
    caps = np.concatenate([np.full(n, rounds), np.ones(len(ii)), np.full(p, rounds * k)])
    graph = csr_matrix((caps.astype(np.int32), (tails, heads)), shape=(n + p + 2, n + p + 2))
    return maximum_flow(graph, src, snk).flow_value


@pytest.mark.parametrize("seed", range(25))
def test_small_evenings_equal_the_exact_solver(seed):
    rng = np.random.default_rng(1000 + seed)
    n, p = int(rng.integers(2, 9)), int(rng.integers(1, 4))
    rounds, k = int(rng.integers(1, 4)), int(rng.integers(1, 3))
    scores = _scores(seed, n, p, forbidden=float(rng.choice([0.0, 0.3, 0.5])))
    plan = plan_rounds(scores, rounds=rounds, table_size=k)
    check_plan(plan, scores, rounds=rounds, table_size=k)
    exact = TimeIndexed(scores, rounds=rounds, table_size=k)
    meetings = exact.max_meetings()
    assert plan.meetings == meetings
    loads = plan.professional_meetings
    # Fairness: the least-served professional sees as many people as any plan with the most
    # meetings allows, and the most-served as few.
    assert loads.min() == exact.best_min_load(meetings)
    assert loads.max() == exact.best_max_load(meetings)
    assert plan.floor is not None
    assert plan.ceil is not None
    assert (loads >= plan.floor).all()
    assert (loads <= plan.ceil).all()
    # Score: the best of all plans within the same bounds (ratio 1.0).
    assert plan.total_score == exact.best_score(meetings, plan.floor, plan.ceil)


def test_one_to_one_rotation_meets_everyone_once():
    scores = np.zeros((4, 4))
    plan = plan_rounds(scores, rounds=4, table_size=1)
    check_plan(plan, scores, rounds=4, table_size=1)
    assert plan.meetings == 16
    assert plan.mentee_meetings.tolist() == [4, 4, 4, 4]


def test_professionals_see_a_fair_number_even_when_scores_pull_one_way():
    # Everybody prefers professional 0; tables of 2, 2 rounds: 4 mentees x 2 meetings = 8
    # meetings over 2 professionals whose tables hold 4 each -> 4 and 4, not 4 and 4 by luck.
    scores = np.array([[100.0, 1.0]] * 4)
    plan = plan_rounds(scores, rounds=2, table_size=2)
    assert plan.professional_meetings.tolist() == [4, 4]
    scores = np.array([[100.0, 1.0, 1.0]] * 3)
    plan = plan_rounds(scores, rounds=1, table_size=3)
    # 3 meetings over 3 professionals: one each, though professional 0 scores 100.
    assert plan.professional_meetings.tolist() == [1, 1, 1]


def test_met_before_pairs_never_meet():
    scores = np.ones((3, 2))
    before = np.array([[True, False], [False, False], [False, True]])
    plan = plan_rounds(scores, rounds=2, table_size=2, met_before=before)
    check_plan(plan, scores, rounds=2, table_size=2, met_before=before)
    assert plan.mentee_meetings.tolist() == [1, 2, 1]


def test_favour_fewest_gives_the_relevant_seat_to_who_met_fewest():
    # One relevant professional (0) with one seat for one round; mentee 0 scores higher but
    # met 3 relevant professionals before, mentee 1 none.
    scores = np.array([[50.0, 0.0], [10.0, 0.0]])
    plain = plan_rounds(scores, rounds=1, table_size=1)
    assert (0, 0) in {(s.mentee, s.professional) for s in plain.seats}
    favoured = plan_rounds(
        scores, rounds=1, table_size=1, favour_fewest=True, met_counts=np.array([3, 0])
    )
    assert {(s.mentee, s.professional) for s in favoured.seats} == {(1, 0), (0, 1)}
    assert favoured.total_score == 10.0


LOCK_CASES = [(seed, (7, 3, 3, 2)) for seed in range(20)] + [
    (seed, (5, 3, 2, 1)) for seed in range(30)
]


@pytest.mark.parametrize(("seed", "shape"), LOCK_CASES)
def test_locked_seats_are_kept_and_the_rest_planned_around_them(seed, shape):
    plan, _, _ = _locked_evening(seed, shape)
    assert plan is not None


def _locked_evening(seed, shape):
    rng = np.random.default_rng(seed)
    n, p, rounds, k = shape
    scores = _scores(seed, n, p, forbidden=0.2)
    locked: list[Seat] = []
    for _ in range(4):
        i, j, r = int(rng.integers(n)), int(rng.integers(p)), int(rng.integers(rounds))
        seat = Seat(i, j, r)
        trial = [*locked, seat]
        try:
            plan_rounds(scores, rounds=rounds, table_size=k, locked=trial)
        except EngineInputError:
            continue
        locked = trial
    plan = plan_rounds(scores, rounds=rounds, table_size=k, locked=locked)
    check_plan(plan, scores, rounds=rounds, table_size=k, locked=locked)
    exact = TimeIndexed(scores, rounds=rounds, table_size=k, locked=locked)
    assert plan.proven_optimal
    if plan.unplaced == 0:
        # The flow's meetings fit around the locks: the same guarantees as without locks.
        assert plan.meetings == exact.max_meetings()
        assert plan.total_score == exact.best_score(plan.meetings, plan.floor, plan.ceil)
    else:
        # They did not: the full model's best (most meetings, then score, within ceilings).
        assert (plan.meetings, plan.total_score) == most_meetings_then_score(exact, plan.ceil)
    return plan, scores, locked


def test_locks_that_block_the_flows_meetings_get_the_full_models_best():
    # Seed 18: 4 locked seats leave one of the flow's meetings without a round.
    plan, _, _ = _locked_evening(18, (5, 3, 2, 1))
    assert plan.unplaced > 0
    assert plan.proven_by_cp_sat


@pytest.mark.parametrize(
    ("seats", "code"),
    [
        ([Seat(0, 0, 5)], "locked_seat_unknown"),
        ([Seat(0, 0, 0), Seat(0, 1, 0)], "locked_seat_busy"),
        ([Seat(0, 0, 0), Seat(0, 0, 1)], "locked_seat_repeated"),
        ([Seat(0, 0, 0), Seat(1, 0, 0)], "locked_table_full"),
        ([Seat(2, 0, 0)], "locked_seat_forbidden"),
    ],
)
def test_impossible_locked_seats_are_refused(seats, code):
    scores = np.array([[1.0, 1.0], [1.0, 1.0], [-np.inf, 1.0]])
    with pytest.raises(EngineInputError) as err:
        plan_rounds(scores, rounds=2, table_size=1, locked=seats)
    assert err.value.code == code


def test_rounds_and_table_size_are_checked():
    with pytest.raises(EngineInputError):
        plan_rounds(np.zeros((1, 1)), rounds=0, table_size=1)
    with pytest.raises(EngineInputError):
        plan_rounds(np.zeros((1, 1)), rounds=1, table_size=0)


def test_score_matrix_is_the_matchings_score_and_rules():
    problem = random_problem(7, 12, 6, exclusions=4)
    scores = score_matrix(problem)
    ii, jj = np.meshgrid(np.arange(12), np.arange(6), indexing="ij")
    _, ok = score_pairs(problem, ii.ravel(), jj.ravel())
    assert (np.isfinite(scores).ravel() == ok).all()
    want = pair_scores(problem, ii.ravel()[ok], jj.ravel()[ok])
    assert (scores.ravel()[ok] == want).all()


def test_same_input_same_plan():
    scores = _scores(3, 20, 5)
    a = plan_rounds(scores, rounds=4, table_size=3)
    b = plan_rounds(scores, rounds=4, table_size=3)
    assert a.seats == b.seats


@st.composite
def locked_evenings(draw):
    scores, rounds, k = draw(evenings())
    n, p = scores.shape
    locked: list[Seat] = []
    for _ in range(draw(st.integers(0, 6))):
        if n == 0:
            break
        seat = Seat(
            draw(st.integers(0, n - 1)),
            draw(st.integers(0, p - 1)),
            draw(st.integers(0, rounds - 1)),
        )
        try:
            plan_rounds(scores, rounds=rounds, table_size=k, locked=[*locked, seat])
        except EngineInputError:
            continue
        locked.append(seat)
    return scores, rounds, k, locked


@settings(max_examples=100, deadline=None)
@given(locked_evenings())
def test_every_evening_with_locked_seats_keeps_them_within_the_rules(evening):
    scores, rounds, k, locked = evening
    plan = plan_rounds(scores, rounds=rounds, table_size=k, locked=locked)
    check_plan(plan, scores, rounds=rounds, table_size=k, locked=locked)
    assert plan.proven_optimal
