"""Who meets whom at a speed-networking evening: a b-matching solved exactly by flows.

Every mentee can meet up to R professionals (one per round), every professional up to R·k
mentees (a table of k seats for R rounds), each pair at most once. Choosing the meetings is a
bipartite b-matching; the rounds are assigned afterwards (``rounds_colour``), and König's
theorem guarantees that R rounds always suffice. The choice is lexicographic:

1. the most meetings (a max flow);
2. professionals' loads as even as possible: among plans with the most meetings, the least
   sum of squares of the loads (a min-cost flow whose t-th person at a table costs t, which is
   convex, so unit arcs of increasing cost model it exactly). The load vectors of the
   b-matchings of maximum size are the integer points of a polymatroid's base polyhedron (an
   M-convex set), where the least square-sum vector is also decreasingly minimal and
   increasingly maximal (Frank & Murota, *Discrete decreasing minimization*, 2022): its
   smallest load is the largest minimum any plan reaches and its largest load the smallest
   maximum. Each professional's load is then bounded by ``[floor_j, ceil_j]`` around it;
3. with ``favour_fewest``: every meeting with a *relevant* professional is worth
   ``T − c`` to a mentee who has met ``c`` relevant professionals so far (earlier events plus
   this plan's previous meetings), so such meetings go first to those who met fewest; any
   difference here outweighs any score difference;
4. the total score (a min-cost flow with costs −score, the loads' bounds as arc bounds).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow

from matching_engine.algorithms.optimal import SolverError, integer_scores
from matching_engine.model import BoolArray, FloatArray, IntArray

#: Largest cost magnitude × node count the flow solver is given (int64 headroom).
_COST_LIMIT = 1 << 60


@dataclass(frozen=True)
class Meetings:
    """The chosen free meetings (locked ones excluded) and the load bounds that framed them."""

    mentee: IntArray
    professional: IntArray
    #: per professional: the most even loads (locked meetings included), and the bounds.
    balanced: IntArray
    floor: IntArray
    ceil: IntArray


def _max_meetings(
    n: int, p: int, mi: IntArray, pj: IntArray, cap_i: IntArray, cap_j: IntArray
) -> int:
    flow = max_flow.SimpleMaxFlow()
    src, snk = n + p, n + p + 1
    flow.add_arcs_with_capacity(mi, n + pj, np.ones(len(mi), np.int64))
    flow.add_arcs_with_capacity(np.full(n, src), np.arange(n), cap_i)
    flow.add_arcs_with_capacity(n + np.arange(p), np.full(p, snk), cap_j)
    if flow.solve(src, snk) != flow.OPTIMAL:
        raise SolverError("max flow")
    return int(flow.optimal_flow())


def _balanced_loads(
    n: int,
    p: int,
    mi: IntArray,
    pj: IntArray,
    cap_i: IntArray,
    cap_j: IntArray,
    locked_j: IntArray,
    total: int,
) -> IntArray:
    """Free meetings per professional in a plan of ``total`` free meetings whose loads
    (``locked_j`` plus free) have the least sum of squares."""
    flow = min_cost_flow.SimpleMinCostFlow()
    src, snk = n + p, n + p + 1
    flow.add_arcs_with_capacity_and_unit_cost(
        mi, n + pj, np.ones(len(mi), np.int64), np.zeros(len(mi), np.int64)
    )
    flow.add_arcs_with_capacity_and_unit_cost(
        np.full(n, src), np.arange(n), cap_i, np.zeros(n, np.int64)
    )
    tails = np.repeat(np.arange(p), cap_j)
    steps = np.arange(len(tails)) - np.repeat(np.cumsum(cap_j) - cap_j, cap_j)
    unit = flow.add_arcs_with_capacity_and_unit_cost(
        n + tails, np.full(len(tails), snk), np.ones(len(tails), np.int64),
        locked_j[tails] + steps,
    )  # fmt: skip
    flow.set_node_supply(src, total)
    flow.set_node_supply(snk, -total)
    if flow.solve() != flow.OPTIMAL:
        raise SolverError("balanced loads")
    return np.bincount(tails, weights=flow.flows(unit), minlength=p).astype(np.int64)


def choose_meetings(
    scores: FloatArray,
    allowed: BoolArray,
    *,
    rounds: int,
    table_size: int,
    locked_i: IntArray,
    locked_j: IntArray,
    relevant: BoolArray | None = None,
    met_counts: IntArray | None = None,
) -> Meetings:
    """The free meetings of the lexicographically best plan (see the module docstring).
    ``allowed`` must already exclude locked pairs, pairs met before and forbidden pairs."""
    n, p = scores.shape
    mi, pj = np.nonzero(allowed)
    mi, pj = mi.astype(np.int64), pj.astype(np.int64)
    busy_i = np.bincount(locked_i, minlength=n).astype(np.int64)
    busy_j = np.bincount(locked_j, minlength=p).astype(np.int64)
    cap_i = rounds - busy_i
    cap_j = rounds * table_size - busy_j
    total = _max_meetings(n, p, mi, pj, cap_i, cap_j) if len(mi) else 0
    free = (
        _balanced_loads(n, p, mi, pj, cap_i, cap_j, busy_j, total)
        if total
        else np.zeros(p, np.int64)
    )
    balanced = busy_j + free
    lo = int(balanced.min()) if p else 0
    hi = int(balanced.max()) if p else 0
    floor = np.minimum(balanced, np.maximum(lo, balanced - 1))
    ceil = np.minimum(hi, balanced + 1)
    if total == 0:
        empty = np.zeros(0, np.int64)
        return Meetings(empty, empty, balanced, floor, ceil)
    lower = np.maximum(floor - busy_j, 0)
    upper = ceil - busy_j
    score_int, _ = integer_scores(scores[mi, pj])
    chosen = _best_scores(
        n, p, mi, pj, score_int, cap_i, lower, upper, total,
        None if relevant is None else relevant[mi, pj],
        met_counts, busy_relevant=_locked_relevant(n, locked_i, locked_j, relevant),
        rounds=rounds,
    )  # fmt: skip
    return Meetings(mi[chosen], pj[chosen], balanced, floor, ceil)


def _locked_relevant(
    n: int, locked_i: IntArray, locked_j: IntArray, relevant: BoolArray | None
) -> IntArray:
    if relevant is None or len(locked_i) == 0:
        return np.zeros(n, np.int64)
    return np.bincount(locked_i[relevant[locked_i, locked_j]], minlength=n).astype(np.int64)


def _best_scores(  # noqa: PLR0913 — one flow network's arrays
    n: int,
    p: int,
    mi: IntArray,
    pj: IntArray,
    score: IntArray,
    cap_i: IntArray,
    lower: IntArray,
    upper: IntArray,
    total: int,
    relevant: BoolArray | None,
    met_counts: IntArray | None,
    *,
    busy_relevant: IntArray,
    rounds: int,
) -> BoolArray:
    """Which edges carry flow in the best plan: ``total`` free meetings, each professional's
    free meetings within [lower, upper], the most-favoured then highest-scoring."""
    flow = min_cost_flow.SimpleMinCostFlow()
    # Nodes: mentees 0..n-1, professionals n..n+p-1, source, sink, then (favour_fewest)
    # each mentee's "relevant meetings" node n+p+2+i.
    src, snk = n + p, n + p + 1
    cost = score.max() - score  # meetings are counted exactly: shifting changes nothing
    tails = mi.copy()
    if relevant is not None:
        assert met_counts is not None
        tails = np.where(relevant, n + p + 2 + mi, mi)
        start = met_counts + busy_relevant
        reward_top = int(start.max()) + rounds + 1
        weight = total * (int(cost.max()) + 1) + 1
        slots = np.maximum(cap_i, 0)
        owner = np.repeat(np.arange(n), slots)
        steps = np.arange(len(owner)) - np.repeat(np.cumsum(slots) - slots, slots)
        unit_cost = -weight * (reward_top - (start[owner] + steps))
        if int(np.abs(unit_cost).max(initial=0)) * (2 * n + p + 2) >= _COST_LIMIT:
            raise SolverError("costs too large for favour_fewest")
        flow.add_arcs_with_capacity_and_unit_cost(
            owner, n + p + 2 + owner, np.ones(len(owner), np.int64), unit_cost
        )
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        tails, n + pj, np.ones(len(mi), np.int64), cost
    )
    flow.add_arcs_with_capacity_and_unit_cost(
        np.full(n, src), np.arange(n), cap_i, np.zeros(n, np.int64)
    )
    # Lower bounds: professional j absorbs lower[j] itself, the sink takes the rest.
    flow.add_arcs_with_capacity_and_unit_cost(
        n + np.arange(p), np.full(p, snk), upper - lower, np.zeros(p, np.int64)
    )
    flow.set_node_supply(src, total)
    for j in np.flatnonzero(lower).tolist():
        flow.set_node_supply(n + j, -int(lower[j]))
    flow.set_node_supply(snk, -(total - int(lower.sum())))
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise SolverError(f"best scores: {status}")
    return np.asarray(flow.flows(arcs) > 0)
