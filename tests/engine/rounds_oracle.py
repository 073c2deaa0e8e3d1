"""Independent oracle for speed-networking rounds: CP-SAT on the full time-indexed model
(one 0/1 variable per mentee, professional and round), which knows nothing of flows or
colourings."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from ortools.sat.python import cp_model

from matching_engine.rounds import RoundsPlan, Seat


class TimeIndexed:
    """The rules of an evening as a CP-SAT model; each query solves a fresh copy."""

    def __init__(
        self,
        scores: np.ndarray,
        *,
        rounds: int,
        table_size: int,
        locked: Sequence[Seat] = (),
        met_before: np.ndarray | None = None,
    ) -> None:
        self.scores = scores
        self.rounds = rounds
        self.table_size = table_size
        self.locked = list(locked)
        n, p = scores.shape
        ok = np.isfinite(scores)
        if met_before is not None:
            ok &= ~met_before
        for s in self.locked:
            ok[s.mentee, s.professional] = True
        self.allowed = ok
        self.n, self.p = n, p

    def _model(self) -> tuple[cp_model.CpModel, dict[tuple[int, int, int], cp_model.IntVar]]:
        m = cp_model.CpModel()
        x = {
            (i, j, r): m.new_bool_var(f"x{i}_{j}_{r}")
            for i, j in zip(*np.nonzero(self.allowed), strict=True)
            for r in range(self.rounds)
        }
        for i in range(self.n):
            for r in range(self.rounds):
                m.add(sum(x[i, j, r] for j in range(self.p) if (i, j, r) in x) <= 1)
            for j in range(self.p):
                if (i, j, 0) in x:
                    m.add(sum(x[i, j, r] for r in range(self.rounds)) <= 1)
        for j in range(self.p):
            for r in range(self.rounds):
                m.add(sum(x[i, j, r] for i in range(self.n) if (i, j, r) in x) <= self.table_size)
        for s in self.locked:
            m.add(x[s.mentee, s.professional, s.round] == 1)
        return m, x

    def _load(self, x: dict, j: int) -> cp_model.LinearExpr:
        return sum(v for (_, jj, _), v in x.items() if jj == j)

    def _solve(self, m: cp_model.CpModel) -> cp_model.CpSolver:
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = 60
        status = solver.solve(m)
        assert status == cp_model.OPTIMAL, solver.status_name(status)
        return solver

    def max_meetings(self) -> int:
        m, x = self._model()
        m.maximize(sum(x.values()))
        return round(self._solve(m).objective_value)

    def best_min_load(self, meetings: int) -> int:
        m, x = self._model()
        m.add(sum(x.values()) == meetings)
        low = m.new_int_var(0, self.rounds * self.table_size, "low")
        for j in range(self.p):
            m.add(self._load(x, j) >= low)
        m.maximize(low)
        return round(self._solve(m).objective_value)

    def best_max_load(self, meetings: int) -> int:
        m, x = self._model()
        m.add(sum(x.values()) == meetings)
        high = m.new_int_var(0, self.rounds * self.table_size, "high")
        for j in range(self.p):
            m.add(self._load(x, j) <= high)
        m.minimize(high)
        return round(self._solve(m).objective_value)

    def best_score(
        self, meetings: int, floor: np.ndarray | Sequence[int], ceil: np.ndarray | Sequence[int]
    ) -> float:
        """Best total score with exactly `meetings` meetings and professional j's load
        within [floor[j], ceil[j]]."""
        m, x = self._model()
        m.add(sum(x.values()) == meetings)
        for j in range(self.p):
            m.add(self._load(x, j) >= int(floor[j]))
            m.add(self._load(x, j) <= int(ceil[j]))
        m.maximize(sum(int(self.scores[i, j]) * v for (i, j, _), v in x.items()))
        return float(self._solve(m).objective_value)


def most_meetings_then_score(oracle: TimeIndexed, ceil: Sequence[int]) -> tuple[int, float]:
    """(meetings, total score) of the plan with the most meetings, then the best score,
    professional j seeing at most ceil[j] people."""
    m, x = oracle._model()
    for j in range(oracle.p):
        m.add(oracle._load(x, j) <= int(ceil[j]))
    m.maximize(sum(x.values()))
    meetings = round(oracle._solve(m).objective_value)
    m.add(sum(x.values()) == meetings)
    m.maximize(sum(int(oracle.scores[i, j]) * v for (i, j, _), v in x.items()))
    return meetings, float(oracle._solve(m).objective_value)


def check_plan(
    plan: RoundsPlan,
    scores: np.ndarray,
    *,
    rounds: int,
    table_size: int,
    locked: Sequence[Seat] = (),
    met_before: np.ndarray | None = None,
) -> None:
    """Every rule of an evening, checked on the seats alone."""
    seats = plan.seats
    pairs = [(s.mentee, s.professional) for s in seats]
    assert len(set(pairs)) == len(pairs), "a mentee meets a professional twice"
    mentee_rounds = [(s.mentee, s.round) for s in seats]
    assert len(set(mentee_rounds)) == len(mentee_rounds), "a mentee at two tables in a round"
    assert all(0 <= s.round < rounds for s in seats)
    tables: dict[tuple[int, int], int] = {}
    for s in seats:
        tables[s.professional, s.round] = tables.get((s.professional, s.round), 0) + 1
    assert max(tables.values(), default=0) <= table_size, "a table over its size"
    for s in seats:
        assert np.isfinite(scores[s.mentee, s.professional]), "a forbidden pair meets"
        if met_before is not None and s not in locked:
            assert not met_before[s.mentee, s.professional], "a pair that met before meets"
    assert set(locked) <= set(seats), "a locked seat was moved"
    total = sum(float(scores[s.mentee, s.professional]) for s in seats)
    assert total == plan.total_score
    assert (
        plan.mentee_meetings.tolist()
        == np.bincount([s.mentee for s in seats], minlength=scores.shape[0]).tolist()
    )
