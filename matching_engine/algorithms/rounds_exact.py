"""The full time-indexed model of an evening, solved by CP-SAT: one 0/1 variable per mentee,
professional and round. Used only when locked seats leave the flow's meetings no room
(``rounds.plan_rounds``), on evenings small enough to solve in seconds."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from ortools.sat.python import cp_model

from matching_engine.model import BoolArray, IntArray

#: Largest number of variables (allowed pairs × rounds) handed to CP-SAT.
MAX_VARIABLES = 60_000


def plan_exactly(
    score: IntArray,
    allowed: BoolArray,
    locked: Sequence[tuple[int, int, int]],
    ceil: IntArray,
    *,
    rounds: int,
    table_size: int,
    hint: Sequence[tuple[int, int, int]] = (),
    seconds: float = 10.0,
) -> tuple[list[tuple[int, int, int]], bool] | None:
    """Free seats (mentee, professional, round) of the plan with the most meetings, then the
    highest total ``score`` (whole numbers ≥ 0), keeping ``locked`` seats and each
    professional's load ≤ ``ceil``, and whether CP-SAT proved it optimal; None when the
    evening is too large or nothing was found in time. ``allowed`` excludes locked pairs."""
    ii, jj = np.nonzero(allowed)
    if len(ii) * rounds > MAX_VARIABLES:
        return None
    model = cp_model.CpModel()
    busy = {(i, r) for i, _, r in locked}
    used: dict[tuple[int, int], int] = {}
    load = np.zeros(len(ceil), np.int64)
    for _, j, r in locked:
        used[(j, r)] = used.get((j, r), 0) + 1
        load[j] += 1
    weight = int(score.max(initial=0)) * int(allowed.shape[0] * rounds) + 1
    seats: dict[tuple[int, int, int], cp_model.IntVar] = {}
    per_mentee: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    per_table: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    per_pair: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    per_professional: dict[int, list[cp_model.IntVar]] = {}
    for i, j in zip(ii.tolist(), jj.tolist(), strict=True):
        for r in range(rounds):
            if (i, r) in busy or used.get((j, r), 0) >= table_size:
                continue
            var = model.new_bool_var(f"x{i}_{j}_{r}")
            seats[(i, j, r)] = var
            per_mentee.setdefault((i, r), []).append(var)
            per_table.setdefault((j, r), []).append(var)
            per_pair.setdefault((i, j), []).append(var)
            per_professional.setdefault(j, []).append(var)
    for group in (*per_mentee.values(), *per_pair.values()):
        model.add_at_most_one(group)
    for (j, r), group in per_table.items():
        model.add(sum(group) <= table_size - used.get((j, r), 0))
    for j, group in per_professional.items():
        model.add(sum(group) <= int(ceil[j] - load[j]))
    for key in hint:
        if key in seats:
            model.add_hint(seats[key], 1)
    model.maximize(sum((weight + int(score[i, j])) * v for (i, j, _), v in seats.items()))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 1  # one thread: the same answer for the same input
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    chosen = [key for key, var in seats.items() if solver.value(var)]
    return chosen, status == cp_model.OPTIMAL
