"""Forward/reverse auction with ε-scaling for the weighted b-matching on candidate pairs.

Why: the national-scale optimal mode solves the same candidate problem several times, each
time with a few more pairs (column generation, see ``scaled``). A min-cost flow solver starts
from scratch every round (14–16 s at 200k); an auction keeps its prices and assignment, so a
round that adds pairs only re-bids for the mentees those pairs concern.

Problem: mentees (persons) each take at most one mentor; mentor j has ``capacity[j]`` slots;
pair (i, j) is worth ``w_ij`` > 0; a mentee left without a mentor is worth 0 (a "dummy" object
of unlimited capacity and price 0). Each slot has a price; a mentee's profit is its pair's
worth minus its slot's price. ε-complementary slackness (ε-CS): every mentee's profit is within
ε of the best it could get at the current prices, and every free slot costs 0. Then
(u_i = best profit of i, slot prices) is feasible for the dual LP and the total worth is within
(number of mentees) × ε of its bound; with integer worths and ε < 1 / number of mentees the
assignment is optimal on the candidate pairs.

A phase at a given ε: mentees breaking ε-CS are released; *forward* bids (a mentee takes the
cheapest slot of its best mentor, raising the price by its margin over its second choice plus
ε, and evicts the holder) run until every mentee holds a slot or the dummy; then *reverse*
bids (a free slot with a positive price lowers its price to win the mentee it suits best, or
drops to 0) run until no free slot costs anything. Forward bids only raise prices, reverse
bids only lower them and each raises its winner's profit by at least ε, so both end
(Bertsekas, "Auction algorithms", Encyclopedia of Optimization, and Bertsekas & Castañon 1993
for the reverse step on objects left unassigned).

Two cores: each bid sees the prices the previous one left (Gauss–Seidel), so bids cannot run
side by side in general. But when no mentor is remote, the candidate pairs fall apart by
region into groups no bid crosses; the phases then run on threads, each taking whole groups
through every phase, and end in the very state of serial phases (see ``_parts``): the same
pairs and prices. Each part's mentees, mentors and slots are renumbered to lie side by side
in memory while it bids (``_Local``): the bids read and write a few megabytes instead of
entries scattered over every array, shared with the other thread (half the auction's time at
200k).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
from numba import njit

from matching_engine.algorithms.kernels import THREADS
from matching_engine.model import FloatArray, IntArray

UNASSIGNED = -1
DUMMY = -2  # the mentee stays without a mentor (worth 0, price 0)
TRACE = False  # print the bids of each phase (benchmark investigations)
#: below this many candidate pairs a phase runs on one thread (starting others costs more)
SPLIT_MIN_ARCS = 200_000
#: the phases run on threads only when the largest part holds at most this share of the pairs
SPLIT_MAX_SHARE = 0.75
#: parts per thread, taken from a queue: a phase's work is not in proportion to the pairs, so
#: with one part per thread the slower one held ~55 % of it at 200k; smaller parts even out
PARTS_PER_THREAD = 8


@njit(cache=True)
def _min_slots(s_ptr: Any, price: Any, j: int) -> tuple[int, float, float]:
    """Cheapest slot of mentor j, its price and the second lowest price (inf if none)."""
    best_s, best_p, second_p = -1, np.inf, np.inf
    for s in range(s_ptr[j], s_ptr[j + 1]):
        q = price[s]
        if q < best_p:
            second_p = best_p
            best_p, best_s = q, s
        elif q < second_p:
            second_p = q
    return best_s, best_p, second_p


@njit(cache=True)
def _best_profit(p_ptr: Any, p_mentor: Any, p_w: Any, minp: Any, i: int) -> float:
    best = 0.0  # the dummy
    for a in range(p_ptr[i], p_ptr[i + 1]):
        v = p_w[a] - minp[p_mentor[a]]
        if v > best:
            best = v
    return best


@njit(cache=True, nogil=True)
def _phase(  # noqa: C901, PLR0912, PLR0915 — the auction's bidding loop, a numba hot loop measured in docs/benchmarks.md
    arcs: tuple[Any, Any, Any],
    rev: tuple[Any, Any, Any],
    slots: tuple[Any, Any, Any, Any, Any],
    asg: Any,
    asg_w: Any,
    prof: Any,
    eps: float,
    part: tuple[Any, Any],
) -> tuple[int, int]:
    """One ε phase (release, forward, reverse) over ``part``: the mentees and the slots it
    takes, each in increasing order (all of them, or a part no candidate or held pair
    leaves, see ``_parts``); returns (forward bids, reverse bids).

    ``prof[i]`` is kept equal to mentee i's profit (worth minus its slot's price, 0 without a
    slot): a slot's price only changes when the slot changes hands, and reverse bids read the
    profits of a mentor's ~30 candidates from one array instead of three."""
    p_ptr, p_mentor, p_w = arcs
    r_ptr, r_person, r_w = rev
    s_ptr, s_mentor, price, owner, minp = slots
    mentees, part_slots = part
    n = max(len(mentees), 1)  # a mentee waits in the queue at most once
    queue = np.empty(n, np.int64)
    head, size = 0, 0
    # release the mentees that break ε-CS at the new ε
    for i in mentees:
        if asg[i] == UNASSIGNED or prof[i] < _best_profit(p_ptr, p_mentor, p_w, minp, i) - eps:
            s = asg[i]
            if s >= 0:
                owner[s] = UNASSIGNED
            asg[i] = UNASSIGNED
            prof[i] = 0.0
            queue[(head + size) % n] = i
            size += 1
    forward = 0
    while size:
        i = queue[head]
        head = (head + 1) % n
        size -= 1
        best, second, bj, bw = 0.0, -np.inf, -1, 0.0
        for a in range(p_ptr[i], p_ptr[i + 1]):
            j = p_mentor[a]
            v = p_w[a] - minp[j]
            if v > best:
                second = best
                best, bj, bw = v, j, p_w[a]
            elif v > second:
                second = v
        if bj < 0:
            asg[i] = DUMMY
            asg_w[i] = 0.0
            prof[i] = 0.0
            continue
        s, _, second_p = _min_slots(s_ptr, price, bj)
        if bw - second_p > second:
            second = bw - second_p
        forward += 1
        price[s] = bw - second + eps
        old = owner[s]
        owner[s] = i
        asg[i] = s
        asg_w[i] = bw
        prof[i] = bw - price[s]
        minp[bj] = min(price[s], second_p)  # s was the cheapest; second_p: the others' least
        if old >= 0:
            asg[old] = UNASSIGNED
            prof[old] = 0.0
            queue[(head + size) % n] = old
            size += 1
    # free slots that still cost something lower their price (reverse bids)
    stack = np.empty(len(part_slots), np.int64)  # a free slot is on the stack at most once
    top = 0
    for s in part_slots:
        if owner[s] < 0 and price[s] > 0:
            stack[top] = s
            top += 1
    reverse = 0
    while top:
        top -= 1
        s = stack[top]
        if owner[s] >= 0 or price[s] <= 0:
            continue
        j = s_mentor[s]
        best, second, bk, bw = -np.inf, -np.inf, -1, 0.0
        for a in range(r_ptr[j], r_ptr[j + 1]):
            k = r_person[a]
            beta = r_w[a] - prof[k]
            if beta > best:
                second = best
                best, bk, bw = beta, k, r_w[a]
            elif beta > second:
                second = beta
        if best <= eps:
            price[s] = 0.0
            minp[j] = 0.0  # prices are never negative
            continue
        reverse += 1
        lowered = max(0.0, second - eps)
        raised = lowered > price[s]
        price[s] = lowered
        t = asg[bk]
        owner[s] = bk
        asg[bk] = s
        asg_w[bk] = bw
        prof[bk] = bw - price[s]
        minp[j] = _min_slots(s_ptr, price, j)[1] if raised else min(minp[j], lowered)
        if t >= 0:
            owner[t] = UNASSIGNED
            if price[t] > 0:
                stack[top] = t
                top += 1
    return forward, reverse


