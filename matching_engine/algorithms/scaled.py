"""National-scale solvers that never score every pair, with exactness guarantees.

``stable_lazy``: deferred acceptance whose preference lists are built on demand, a few entries
at a time, by compiled kernels that visit mentor blocks best bound first (``kernels``); each
chunk is exactly the next part of the mentee's full list (minus mentors that would refuse it
anyway), so the result is the mentee-optimal stable matching of the full lists.

``solve_priced``: column generation. Min-cost flow on candidate pairs, then mentor prices
(dual values of capacities) from longest paths in the residual graph; every pair whose score
beats its mentee's threshold plus the mentor's price is added (found through block bounds),
until none is left: then the prices prove that the candidate optimum is the full optimum.
"""

from __future__ import annotations

import numpy as np

from matching_engine.algorithms import kernels
from matching_engine.algorithms.blocks import (
    BlockIndex,
    RankedScan,
    build_index,
    rank_blocks,
    scan_entries,
)
from matching_engine.algorithms.edges import Edges, concat
from matching_engine.algorithms.optimal import big_constants, lexicographic_assignment
from matching_engine.algorithms.stable import preference_order
from matching_engine.model import I32, BoolArray, FloatArray, IntArray, Problem

LIST_CHUNK = 3  # preference-list entries built at a time per mentee (stable mode)
CANDIDATES = 12  # initial candidates per mentee (optimal mode): 3 pricing rounds instead of 4
PER_MENTEE = 4  # improving pairs added per mentee per pricing round
MAX_ROUNDS = 60
DEBUG = False
LIST_DENSE_CELLS = 50_000  # smaller (mentees × block) groups are scored pair by pair
PRICE_DENSE_CELLS = 20_000  # the same when pricing
#: Pricing stops once the prices prove the total score is at least this share of the optimum
#: (priority and coverage always proven maximal first).
STOP_RATIO = 0.995


def _by_place_and_field(p: Problem, mentees: IntArray) -> IntArray:
    """Mentees of one place and field next to each other: scanned one after the other, they
    visit the same blocks while these are in the processor's cache (results do not depend on
    the order)."""
    me = p.mentees
    keys = (me.occupation[mentees], me.field[mentees], me.remote[mentees], me.region[mentees])
    return mentees[np.lexsort(keys)]


def _free_mentees(p: Problem) -> IntArray:
    locked = np.zeros(p.n_mentees, bool)
    locked[p.locked_mentee] = True
    return np.flatnonzero(~locked)


def _dedupe(edges: Edges, n_mentors: int) -> Edges:
    key = edges.mentee * n_mentors + edges.mentor
    _, keep = np.unique(key, return_index=True)
    return Edges(edges.mentee[keep], edges.mentor[keep], edges.score[keep])


def _top_per_mentee(edges: Edges, value: FloatArray, limit: IntArray) -> Edges:
    """Each mentee's ``limit[i]`` best pairs by value, ties broken by lower mentor index."""
    order = preference_order(edges.mentee, edges.mentor, value)
    m = edges.mentee[order]
    rank = np.arange(len(m)) - np.searchsorted(m, m)
    keep = order[rank < limit[m]]
    return Edges(edges.mentee[keep], edges.mentor[keep], edges.score[keep])


