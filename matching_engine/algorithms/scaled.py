"""National-scale solvers that never score every pair, with exactness guarantees.

``stable_lazy``: deferred acceptance on exact preference-list prefixes. A mentee's prefix holds
every mentor scoring above the best bound of its unscanned blocks, so it is exactly the start
of its full list; an unmatched mentee that exhausts its prefix gets a longer one and deferred
acceptance runs again. The result is the mentee-optimal stable matching of the full lists.

``solve_priced``: column generation. Min-cost flow on candidate pairs, then mentor prices
(dual values of capacities) from longest paths in the residual graph; every pair whose score
beats its mentee's threshold plus the mentor's price is added (found through block bounds),
until none is left: then the prices prove that the candidate optimum is the full optimum.
"""

from __future__ import annotations

import numpy as np

from matching_engine.algorithms.blocks import (
    BlockIndex,
    RankedScan,
    build_index,
    rank_blocks,
    scan_entries,
)
from matching_engine.algorithms.edges import Edges, concat
from matching_engine.algorithms.optimal import big_constants, max_weight_assignment
from matching_engine.algorithms.stable import deferred_acceptance, preference_order
from matching_engine.model import I32, FloatArray, IntArray, Problem

LIST_CHUNK = 8  # preference-list entries wanted per extension
CANDIDATES = 6  # initial candidates per mentee (optimal mode)
PER_MENTEE = 4  # improving pairs added per mentee per pricing round
MAX_ROUNDS = 60


def _free_mentees(p: Problem) -> IntArray:
    locked = np.zeros(p.n_mentees, bool)
    locked[p.locked_mentee] = True
    return np.flatnonzero(~locked)


def _frontier(scan: RankedScan) -> FloatArray:
    """Best bound among each mentee's unscanned entries (-inf when all were scanned)."""
    n = len(scan.cursor)
    out = np.full(n, -np.inf)
    has = scan.cursor < scan.first[1:]
    out[has] = scan.bound[scan.cursor[has]]
    return out


def _dedupe(edges: Edges, n_mentors: int) -> Edges:
    key = edges.mentee * n_mentors + edges.mentor
    _, keep = np.unique(key, return_index=True)
    return Edges(edges.mentee[keep], edges.mentor[keep], edges.score[keep])


def _advance(scan: RankedScan, active: IntArray, step: int) -> IntArray:
    """Take up to ``step`` next entries of each active mentee and move its cursor."""
    ends = scan.first[active + 1]
    take = np.minimum(scan.cursor[active] + step, ends)
    counts = take - scan.cursor[active]
    entries = np.repeat(scan.cursor[active], counts) + (
        np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    )
    scan.cursor[active] = take
    return entries


def _grow_lists(
    p: Problem, index: BlockIndex, scan: RankedScan, edges: Edges, need: IntArray, want: int
) -> Edges:
    """Scan blocks for mentees in ``need`` until each has ``want`` exact entries or none left."""
    zero_price = np.zeros(p.n_mentors)
    floor = np.full(p.n_mentees, -1.0)
    target = np.zeros(p.n_mentees, np.int64)
    target[need] = want
    active = need
    merged = edges
    step = 1
    while len(active):
        entries = _advance(scan, active, step)
        merged = concat([merged, scan_entries(p, index, entries, scan, zero_price, floor)])
        frontier = _frontier(scan)
        exact = merged.score > frontier[merged.mentee]
        have = np.bincount(merged.mentee[exact], minlength=p.n_mentees)
        more = scan.cursor[active] < scan.first[active + 1]
        active = active[(have[active] < target[active]) & more]
        step = min(step * 2, 16)
    return merged


def _price_out(
    p: Problem,
    index: BlockIndex,
    scan: RankedScan,
    mentees: IntArray,
    price: FloatArray,
    floor: FloatArray,
) -> Edges:
    """Pairs with positive reduced score: each mentee scans its blocks, best bound first,
    until it found ``PER_MENTEE`` of them or has no block left whose bound allows one."""
    active = mentees[scan.first[mentees + 1] > scan.first[mentees]]
    found: list[Edges] = []
    count = np.zeros(p.n_mentees, np.int64)
    step = 1
    while len(active):
        entries = _advance(scan, active, step)
        new = scan_entries(p, index, entries, scan, price, floor)
        found.append(new)
        count += np.bincount(new.mentee, minlength=p.n_mentees)
        more = scan.cursor[active] < scan.first[active + 1]
        active = active[(count[active] < PER_MENTEE) & more]
        step = min(step * 2, 16)
    return concat(found)