@njit(cache=True)
def _profits(p_ptr: Any, p_mentor: Any, p_w: Any, minp: Any) -> Any:
    """Each mentee's best profit at the current prices (see Auction.profits)."""
    u = np.empty(len(p_ptr) - 1)
    for i in range(len(p_ptr) - 1):
        u[i] = _best_profit(p_ptr, p_mentor, p_w, minp, i)
    return u


@njit(cache=True)
def _largest_shortfall(p_ptr: Any, p_mentor: Any, p_w: Any, minp: Any, prof: Any) -> float:
    """Largest amount by which a mentee's holding falls short of its best option."""
    worst = 0.0
    for i in range(len(p_ptr) - 1):
        gap = _best_profit(p_ptr, p_mentor, p_w, minp, i) - prof[i]
        if gap > worst:
            worst = gap
    return worst


@njit(cache=True)
def _counting_order(key: Any, n_keys: int) -> Any:
    """Stable order of ``key`` (values in 0..n_keys-1) by counting: linear where a
    comparison sort of millions of pairs takes a second a round."""
    start = np.zeros(n_keys + 1, np.int64)
    for k in key:
        start[k + 1] += 1
    for k in range(n_keys):
        start[k + 1] += start[k]
    order = np.empty(len(key), np.int64)
    for t in range(len(key)):
        k = key[t]
        order[start[k]] = t
        start[k] += 1
    return order


