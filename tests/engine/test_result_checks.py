"""Result.check_validity names the rule a matching breaks (capacity, locked pairs, hard
rules, exclusions, the pairs table); the solvers' own results pass it."""

from dataclasses import replace

import numpy as np
import pytest

from matching_engine import InvalidMatching, build_problem, solve

MENTEES = [{"id": "a", "region": "Bretagne"}, {"id": "b", "region": "Bretagne"}]
MENTORS = [
    {"id": "x", "capacity": "1", "region": "Bretagne"},
    {"id": "y", "capacity": "1", "region": "Bretagne"},
]


def _with(result, assignment):
    return replace(result, assignment=np.array(assignment))


def test_a_solved_matching_is_valid_and_a_hand_made_one_is_checked():
    result = solve(build_problem(MENTEES, MENTORS))
    assert result.check_validity()
    assert _with(result, [1, -1]).check_validity()
    with pytest.raises(InvalidMatching, match="mentor 0 has 2 mentees for a capacity of 1"):
        _with(result, [0, 0]).check_validity()
    with pytest.raises(InvalidMatching, match="one mentor index"):
        _with(result, [0, 2]).check_validity()
    with pytest.raises(InvalidMatching, match="one mentor index"):
        _with(result, [0]).check_validity()


def test_locked_pairs_and_exclusions_are_rules_too():
    locked = solve(build_problem(MENTEES, MENTORS, locked=[("a", "y")]))
    assert locked.assignment[0] == 1
    with pytest.raises(InvalidMatching, match="mentee 0 lost their locked mentor"):
        _with(locked, [0, 1]).check_validity()
    excluded = solve(build_problem(MENTEES, MENTORS, excluded=[("b", "y")]))
    with pytest.raises(InvalidMatching, match="mentee 1 and mentor 1 may not be paired"):
        _with(excluded, [0, 1]).check_validity()


def test_hard_rules_and_the_pairs_table_are_rules_too():
    # Place is always a hard rule: a mentor elsewhere who does not meet remotely.
    far = [*MENTORS, {"id": "z", "capacity": "1", "region": "Occitanie"}]
    result = solve(build_problem(MENTEES, far))
    with pytest.raises(InvalidMatching, match="mentee 0 and mentor 2 may not be paired"):
        _with(result, [2, -1]).check_validity()
    pairs = [{"mentee_id": "a", "mentor_id": "x", "score": "5"}]
    listed = solve(build_problem(MENTEES, MENTORS, pairs=pairs))
    assert listed.check_validity()
    with pytest.raises(InvalidMatching, match="mentee 1 and mentor 1 may not be paired"):
        _with(listed, [0, 1]).check_validity()