def stable_lazy(p: Problem, capacity: I32) -> IntArray:
    usable = capacity > 0
    index = build_index(p, usable)
    mentees = _free_mentees(p)
    scan = rank_blocks(p, index, mentees, np.zeros(p.n_mentors), np.full(p.n_mentees, -1.0))
    edges = _grow_lists(
        p, index, scan, Edges(*(np.zeros(0, np.int64),) * 2, np.zeros(0)), mentees, LIST_CHUNK
    )
    want = np.full(p.n_mentees, LIST_CHUNK)
    while True:
        frontier = _frontier(scan)
        exact = edges.score > frontier[edges.mentee]
        lists = Edges(edges.mentee[exact], edges.mentor[exact], edges.score[exact])
        mentee_order = preference_order(lists.mentee, lists.mentor, lists.score)
        mentor_order = preference_order(lists.mentor, lists.mentee, lists.score)
        assignment = deferred_acceptance(
            p.n_mentees,
            p.n_mentors,
            lists.mentee,
            lists.mentor,
            mentee_order,
            mentor_order,
            capacity,
        )
        unmatched = mentees[assignment[mentees] < 0]
        more = unmatched[scan.cursor[unmatched] < scan.first[unmatched + 1]]
        if len(more) == 0:
            return assignment
        want[more] *= 2
        edges = _grow_lists(p, index, scan, edges, more, int(want[more].max()))


def mentor_prices(
    n_mentors: int, mentee: IntArray, mentor: IntArray, weight: IntArray, assignment: IntArray
) -> tuple[FloatArray, FloatArray]:
    """Smallest dual prices (v per mentor, u per mentee) certifying the candidate optimum."""
    n_mentees = len(assignment)
    own = assignment[mentee]
    matched_w = np.zeros(n_mentees)
    chosen = own == mentor
    matched_w[mentee[chosen]] = weight[chosen]
    v = np.zeros(n_mentors)
    free = own < 0
    np.maximum.at(v, mentor[free], weight[free].astype(np.float64))
    other = (own >= 0) & ~chosen
    tail, head = own[other], mentor[other]
    gain = weight[other] - matched_w[mentee[other]]
    changed = np.ones(n_mentors, bool)
    for _ in range(10 * n_mentors + 10):
        sel = changed[tail]
        if not sel.any():
            break
        new = v.copy()
        np.maximum.at(new, head[sel], v[tail[sel]] + gain[sel])
        changed = new > v
        v = new
    u = np.zeros(n_mentees)
    m = assignment >= 0
    u[m] = matched_w[m] - v[assignment[m]]
    return v, u


def solve_priced(p: Problem, capacity: I32) -> tuple[IntArray, float | None]:
    """Exact lexicographic optimum; returns the assignment and the proven total score."""
    usable = capacity > 0
    index = build_index(p, usable)
    mentees = _free_mentees(p)
    scan = rank_blocks(p, index, mentees, np.zeros(p.n_mentors), np.full(p.n_mentees, -1.0))
    empty = Edges(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
    cand = _grow_lists(p, index, scan, empty, mentees, CANDIDATES)
    smax = p.criteria.weights.max_score()
    big_a, big_b = big_constants(smax, min(len(mentees), int(capacity.sum())))
    prio = p.mentees.priority
    for _ in range(MAX_ROUNDS):
        weight = cand.score.astype(np.int64) + big_b + big_a * prio[cand.mentee]
        assignment = max_weight_assignment(
            p.n_mentees, p.n_mentors, cand.mentee, cand.mentor, weight, capacity
        )
        v, u = mentor_prices(p.n_mentors, cand.mentee, cand.mentor, weight, assignment)
        floor = u - big_b - big_a * prio
        price = np.where(usable, v, np.inf)
        scan = rank_blocks(p, index, mentees, price, floor)
        found = _price_out(p, index, scan, mentees, price, floor)
        if len(found) == 0:
            return assignment, _score_total(p, assignment)
        cand = _dedupe(concat([cand, found]), p.n_mentors)
    return assignment, None


def _score_total(p: Problem, assignment: IntArray) -> float:
    from matching_engine.scoring import score_pairs

    idx = np.flatnonzero(assignment >= 0)
    scores, _ = score_pairs(p, idx, assignment[idx])
    return float(scores.sum())