def pair_order(mentee: IntArray, mentor: IntArray, n_mentees: int, n_mentors: int) -> IntArray:
    """Order of pairs by mentee, then mentor, stable."""
    by_mentor: IntArray = _counting_order(mentor, n_mentors)
    order: IntArray = by_mentor[_counting_order(mentee[by_mentor], n_mentees)]
    return order


@njit(cache=True)
def sorted_runs(mentee: Any, mentor: Any, score: Any, n_mentees: int) -> tuple[bool, Any, Any, Any]:
    """When each mentee's pairs are consecutive (as the scans return them): the pairs sorted
    by mentee then mentor, each pair once (its first copy), as ``pair_order`` would sort
    them; else (False, empty arrays). One pass with each mentee's few pairs sorted in
    place, where two counting sorts gather millions of pairs in random order."""
    first = np.full(n_mentees, -1, np.int64)
    size = np.zeros(n_mentees, np.int64)
    t = 0
    while t < len(mentee):
        i, r = mentee[t], t
        while t < len(mentee) and mentee[t] == i:
            t += 1
        if first[i] >= 0:
            return False, np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, score.dtype)
        first[i], size[i] = r, t - r
    out_i, out_j = np.empty(len(mentee), np.int64), np.empty(len(mentee), np.int64)
    out_s = np.empty(len(mentee), score.dtype)
    n = 0
    for i in range(n_mentees):
        lo = n
        for t in range(first[i], first[i] + size[i]):
            j, q = mentor[t], n
            while q > lo and out_j[q - 1] > j:  # stable: a copy stays after the first
                out_j[q], out_s[q] = out_j[q - 1], out_s[q - 1]
                q -= 1
            if q > lo and out_j[q - 1] == j:  # a later copy of a pair: dropped
                for u in range(q, n):
                    out_j[u], out_s[u] = out_j[u + 1], out_s[u + 1]
                continue
            out_j[q], out_s[q] = j, score[t]
            out_i[n] = i
            n += 1
    return True, out_i[:n], out_j[:n], out_s[:n]


@njit(cache=True)
def merge_pairs(old: tuple[Any, Any, Any], new: tuple[Any, Any, Any]) -> tuple[Any, Any, Any]:
    """Union of two pair lists (mentee, mentor, score), each sorted by mentee then mentor with
    each pair once, in the same order; a pair in both keeps its ``old`` copy. Linear: the
    pricing rounds add a few pairs to millions, which a full sort would reorder each time."""
    ai, aj, a_s = old
    bi, bj, b_s = new
    n = len(ai) + len(bi)
    oi, oj = np.empty(n, np.int64), np.empty(n, np.int64)
    o_s = np.empty(n, a_s.dtype)
    x = y = t = 0
    while x < len(ai) or y < len(bi):
        if y == len(bi) or (x < len(ai) and (ai[x] < bi[y] or (ai[x] == bi[y] and aj[x] <= bj[y]))):
            if y < len(bi) and ai[x] == bi[y] and aj[x] == bj[y]:
                y += 1  # the same pair: the old copy
            oi[t], oj[t], o_s[t] = ai[x], aj[x], a_s[x]
            x += 1
        else:
            oi[t], oj[t], o_s[t] = bi[y], bj[y], b_s[y]
            y += 1
        t += 1
    return oi[:t], oj[:t], o_s[:t]


