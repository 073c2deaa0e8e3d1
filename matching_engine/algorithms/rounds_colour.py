"""Rounds for chosen meetings: a bipartite edge colouring with one colour per round.

Each professional's table of k seats is split into k *seat lines*; every meeting of the
professional goes to one line, at most R per line. The graph mentees × seat lines then has
maximum degree ≤ R, and by König's edge-colouring theorem a bipartite graph of maximum degree Δ
has a proper edge colouring with Δ colours: the rounds. The colouring is built edge by edge
with the classical alternating-path argument: for a meeting (u, v), take a round a free for
mentee u and a round b free for line v; if a is not free at v, the path from v alternating
rounds a and b never reaches u (u has no meeting in round a), so swapping a and b along it
frees a at v without breaking anything, and (u, v) takes round a.

Locked seats are coloured first and never moved: a path through a locked seat is not swapped
(the other choices of a and b, and the path from u, are tried). Extending a precoloured edge
colouring is NP-complete on bipartite graphs in general, so with locks a meeting may find no
round; it is returned as unplaced (the caller tries to fill the gaps).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from ortools.sat.python import cp_model

from matching_engine.model import IntArray


def _lines(
    mentee: IntArray,
    professional: IntArray,
    locked: Sequence[tuple[int, int, int]],
    n_professionals: int,
    *,
    rounds: int,
    table_size: int,
) -> tuple[list[tuple[int, int, int]], list[int]]:
    """Seat lines of the locked seats (mentee, line, round) and of the free meetings:
    a locked seat of round r takes a line not yet used in round r at its table, and the free
    meetings fill the least-used lines, so that no line holds more than R meetings."""
    used: dict[tuple[int, int], int] = {}  # (professional, round) -> lines taken
    degree = [0] * (n_professionals * table_size)
    locked_lines = []
    for i, j, r in locked:
        s = used.get((j, r), 0)
        used[(j, r)] = s + 1
        line = j * table_size + s
        degree[line] += 1
        locked_lines.append((i, line, r))
    free_lines = []
    for j in professional.tolist():
        base = j * table_size
        line = min(range(base, base + table_size), key=degree.__getitem__)
        degree[line] += 1
        free_lines.append(line)
    assert max(degree, default=0) <= rounds, "a seat line holds more than R meetings"
    return locked_lines, free_lines


class _Colouring:
    """Proper edge colouring of mentees × seat lines with ``rounds`` colours."""

    def __init__(self, n_mentees: int, n_lines: int, rounds: int) -> None:
        self.rounds = rounds
        self.at_mentee = [[-1] * rounds for _ in range(n_mentees)]  # round -> line
        self.at_line = [[-1] * rounds for _ in range(n_lines)]  # round -> mentee
        self.locked: set[tuple[int, int]] = set()

    def put(self, i: int, line: int, r: int) -> None:
        self.at_mentee[i][r] = line
        self.at_line[line][r] = i

    def _path(self, start: int, on_line: bool, a: int, b: int) -> list[tuple[int, int]] | None:
        """Edges (mentee, line) of the path from ``start`` alternating rounds a, b, …;
        None when it goes through a locked seat."""
        path: list[tuple[int, int]] = []
        node, side, colour = start, on_line, a
        while True:
            other = (self.at_line if side else self.at_mentee)[node][colour]
            if other < 0:
                return path
            edge = (other, node) if side else (node, other)
            if edge in self.locked:
                return None
            path.append(edge)
            node, side, colour = other, not side, b if colour == a else a

    def _swap(self, path: list[tuple[int, int]], a: int, b: int) -> None:
        colours = [a if self.at_mentee[i][a] == line else b for i, line in path]
        for (i, line), c in zip(path, colours, strict=True):
            self.at_mentee[i][c] = -1
            self.at_line[line][c] = -1
        for (i, line), c in zip(path, colours, strict=True):
            self.put(i, line, b if c == a else a)

    def add(self, u: int, v: int) -> bool:
        """Colour the meeting of mentee u on line v; False when no round can be found."""
        free_u = [c for c in range(self.rounds) if self.at_mentee[u][c] < 0]
        free_v = [c for c in range(self.rounds) if self.at_line[v][c] < 0]
        common = set(free_u).intersection(free_v)
        if common:
            self.put(u, v, min(common))
            return True
        for a in free_u:
            for b in free_v:
                path = self._path(v, True, a, b)  # frees a at v
                if path is not None:
                    self._swap(path, a, b)
                    self.put(u, v, a)
                    return True
                path = self._path(u, False, b, a)  # frees b at u
                if path is not None:
                    self._swap(path, a, b)
                    self.put(u, v, b)
                    return True
        return False


def assign_rounds(
    mentee: IntArray,
    professional: IntArray,
    locked: Sequence[tuple[int, int, int]],
    *,
    n_mentees: int,
    n_professionals: int,
    rounds: int,
    table_size: int,
) -> tuple[IntArray, IntArray]:
    """Round of each meeting (-1 when none could be found, only possible with locks) and the
    table line it took. ``locked`` seats (mentee, professional, round) are kept as given."""
    locked_lines, free_lines = _lines(
        mentee, professional, locked, n_professionals, rounds=rounds, table_size=table_size
    )
    colouring = _Colouring(n_mentees, n_professionals * table_size, rounds)
    for i, line, r in locked_lines:
        colouring.put(i, line, r)
        colouring.locked.add((i, line))
    placed = [colouring.add(i, line) for i, line in zip(mentee.tolist(), free_lines, strict=True)]
    out = np.full(len(mentee), -1, np.int64)
    for k, (i, line) in enumerate(zip(mentee.tolist(), free_lines, strict=True)):
        if placed[k]:
            out[k] = colouring.at_mentee[i].index(line)
    return out, np.asarray(free_lines, np.int64)


def assign_rounds_exactly(
    mentee: IntArray,
    professional: IntArray,
    score: IntArray,
    locked: Sequence[tuple[int, int, int]],
    *,
    rounds: int,
    table_size: int,
    seconds: float = 10.0,
) -> IntArray:
    """Round of each meeting around locked seats, by CP-SAT: the most meetings placed, then
    the highest total ``score`` (whole numbers ≥ 0); -1 for a meeting left without a round.
    Used when the alternating paths of ``assign_rounds`` are blocked by locked seats."""
    model = cp_model.CpModel()
    busy_mentee = {(i, r) for i, _, r in locked}
    table_used: dict[tuple[int, int], int] = {}
    for _, j, r in locked:
        table_used[(j, r)] = table_used.get((j, r), 0) + 1
    weight = int(score.max(initial=0)) * len(score) + 1
    by_mentee: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    by_table: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    choice: list[list[tuple[int, cp_model.IntVar]]] = []
    terms = []
    for e, (i, j) in enumerate(zip(mentee.tolist(), professional.tolist(), strict=True)):
        options = []
        for r in range(rounds):
            if (i, r) in busy_mentee or table_used.get((j, r), 0) >= table_size:
                continue
            var = model.new_bool_var(f"y{e}_{r}")
            options.append((r, var))
            by_mentee.setdefault((i, r), []).append(var)
            by_table.setdefault((j, r), []).append(var)
            terms.append((weight + int(score[e])) * var)
        model.add_at_most_one(v for _, v in options)
        choice.append(options)
    for group in by_mentee.values():
        model.add_at_most_one(group)
    for (j, r), group in by_table.items():
        model.add(sum(group) <= table_size - table_used.get((j, r), 0))
    model.maximize(sum(terms))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 1  # deterministic: the plan depends only on the input
    status = solver.solve(model)
    out = np.full(len(mentee), -1, np.int64)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        for e, options in enumerate(choice):
            for r, var in options:
                if solver.value(var):
                    out[e] = r
    return out