def top_lists(
    p: Problem,
    index: BlockIndex,
    mentees: IntArray,
    want: IntArray,
    threshold: FloatArray | None = None,
) -> tuple[Edges, BoolArray]:
    """Exact top-``want[i]`` preference lists (score desc, mentor index asc) of the mentees.

    With ``threshold``, mentors j with threshold[j] > score(i, j) are left out (deferred
    acceptance: a full mentor refuses anyone scoring below its worst held mentee, and its
    threshold only rises). Returns the pairs and, per mentee, whether its list is complete.
    Blocks are scanned best bound first; a mentee stops once ``want`` found pairs beat the
    bound of every block it has not scanned.
    """
    zero_price = np.zeros(p.n_mentors) if threshold is None else threshold
    floor = np.full(p.n_mentees, -1.0)
    scan = rank_blocks(p, index, mentees, zero_price, floor, raw_order=True)
    active = mentees[scan.has_more(mentees)]
    merged = Edges(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
    step = 1
    while len(active):
        entries = scan.advance(active, step)
        limit = int(want[active].max())
        found = scan_entries(
            p, index, entries, scan, zero_price, floor, limit, limit_by_score=True,
            dense_cells=LIST_DENSE_CELLS,
        )  # fmt: skip
        merged = concat([merged, found])
        frontier = scan.frontier()
        exact = merged.score > frontier[merged.mentee]
        have = np.bincount(merged.mentee[exact], minlength=p.n_mentees)
        more = scan.has_more(active)
        active = active[(have[active] < want[active]) & more]
        step = min(step * 2, 16)
    merged = _top_per_mentee(merged, merged.score, want)
    count = np.bincount(merged.mentee, minlength=p.n_mentees)
    complete = count < want
    return merged, complete


def _price_out(
    p: Problem,
    index: BlockIndex,
    scan: RankedScan,
    mentees: IntArray,
    price: FloatArray,
    floor: FloatArray,
    best: FloatArray | None = None,
) -> Edges:
    """Pairs with positive reduced score: each mentee scans its blocks, best bound first,
    until it found ``PER_MENTEE`` of them or has no block left whose bound allows one.
    ``best[i]`` gets the highest reduced score seen for mentee i (see scan_entries)."""
    active = mentees[scan.has_more(mentees)]
    found: list[Edges] = []
    count = np.zeros(p.n_mentees, np.int64)
    step = 1
    while len(active):
        entries = scan.advance(active, step)
        new = scan_entries(
            p, index, entries, scan, price, floor, PER_MENTEE, dense_cells=PRICE_DENSE_CELLS,
            best=best,
        )  # fmt: skip
        found.append(new)
        count += np.bincount(new.mentee, minlength=p.n_mentees)
        more = scan.has_more(active)
        active = active[(count[active] < PER_MENTEE) & more]
        step = min(step * 2, 16)
    return concat(found)


def stable_lazy(p: Problem, capacity: I32) -> IntArray:
    """Mentee-optimal stable matching of the full preference lists, built on demand by the
    compiled kernels (see kernels.deferred_acceptance)."""
    index = build_index(p, capacity > 0)
    packed = kernels.pack(p, index)
    top = p.criteria.weights.max_score() + 1
    state = kernels.no_thresholds(packed, p.n_mentors)
    mentees, places = _by_place_and_field(p, _free_mentees(p)), capacity.astype(np.int64)
    return np.asarray(kernels.deferred_acceptance(packed, mentees, places, LIST_CHUNK, top, state))


def mentor_prices(
    n_mentors: int, mentee: IntArray, mentor: IntArray, weight: IntArray, assignment: IntArray
) -> tuple[FloatArray, FloatArray]:
    """Smallest dual prices (v per mentor, u per mentee) certifying the candidate optimum.

    v_j is the longest path to j in the exchange graph (edge m -> j of gain w_ij - w_im for a
    mentee i held by m; a start value w_ij for an unmatched mentee i); a label-correcting
    pass only relaxes edges leaving mentors whose price changed.
    """
    n_mentees = len(assignment)
    own = assignment[mentee]
    matched_w = np.zeros(n_mentees)
    chosen = own == mentor
    matched_w[mentee[chosen]] = weight[chosen]
    v = np.zeros(n_mentors)
    free = own < 0
    np.maximum.at(v, mentor[free], weight[free].astype(np.float64))
    other = (own >= 0) & ~chosen
    order = np.argsort(own[other], kind="stable")
    tail, head = own[other][order], mentor[other][order]
    gain = (weight[other] - matched_w[mentee[other]])[order]
    first = np.searchsorted(tail, np.arange(n_mentors + 1))
    frontier = np.flatnonzero(v > 0)
    frontier = np.unique(np.concatenate([frontier, np.flatnonzero(np.diff(first) > 0)]))
    for _ in range(10 * n_mentors + 10):
        if len(frontier) == 0:
            break
        counts = first[frontier + 1] - first[frontier]
        edges = np.repeat(first[frontier], counts) + (
            np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        )
        value = v[tail[edges]] + gain[edges]
        better = value > v[head[edges]]
        if not better.any():
            break
        h, val = head[edges][better], value[better]
        np.maximum.at(v, h, val)
        frontier = np.unique(h)
    u = np.zeros(n_mentees)
    m = assignment >= 0
    u[m] = matched_w[m] - v[assignment[m]]
    return v, u


def solve_priced(
    p: Problem, capacity: I32, bonus: IntArray | None = None
) -> tuple[IntArray, float | None]:
    """Lexicographic optimum, or a proven share of it; returns the assignment and the proven
    upper bound of the total score (equal to its total when proven optimal).

    ``bonus[i]`` is added to every score of mentee i (parity targets), below coverage."""
    usable = capacity > 0
    extra = np.zeros(p.n_mentees, np.int64) if bonus is None else bonus
    packed = kernels.pack(p, build_index(p, usable))
    mentees = _by_place_and_field(p, _free_mentees(p))
    top = p.criteria.weights.max_score() + 1
    anyone = kernels.no_thresholds(packed, p.n_mentors)
    cut = np.full(len(mentees), top), np.full(len(mentees), -1)
    ci, cj, cs, _ = kernels.top_lists(packed, mentees, CANDIDATES, *cut, anyone)
    cand = Edges(ci, cj, cs.astype(np.float64))
    smax = p.criteria.weights.max_score() + int(extra.max(initial=0))
    big_a, big_b = big_constants(smax, min(len(mentees), int(capacity.sum())))
    prio = p.mentees.priority
    for _ in range(MAX_ROUNDS):
        value = cand.score.astype(np.int64) + extra[cand.mentee]
        weight = value + big_b + big_a * prio[cand.mentee]
        assignment = lexicographic_assignment(
            p.n_mentees, p.n_mentors, cand.mentee, cand.mentor, value, capacity, prio,
        )  # fmt: skip
        v, u = mentor_prices(p.n_mentors, cand.mentee, cand.mentor, weight, assignment)
        floor: FloatArray = u - big_b - big_a * prio - extra.astype(np.float64)
        prices = kernels.mentor_prices(packed, np.where(usable, v, np.inf), floor)
        fi, fj, fs, best = kernels.price_scan(packed, mentees, PER_MENTEE, top, prices, anyone)
        if len(fi) == 0:
            return assignment, _score_total(p, assignment)
        slack = np.zeros(p.n_mentees)
        slack[mentees] = best
        bound = _proven_bound(p, cand, assignment, extra, capacity, (v, u, slack), (big_a, big_b))
        if bound is not None and _score_total(p, assignment) >= STOP_RATIO * bound:
            return assignment, bound
        if DEBUG:
            print("round", len(cand), len(fi), int((assignment >= 0).sum()))
        found = Edges(fi, fj, fs.astype(np.float64))
        cand = _dedupe(concat([cand, found]), p.n_mentors)
    return assignment, None


def _proven_bound(
    p: Problem,
    cand: Edges,
    assignment: IntArray,
    extra: IntArray,
    capacity: I32,
    duals: tuple[FloatArray, FloatArray, FloatArray],
    bigs: tuple[int, int],
) -> float | None:
    """Upper bound of the best total score over *all* pairs, or None when the prices cannot
    prove yet that priority mentees and coverage are at their maximum.

    Raising each u_i by its largest reduced score over all pairs (``slack``, from the pricing
    scan) makes (u, v) feasible for the dual of the weighted b-matching LP, so
    sum(u) + sum(capacity * v) bounds every matching's weight. A matching with more priority
    mentees or more mentees would weigh at least big_B minus the current scores above the
    current one; below that, the counts are proven maximal and the same gap bounds how much
    score is missing."""
    v, u, slack = duals
    big_a, big_b = bigs
    usable = capacity > 0
    upper = float((u + slack).sum() + (capacity[usable] * v[usable]).sum())
    m = np.flatnonzero(assignment >= 0)
    m = m[np.isin(m, p.locked_mentee, invert=True)]
    key = m * p.n_mentors + assignment[m]
    cand_key = cand.mentee * p.n_mentors + cand.mentor
    order = np.argsort(cand_key)
    pos = order[np.searchsorted(cand_key[order], key)]
    score_and_extra = float((cand.score[pos] + extra[m]).sum())
    prio = p.mentees.priority[m]
    weight = score_and_extra + big_b * len(m) + big_a * float(prio.sum())
    gap = upper - weight
    if gap >= big_b - score_and_extra:
        return None
    return _score_total(p, assignment) + gap


def _best_per_mentee(found: Edges, price: FloatArray, floor: FloatArray) -> Edges:
    """Keep each mentee's PER_MENTEE pairs of highest reduced score (ties: lower mentor)."""
    reduced = found.score - price[found.mentor] - floor[found.mentee]
    order = np.lexsort((found.mentor, -reduced, found.mentee))
    m = found.mentee[order]
    rank = np.arange(len(m)) - np.searchsorted(m, m)
    keep = order[rank < PER_MENTEE]
    return Edges(found.mentee[keep], found.mentor[keep], found.score[keep])


def _score_total(p: Problem, assignment: IntArray) -> float:
    from matching_engine.scoring import score_pairs

    idx = np.flatnonzero(assignment >= 0)
    scores, _ = score_pairs(p, idx, assignment[idx])
    return float(scores.sum())