@njit(cache=True)
def _sorted_arcs(
    mentee: Any, mentor: Any, weight: Any, s_ptr: Any, n_mentees: int, check: bool
) -> tuple[bool, Any, Any, Any, Any]:
    """The pairs worth something to a mentor with places, with 32-bit indices (the bids
    read half the memory) and each mentee's first pair (p_ptr), in one pass, when the pairs
    come sorted by mentee then mentor (``check``: each pair once); else False first."""
    out_i = np.empty(len(mentee), np.int32)
    out_j = np.empty(len(mentee), np.int32)
    out_w = np.empty(len(mentee), np.float64)
    p_ptr = np.zeros(n_mentees + 1, np.int64)
    n = 0
    for t in range(len(mentee)):
        i, j = mentee[t], mentor[t]
        if weight[t] <= 0 or s_ptr[j + 1] <= s_ptr[j]:
            continue
        if check and n and (i < out_i[n - 1] or (i == out_i[n - 1] and j <= out_j[n - 1])):
            return False, out_i[:0], out_j[:0], out_w[:0], p_ptr
        out_i[n], out_j[n], out_w[n] = i, j, weight[t]
        p_ptr[i + 1] += 1
        n += 1
    for i in range(n_mentees):
        p_ptr[i + 1] += p_ptr[i]
    return True, out_i[:n], out_j[:n], out_w[:n], p_ptr


@njit(cache=True)
def _arcs(
    mentee: Any, mentor: Any, weight: Any, n_mentees: int, n_mentors: int
) -> tuple[Any, Any, Any, Any]:
    """Both adjacency lists of pairs sorted by mentee then mentor: each mentee's first arc
    (p_ptr), and the pairs grouped by mentor, mentees in increasing order (r_ptr, r_person,
    r_w)."""
    p_ptr = np.zeros(n_mentees + 1, np.int64)
    r_ptr = np.zeros(n_mentors + 1, np.int64)
    for t in range(len(mentee)):
        p_ptr[mentee[t] + 1] += 1
        r_ptr[mentor[t] + 1] += 1
    for i in range(n_mentees):
        p_ptr[i + 1] += p_ptr[i]
    for j in range(n_mentors):
        r_ptr[j + 1] += r_ptr[j]
    fill = r_ptr[:-1].copy()
    r_person = np.empty(len(mentee), np.int32)
    r_w = np.empty(len(mentee), np.float64)
    for t in range(len(mentee)):
        j = mentor[t]
        r_person[fill[j]] = mentee[t]
        r_w[fill[j]] = weight[t]
        fill[j] += 1
    return p_ptr, r_ptr, r_person, r_w


@njit(cache=True)
def _root(parent: Any, a: int) -> int:
    """Root of ``a``'s tree in the union-find forest ``parent`` (halving the path)."""
    while parent[a] != a:
        parent[a] = parent[parent[a]]
        a = parent[a]
    return a


@njit(cache=True)
def _components(p_ptr: Any, p_mentor: Any, held: Any, n_mentors: int) -> tuple[Any, Any, Any]:
    """Connected components of the candidate pairs and of the pairs held (``held[i]``: the
    mentor mentee i holds, or -1): each mentor's and each mentee's component (a mentor's
    index; a mentee alone gets ``n_mentors`` + its index) and the candidate pairs of each
    (indexed alike)."""
    parent = np.arange(n_mentors)
    n = len(p_ptr) - 1
    first = np.full(n, -1, np.int64)
    for i in range(n):
        a = held[i]
        for t in range(p_ptr[i], p_ptr[i + 1]):
            if a < 0:
                a = p_mentor[t]
                continue
            ra, rb = _root(parent, a), _root(parent, p_mentor[t])
            if ra != rb:
                parent[rb] = ra
        first[i] = a
    for j in range(n_mentors):
        parent[j] = _root(parent, j)
    of_mentee = np.empty(n, np.int64)
    pairs = np.zeros(n_mentors + n, np.int64)
    for i in range(n):
        of_mentee[i] = n_mentors + i if first[i] < 0 else parent[first[i]]
        pairs[of_mentee[i]] += p_ptr[i + 1] - p_ptr[i]
    return parent, of_mentee, pairs


