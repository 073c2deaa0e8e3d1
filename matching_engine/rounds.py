"""Speed-networking rounds: R rounds of tables of one professional and k mentees.

``score_matrix`` scores every mentee × professional pair with the matching's score (hard
rules and exclusions give ``-inf``); ``plan_rounds`` seats people round by round so that
nobody meets the same professional twice, tables hold at most ``table_size`` mentees, each
mentee sits at one table per round at most, professionals see a fair number of people, and
the total score is the best under those rules. The guarantees, and their proofs, are in
docs/matching-engine.md ("Speed-networking rounds").

Method: the meetings are chosen as a b-matching by flows (``algorithms/rounds_flow.py``:
most meetings, then the most even professionals' loads, then optionally the mentees who met
fewest relevant professionals, then the total score), and put into rounds by a bipartite edge
colouring (``algorithms/rounds_colour.py``), which always exists (König). Without locked seats
the plan is therefore optimal. With locked seats the colouring might not extend (extending a
precoloured edge colouring is NP-complete): the same meetings are then placed by CP-SAT, and
if some still find no round (``RoundsPlan.unplaced``) the gaps are filled greedily and, on
evenings up to ``rounds_exact.MAX_VARIABLES`` variables, the full time-indexed model is solved
by CP-SAT; ``upper_bound`` keeps the flow's optimum (a bound the locks may make unreachable)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from matching_engine.algorithms.edges import all_edges
from matching_engine.algorithms.optimal import integer_scores
from matching_engine.algorithms.rounds_colour import assign_rounds, assign_rounds_exactly
from matching_engine.algorithms.rounds_exact import plan_exactly
from matching_engine.algorithms.rounds_flow import choose_meetings
from matching_engine.engine import pair_scores
from matching_engine.model import (
    PREVIOUS,
    BoolArray,
    EngineInputError,
    FloatArray,
    IntArray,
    Problem,
)

#: Most rounds and table size accepted (an evening, not a conference season).
MAX_ROUNDS = 100
MAX_TABLE_SIZE = 100


@dataclass(frozen=True)
class Seat:
    """Mentee ``mentee`` sits at professional ``professional``'s table in round ``round``
    (all 0-based indices into the problem's mentees, mentors and rounds)."""

    mentee: int
    professional: int
    round: int


@dataclass(frozen=True)
class RoundsPlan:
    """Seats sorted by round, professional then mentee, with the plan's figures."""

    seats: tuple[Seat, ...]
    total_score: float
    #: meetings per mentee and per professional
    mentee_meetings: IntArray
    professional_meetings: IntArray
    seconds: float
    rounds: int = 1
    table_size: int = 1
    #: best total score of any plan with the same rules (the flow's optimum, locked seats
    #: included); equal to ``total_score`` unless a meeting had to be left unplaced.
    upper_bound: float = 0.0
    #: meetings the flow chose that no round could take (only possible with locked seats).
    unplaced: int = 0
    #: with ``unplaced`` meetings: the seats are the time-indexed model's, which CP-SAT
    #: proved best (most meetings, then total score, loads within ``ceil``).
    proven_by_cp_sat: bool = False
    #: per professional: the most even loads, and the bounds every plan kept.
    balanced: IntArray | None = None
    floor: IntArray | None = None
    ceil: IntArray | None = None

    @property
    def meetings(self) -> int:
        """Number of seats (each is one meeting)."""
        return len(self.seats)

    @property
    def proven_optimal(self) -> bool:
        """Whether no plan under the same rules does better: the flow's optimum reached, or,
        around locked seats that blocked it, CP-SAT's proof on the full model."""
        reached = self.unplaced == 0 and self.total_score >= self.upper_bound - 1e-6
        return reached or self.proven_by_cp_sat

    def table(self, professional: int, round_: int) -> list[int]:
        """Mentees at the professional's table in the round."""
        return [
            s.mentee for s in self.seats if s.professional == professional and s.round == round_
        ]


def score_matrix(problem: Problem) -> FloatArray:
    """Score of every mentee × mentor pair of `problem` (``-inf`` where a hard rule, an
    exclusion or, with a pairs table, the pair's absence forbids it): the matching's score."""
    out = np.full((problem.n_mentees, problem.n_mentors), -np.inf)
    edges = all_edges(problem)
    out[edges.mentee, edges.mentor] = edges.score
    return out


def previous_relevant_counts(problem: Problem) -> IntArray:
    """Per mentee: the pairs of ``problem`` excluded as met before (reason ``PREVIOUS``,
    e.g. ``déjà essayé`` in ``--exclude``) whose score is positive, i.e. the relevant
    professionals met before among this evening's: ``plan_rounds``'s ``met_counts``."""
    keys = problem.excluded_keys[problem.excluded_reason == PREVIOUS]
    ii, jj = keys // problem.n_mentors, keys % problem.n_mentors
    scores = pair_scores(problem, ii, jj) if len(keys) else np.zeros(0)
    return np.bincount(ii[scores > 0], minlength=problem.n_mentees).astype(np.int64)


def _check_locked(scores: FloatArray, locked: Sequence[Seat], rounds: int, table_size: int) -> None:
    n, p = scores.shape
    mentee_round: set[tuple[int, int]] = set()
    pairs: set[tuple[int, int]] = set()
    tables: dict[tuple[int, int], int] = {}
    for k, s in enumerate(locked):
        if not (0 <= s.mentee < n and 0 <= s.professional < p and 0 <= s.round < rounds):
            raise EngineInputError("locked_seat_unknown", row=k, value=str(s))
        if not np.isfinite(scores[s.mentee, s.professional]):
            raise EngineInputError("locked_seat_forbidden", row=k, value=str(s))
        if (s.mentee, s.round) in mentee_round:
            raise EngineInputError("locked_seat_busy", row=k, value=str(s))
        if (s.mentee, s.professional) in pairs:
            raise EngineInputError("locked_seat_repeated", row=k, value=str(s))
        tables[(s.professional, s.round)] = tables.get((s.professional, s.round), 0) + 1
        if tables[(s.professional, s.round)] > table_size:
            raise EngineInputError("locked_table_full", row=k, value=str(s))
        mentee_round.add((s.mentee, s.round))
        pairs.add((s.mentee, s.professional))


def plan_rounds(
    scores: FloatArray,
    *,
    rounds: int,
    table_size: int,
    met_before: np.ndarray | None = None,
    locked: Sequence[Seat] = (),
    favour_fewest: bool = False,
    relevant: BoolArray | None = None,
    met_counts: IntArray | None = None,
) -> RoundsPlan:
    """Seat mentees at professionals' tables for `rounds` rounds (see the module docstring).

    ``met_before[i, j]`` pairs never meet; ``locked`` seats are kept as given (they must be
    allowed pairs, one per mentee and round, one per pair, at most ``table_size`` per table
    and round, else ``EngineInputError``). With ``favour_fewest``, meetings with *relevant*
    professionals go first to the mentees who met fewest of them: ``relevant[i, j]``
    (default: an allowed pair with a positive score) says which professionals count,
    ``met_counts[i]`` how many relevant professionals mentee i met before (default: the
    relevant pairs of ``met_before``). The result depends only on the input."""
    started = time.perf_counter()
    scores = np.asarray(scores, np.float64)
    if not 1 <= rounds <= MAX_ROUNDS:
        raise EngineInputError("bad_rounds", value=rounds, min=1, max=MAX_ROUNDS)
    if not 1 <= table_size <= MAX_TABLE_SIZE:
        raise EngineInputError("bad_table_size", value=table_size, min=1, max=MAX_TABLE_SIZE)
    n, p = scores.shape
    before = np.zeros((n, p), bool) if met_before is None else np.asarray(met_before, bool)
    _check_locked(scores, locked, rounds, table_size)
    locked_i = np.asarray([s.mentee for s in locked], np.int64)
    locked_j = np.asarray([s.professional for s in locked], np.int64)
    allowed = np.isfinite(scores) & ~before
    allowed[locked_i, locked_j] = False
    rel = None
    counts = None
    if favour_fewest:
        rel = np.isfinite(scores) & (scores > 0) if relevant is None else np.asarray(relevant, bool)
        counts = (
            (before & rel).sum(axis=1).astype(np.int64)
            if met_counts is None
            else np.asarray(met_counts, np.int64)
        )
    chosen = choose_meetings(
        np.where(allowed, scores, 0.0), allowed, rounds=rounds, table_size=table_size,
        locked_i=locked_i, locked_j=locked_j, relevant=rel, met_counts=counts,
    )  # fmt: skip
    upper = float(scores[chosen.mentee, chosen.professional].sum())
    upper += float(scores[locked_i, locked_j].sum()) if len(locked) else 0.0
    locked_triples = [(s.mentee, s.professional, s.round) for s in locked]
    placed_round, _lines = assign_rounds(
        chosen.mentee, chosen.professional, locked_triples,
        n_mentees=n, n_professionals=p, rounds=rounds, table_size=table_size,
    )  # fmt: skip
    if (placed_round < 0).any():
        # Locked seats blocked some alternating paths: place the same meetings exactly.
        exact = assign_rounds_exactly(
            chosen.mentee, chosen.professional,
            integer_scores(scores[chosen.mentee, chosen.professional])[0],
            locked_triples, rounds=rounds, table_size=table_size,
        )  # fmt: skip
        if (exact >= 0).sum() >= (placed_round >= 0).sum():
            placed_round = exact
    ok = placed_round >= 0
    seats = list(locked) + [
        Seat(int(i), int(j), int(r))
        for i, j, r in zip(
            chosen.mentee[ok].tolist(),
            chosen.professional[ok].tolist(),
            placed_round[ok].tolist(),
            strict=True,
        )
    ]
    unplaced = int((~ok).sum())
    proven = unplaced == 0
    if unplaced:
        seats += _fill(scores, allowed, seats, rounds, table_size, chosen.ceil)
        seats, proven = _best_around_locks(
            scores, allowed, locked, seats, chosen.ceil, rounds, table_size
        )
    seats.sort(key=lambda s: (s.round, s.professional, s.mentee))
    si = np.asarray([s.mentee for s in seats], np.int64)
    sj = np.asarray([s.professional for s in seats], np.int64)
    total = float(scores[si, sj].sum()) if len(seats) else 0.0
    return RoundsPlan(
        seats=tuple(seats),
        total_score=total,
        mentee_meetings=np.bincount(si, minlength=n).astype(np.int64),
        professional_meetings=np.bincount(sj, minlength=p).astype(np.int64),
        seconds=time.perf_counter() - started,
        rounds=rounds,
        table_size=table_size,
        upper_bound=max(upper, total),
        proven_by_cp_sat=proven and unplaced > 0,
        unplaced=unplaced,
        balanced=chosen.balanced,
        floor=chosen.floor,
        ceil=chosen.ceil,
    )


def _best_around_locks(
    scores: FloatArray,
    allowed: BoolArray,
    locked: Sequence[Seat],
    seats: list[Seat],
    ceil: IntArray,
    rounds: int,
    table_size: int,
) -> tuple[list[Seat], bool]:
    """The seats of the exact time-indexed model (most meetings, then score) when it is
    small enough and at least as good as ``seats``, and whether they are proven optimal."""
    ints = np.zeros(scores.shape, np.int64)
    if allowed.any():
        ints[allowed] = integer_scores(scores[allowed])[0]
    kept = set(locked)
    free = [(s.mentee, s.professional, s.round) for s in seats if s not in kept]
    found = plan_exactly(
        ints, allowed, [(s.mentee, s.professional, s.round) for s in locked], ceil,
        rounds=rounds, table_size=table_size, hint=free,
    )  # fmt: skip
    if found is None:
        return seats, False
    exact = list(locked) + [Seat(i, j, r) for i, j, r in found[0]]

    def worth(plan: list[Seat]) -> tuple[int, float]:
        return len(plan), float(sum(scores[s.mentee, s.professional] for s in plan))

    if worth(exact) >= worth(seats):
        return exact, found[1]
    return seats, False


def _fill(
    scores: FloatArray,
    allowed: BoolArray,
    seats: list[Seat],
    rounds: int,
    table_size: int,
    ceil: IntArray,
) -> list[Seat]:
    """Greedy seats for gaps left by meetings that found no round: best score first, only
    allowed pairs not yet met, within table sizes and each professional's ceiling."""
    n, p = scores.shape
    met = np.zeros((n, p), bool)
    busy = np.zeros((n, rounds), bool)
    table = np.zeros((p, rounds), np.int64)
    load = np.zeros(p, np.int64)
    for s in seats:
        met[s.mentee, s.professional] = True
        busy[s.mentee, s.round] = True
        table[s.professional, s.round] += 1
        load[s.professional] += 1
    out = []
    cand_i, cand_j = np.nonzero(allowed & ~met)
    order = np.lexsort((cand_j, cand_i, -scores[cand_i, cand_j]))
    for i, j in zip(cand_i[order].tolist(), cand_j[order].tolist(), strict=True):
        if load[j] >= ceil[j] or met[i, j]:
            continue
        free = np.flatnonzero(~busy[i] & (table[j] < table_size))
        if len(free) == 0:
            continue
        r = int(free[0])
        out.append(Seat(i, j, r))
        met[i, j] = busy[i, r] = True
        table[j, r] += 1
        load[j] += 1
    return out


__all__ = ["RoundsPlan", "Seat", "plan_rounds", "previous_relevant_counts", "score_matrix"]
