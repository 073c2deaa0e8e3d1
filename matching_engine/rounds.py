"""Speed-networking rounds: R rounds of tables of one professional and k mentees.

Interface (the events app plans evenings with it; the rounds work fills it in):
``score_matrix`` scores every mentee × professional pair with the matching's score (hard
rules give ``-inf``); ``plan_rounds`` seats people round by round so that nobody meets the
same professional twice, tables hold at most ``table_size`` mentees, professionals see a
fair number of people, and the total score is maximised under those rules."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from matching_engine.model import FloatArray, IntArray, Problem


@dataclass(frozen=True)
class Seat:
    """Mentee ``mentee`` sits at professional ``professional``'s table in round ``round``
    (all 0-based indices into the problem's mentees, mentors and rounds)."""

    mentee: int
    professional: int
    round: int


@dataclass(frozen=True)
class RoundsPlan:
    seats: tuple[Seat, ...]
    total_score: float
    #: meetings per mentee and per professional
    mentee_meetings: IntArray
    professional_meetings: IntArray
    seconds: float


def score_matrix(problem: Problem) -> FloatArray:
    """Score of every mentee × mentor pair of `problem` (``-inf`` where a hard rule forbids it)."""
    return np.full((problem.n_mentees, problem.n_mentors), -np.inf)


def plan_rounds(
    scores: FloatArray,
    *,
    rounds: int,
    table_size: int,
    met_before: np.ndarray | None = None,
    locked: Sequence[Seat] = (),
    favour_fewest: bool = False,
) -> RoundsPlan:
    """Seat mentees at professionals' tables for `rounds` rounds (see the module docstring).
    ``met_before[i, j]`` pairs never meet; ``locked`` seats are kept as given."""
    raise NotImplementedError