def _parts(
    p_ptr: IntArray, p_mentor: Any, held: IntArray, s_mentor: IntArray, threads: int
) -> list[tuple[IntArray, IntArray]] | None:
    """Mentees and slots split into at most ``threads`` × PARTS_PER_THREAD parts that no
    candidate or held pair crosses (whole components, the largest first to the part with the
    fewest pairs), each in increasing order, parts with the most pairs first and empty ones
    left out; None when, split in ``threads`` parts alike, one would hold more than
    SPLIT_MAX_SHARE of the pairs.

    Why a phase may run its parts on threads and end as one serial phase: no bid crosses a
    component, and restricted to one component the serial phase takes its mentees in
    increasing order, its evicted mentees first in first out and its free slots last in first
    out, as each part's phase does; so every component sees the same bids in the same order.
    """
    # mentors after the last slot's have no slot, hence no pair: none is needed
    n_mentors = int(s_mentor[-1]) + 1 if len(s_mentor) else 0
    of_mentor, of_mentee, pairs = _components(p_ptr, p_mentor, held, n_mentors)
    total = int(pairs.sum())
    if total == 0 or int(pairs.max()) > SPLIT_MAX_SHARE * total:
        return None
    by_size = np.argsort(-pairs, kind="stable")[: np.count_nonzero(pairs)]
    if int(_bins(pairs[by_size], threads)[1].max()) > SPLIT_MAX_SHARE * total:
        return None
    part_of = np.zeros(len(pairs), np.int64)
    bin_of, load = _bins(pairs[by_size], threads * PARTS_PER_THREAD)
    part_of[by_size] = bin_of
    mentee_part, slot_part = part_of[of_mentee], part_of[of_mentor[s_mentor]]
    split = [(np.flatnonzero(mentee_part == k), np.flatnonzero(slot_part == k))
             for k in np.argsort(-load, kind="stable").tolist()]  # fmt: skip
    return [(mentees, slots) for mentees, slots in split if len(mentees) or len(slots)]


def _bins(sizes: IntArray, n_bins: int) -> tuple[IntArray, IntArray]:
    """Each size (largest first) to the bin with the least so far; (bin of each, bin loads)."""
    load = np.zeros(max(n_bins, 1), np.int64)
    bin_of = np.zeros(len(sizes), np.int64)
    for c, size in enumerate(sizes.tolist()):
        k = int(load.argmin())
        bin_of[c] = k
        load[k] += size
    return bin_of, load


@njit(cache=True)
def _local_arcs(
    p_ptr: Any, p_mentor: Any, p_w: Any, mi: Any, inv_j: Any, n_local_mentors: int
) -> tuple[Any, Any, Any, Any, Any, Any]:
    """Both adjacency lists (as ``_arcs``) of mentees ``mi``, renumbered in that order, their
    mentors renumbered by ``inv_j``: the reverse lists are built from the renumbered pairs,
    so each mentor's mentees come in increasing order, as in the original numbering when
    the renumbering keeps the mentees' order among those of one mentor."""
    lp = np.zeros(len(mi) + 1, np.int64)
    for k in range(len(mi)):
        lp[k + 1] = lp[k] + p_ptr[mi[k] + 1] - p_ptr[mi[k]]
    l_mentor = np.empty(lp[-1], np.int32)
    l_w = np.empty(lp[-1], np.float64)
    lr = np.zeros(n_local_mentors + 1, np.int64)
    for k in range(len(mi)):
        t = lp[k]
        for a in range(p_ptr[mi[k]], p_ptr[mi[k] + 1]):
            j = inv_j[p_mentor[a]]
            l_mentor[t] = j
            l_w[t] = p_w[a]
            lr[j + 1] += 1
            t += 1
    for j in range(n_local_mentors):
        lr[j + 1] += lr[j]
    fill = lr[:-1].copy()
    l_person = np.empty(lp[-1], np.int32)
    l_rw = np.empty(lp[-1], np.float64)
    for k in range(len(mi)):
        for t in range(lp[k], lp[k + 1]):
            j = l_mentor[t]
            l_person[fill[j]] = k
            l_rw[fill[j]] = l_w[t]
            fill[j] += 1
    return lp, l_mentor, l_w, lr, l_person, l_rw


