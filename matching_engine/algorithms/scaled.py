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
    build_index,
)
from matching_engine.algorithms.edges import Edges, concat
from matching_engine.algorithms.optimal import big_constants, lexicographic_assignment
from matching_engine.model import I32, FloatArray, IntArray, Problem

LIST_CHUNK = 3  # preference-list entries built at a time per mentee (stable mode)
CANDIDATES = 12  # initial candidates per mentee (optimal mode): 3 pricing rounds instead of 4
PER_MENTEE = 4  # improving pairs added per mentee per pricing round
MAX_ROUNDS = 60
DEBUG = False
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
        prices = kernels.scan_prices(packed, np.where(usable, v, np.inf), floor)
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


def _score_total(p: Problem, assignment: IntArray) -> float:
    from matching_engine.scoring import score_pairs

    idx = np.flatnonzero(assignment >= 0)
    scores, _ = score_pairs(p, idx, assignment[idx])
    return float(scores.sum())