class _Local:
    """An auction's state renumbered so that each part's mentees, mentors and slots are
    contiguous: the threads then work on separate stretches of memory (no cache line shared
    between two parts, a part's arrays in few pages) instead of scattered entries.

    The renumbering keeps the order of the mentees, mentors and slots within a part, and a
    part's arcs stay within it, so each part's phases make the same bids, with the same ties
    broken, as on the original numbering; ``write_back`` maps the state back."""

    def __init__(self, auction: Auction, parts: list[tuple[IntArray, IntArray]]) -> None:
        a = auction
        self.mi = np.concatenate([m for m, _ in parts])
        self.sl = np.concatenate([s for _, s in parts])
        inv_i = np.full(a.n_mentees, -1, np.int64)
        inv_i[self.mi] = np.arange(len(self.mi))
        inv_s = np.full(len(a.s_mentor), -1, np.int64)
        inv_s[self.sl] = np.arange(len(self.sl))
        of_slot = a.s_mentor[self.sl]
        first = np.ones(len(of_slot), bool)
        first[1:] = of_slot[1:] != of_slot[:-1]
        self.mj = of_slot[first]
        inv_j = np.full(a.n_mentors, -1, np.int64)
        inv_j[self.mj] = np.arange(len(self.mj))
        s_ptr = np.append(np.flatnonzero(first), len(of_slot)).astype(np.int64)
        s_mentor = inv_j[of_slot]
        lp, l_mentor, l_w, lr, l_person, l_rw = _local_arcs(
            a.p_ptr, a.mentor, a.weight, self.mi, inv_j, len(self.mj)
        )
        asg, owner = a.asg[self.mi], a.owner[self.sl]
        self.asg = np.where(asg >= 0, inv_s[np.maximum(asg, 0)], asg)
        self.owner = np.where(owner >= 0, inv_i[np.maximum(owner, 0)], owner)
        self.price, self.minp = a.price[self.sl], a.minp[self.mj]
        self.asg_w, self.prof = a.asg_w[self.mi], a.prof[self.mi]
        slots = (s_ptr, s_mentor, self.price, self.owner, self.minp)
        self.state = ((lp, l_mentor, l_w), (lr, l_person, l_rw), slots, self.asg, self.asg_w,
                      self.prof)  # fmt: skip
        self.parts: list[tuple[IntArray, IntArray]] = []
        i0 = s0 = 0
        for mentees, part_slots in parts:
            i1, s1 = i0 + len(mentees), s0 + len(part_slots)
            self.parts.append((np.arange(i0, i1), np.arange(s0, s1)))
            i0, s0 = i1, s1

    def write_back(self, a: Auction) -> None:
        """The state of the renumbered auction into ``a``'s numbering."""
        a.asg[self.mi] = np.where(self.asg >= 0, self.sl[np.maximum(self.asg, 0)], self.asg)
        a.owner[self.sl] = np.where(self.owner >= 0, self.mi[np.maximum(self.owner, 0)], self.owner)
        a.price[self.sl], a.minp[self.mj] = self.price, self.minp
        a.asg_w[self.mi], a.prof[self.mi] = self.asg_w, self.prof


class Auction:
    """Auction state over candidate pairs, kept across rounds that add pairs."""

    def __init__(self, n_mentees: int, capacity: Any) -> None:
        cap = np.maximum(np.asarray(capacity, np.int64), 0)
        self.n_mentees, self.n_mentors = n_mentees, len(cap)
        self.s_ptr = np.concatenate([[0], np.cumsum(cap)]).astype(np.int64)
        self.s_mentor = np.repeat(np.arange(len(cap), dtype=np.int64), cap)
        self.price = np.zeros(len(self.s_mentor))
        self.owner = np.full(len(self.s_mentor), UNASSIGNED, np.int64)
        self.minp = np.where(cap > 0, 0.0, np.inf)
        self.asg = np.full(n_mentees, UNASSIGNED, np.int64)
        self.asg_w = np.zeros(n_mentees)
        self.prof = np.zeros(n_mentees)
        self.eps = np.inf
        self.bids = 0
        self.threads = THREADS  # see _parts
        self._set_arcs(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))

    def _set_arcs(self, mentee: IntArray, mentor: IntArray, weight: FloatArray) -> None:
        args = (self.s_ptr, self.n_mentees)
        done, *arcs = _sorted_arcs(mentee, mentor, weight, *args, True)
        if not done:  # the pricing rounds' pairs come sorted; others are sorted first
            order = pair_order(mentee, mentor, self.n_mentees, self.n_mentors)
            done, *arcs = _sorted_arcs(mentee[order], mentor[order], weight[order], *args, False)
        self.mentee, self.mentor, self.weight, self.p_ptr = arcs
        # the pairs by mentor, built when a phase runs on every mentee (see _reverse)
        self._rev: tuple[IntArray, Any, FloatArray] | None = None

    def _reverse(self) -> tuple[IntArray, Any, FloatArray]:
        """The pairs grouped by mentor, mentees in increasing order (r_ptr, r_person, r_w):
        what reverse bids read. Phases on threads build their parts' own (see _Local)."""
        if self._rev is None:
            self._rev = _arcs(
                self.mentee, self.mentor, self.weight, self.n_mentees, self.n_mentors
            )[1:]
        return self._rev

    def set_pairs(self, mentee: IntArray, mentor: IntArray, weight: FloatArray) -> None:
        """Replace the candidate pairs (a superset of the previous ones keeps the state
        useful: prices and holdings stay, the next ``solve`` releases whoever they no longer
        suit). Pairs must be distinct."""
        self._set_arcs(np.asarray(mentee), np.asarray(mentor), np.asarray(weight, np.float64))

    def solve(self, eps: float, theta: float = 8.0) -> None:
        """Run ε phases, dividing ε by ``theta``, down to ``eps`` (or at ``eps`` again when
        already there: a warm re-solve after new pairs)."""
        if not np.isfinite(self.eps):
            start = float(self.weight.max(initial=0.0)) / theta
        else:
            # New pairs can be worth far more than what their mentees hold (a mentee left
            # out now sees a mentor): bidding that up ε at a time would take forever, so
            # scaling restarts from the largest shortfall.
            shortfall = _largest_shortfall(
                self.p_ptr, self.mentor, self.weight, self.minp, self.prof
            )
            start = min(shortfall, float(self.weight.max(initial=0.0))) / theta
        # ε = eps·θ^k, ..., eps: the last phase runs at eps itself (no short extra phase)
        steps = int(np.ceil(np.log(max(start, eps) / eps) / np.log(theta) - 1e-9))
        schedule = [eps * theta**k for k in range(steps, -1, -1)]
        parts = self._parts()
        if len(parts) == 1:
            arcs = (self.p_ptr, self.mentor, self.weight)
            slots = (self.s_ptr, self.s_mentor, self.price, self.owner, self.minp)
            state = (arcs, self._reverse(), slots, self.asg, self.asg_w, self.prof)
            bids = [[_phase(*state, e, parts[0]) for e in schedule]]
        else:
            local = _Local(self, parts)
            state = local.state

            def phases(part: tuple[IntArray, IntArray]) -> list[tuple[int, int]]:
                return [_phase(*state, e, part) for e in schedule]

            # Parts that no pair crosses (_parts), taken in turn by the threads, each through
            # every phase: a part's phases read and write only its own mentees and slots, so
            # it ends as after phase-by-phase runs, without waiting for the slowest part at
            # every phase.
            with ThreadPoolExecutor(min(self.threads, len(parts))) as pool:
                bids = list(pool.map(phases, local.parts))
            local.write_back(self)
        self.eps = schedule[-1]
        for k, phase in enumerate(zip(*bids, strict=True)):
            f, r = sum(b[0] for b in phase), sum(b[1] for b in phase)
            self.bids += f + r
            if TRACE:
                print(f"   phase eps={schedule[k]:.4g} forward={f} reverse={r}")

    def _parts(self, min_arcs: int | None = None) -> list[tuple[IntArray, IntArray]]:
        """What each phase call takes: every mentee and slot on one thread, or parts no
        candidate pair crosses, PARTS_PER_THREAD for each of the ``threads`` threads, when the
        pairs are many (``min_arcs``, default SPLIT_MIN_ARCS) and fall apart (regions without
        remote mentors)."""
        least = SPLIT_MIN_ARCS if min_arcs is None else min_arcs
        if self.threads > 1 and len(self.mentor) >= least:
            held = np.where(self.asg >= 0, self.s_mentor[np.maximum(self.asg, 0)], -1)
            split = _parts(self.p_ptr, self.mentor, held, self.s_mentor, self.threads)
            if split is not None:
                return split
        return [(np.arange(self.n_mentees), np.arange(len(self.s_mentor)))]

    def assignment(self) -> IntArray:
        """Mentee -> mentor index or -1."""
        out = np.full(self.n_mentees, -1, np.int64)
        held = self.asg >= 0
        out[held] = self.s_mentor[self.asg[held]]
        return out

    def mentor_price(self) -> FloatArray:
        """Price of each mentor's cheapest slot (inf for mentors without slots)."""
        return self.minp.copy()

    def profits(self) -> FloatArray:
        """u_i = best profit of mentee i at the current prices (≥ 0): with the slot prices,
        a feasible dual solution on the candidate pairs."""
        u: FloatArray = _profits(self.p_ptr, self.mentor, self.weight, self.minp)
        return u

    def dual_bound(self) -> float:
        """Sum of u and of all slot prices: bounds the worth of any matching on the pairs."""
        return float(self.profits().sum() + self.price.sum())

    def alternating_reach(self, allowed: Any) -> tuple[Any, Any, bool]:
        """König certificate of the matched count among ``allowed`` mentees: when no
        alternating path from an unmatched allowed mentee reaches a mentor with room, that
        count is the most the candidate pairs allow, and (allowed mentees not reached,
        mentors reached) covers every candidate pair of an allowed mentee. Returns (reached
        mentees, reached mentors, whether some path reaches room)."""
        return _alternating_reach(
            self.p_ptr, self.mentor, self.s_ptr, self.owner, self.asg, np.asarray(allowed)
        )

    def worth(self) -> float:
        """Total worth of the pairs held."""
        return float(self.asg_w[self.asg >= 0].sum())


@njit(cache=True)
def _alternating_reach(
    p_ptr: Any, p_mentor: Any, s_ptr: Any, owner: Any, asg: Any, allowed: Any
) -> tuple[Any, Any, bool]:
    """Mentees and mentors reachable from the unmatched ``allowed`` mentees by alternating
    paths (any candidate pair forward, a mentor back to the allowed mentees it holds), and
    whether one such path ends at a mentor with room for one more allowed mentee."""
    n, n_mentors = len(p_ptr) - 1, len(s_ptr) - 1
    reached_i = np.zeros(n, np.bool_)
    reached_j = np.zeros(n_mentors, np.bool_)
    queue = np.empty(n, np.int64)
    head, tail = 0, 0
    for i in range(n):
        if allowed[i] and asg[i] < 0:
            reached_i[i] = True
            queue[tail] = i
            tail += 1
    room = False
    while head < tail:
        i = queue[head]
        head += 1
        for a in range(p_ptr[i], p_ptr[i + 1]):
            j = p_mentor[a]
            if reached_j[j]:
                continue
            reached_j[j] = True
            held = 0
            for s in range(s_ptr[j], s_ptr[j + 1]):
                k = owner[s]
                if k >= 0 and allowed[k]:
                    held += 1
                    if not reached_i[k]:
                        reached_i[k] = True
                        queue[tail] = k
                        tail += 1
            if held < s_ptr[j + 1] - s_ptr[j]:
                room = True
    return reached_i, reached_j, room
