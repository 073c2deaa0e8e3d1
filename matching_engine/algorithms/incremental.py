"""Exact, warm-startable lexicographic b-matching on an explicit candidate graph, with duals.

Problem. Mentees i, mentors j with capacities c_j, candidate edges (i, j) with integer scores.
Weights ``w_ij = score_ij + B + A·priority_i`` with (A, B) from ``optimal.big_constants``; a
matching of maximum total weight (each mentee ≤ 1 mentor, mentor j ≤ c_j mentees, staying
unmatched weighs 0) is the lexicographic optimum: most priority mentees, then most mentees,
then the highest total score. Its LP dual: u_i ≥ 0, v_j ≥ 0, u_i + v_j ≥ w_ij on every edge,
minimising Σu + Σc·v.

Algorithm: successive shortest paths (primal-dual, Hungarian-type) on the flow network
mentee → mentor → sink t (plus mentee → t, "stays unmatched", weight 0), with node potentials
p_i = u_i (mentees), p_j = -v_j (mentors), p_t = 0, all integers (int64, exact). Invariants:

* every residual arc has a non-negative reduced cost: u_i + v_j ≥ w_ij on every edge, u ≥ 0,
  v_j ≥ 0 for mentors holding someone, v_j = 0 for mentors with free capacity, u_i = 0 for
  processed unmatched mentees;
* every matched edge is tight: u_i + v_{a(i)} = w_{i,a(i)}.

An "excess" mentee is one whose unit has not been routed yet (cold start: all of them). A
*forward* Dijkstra search from it over the residual graph (reduced costs ≥ 0, only mentors in
the heap: a matched mentee is reached at its mentor's distance through its tight edge) stops
at the first terminal: a mentor with free capacity, a mentor owing a slot (see below), or the
sink through some mentee leaving the matching (cost d + u_i, possibly the root itself).
Potentials of settled nodes are shifted by their distance (v up, u down), the path is
augmented. A *reverse* search does the same from a mentor that owes a slot ("deficit": a
mentee left it while its price v_j > 0) towards the sink: someone moves in, or its price drops
to 0 and the slot stays free (v down, u up). When no excess and no deficit is left, the flow
is feasible and every residual reduced cost is ≥ 0: the assignment is an exact optimum and
(u, v) an exact optimal dual, integer-valued. Hence:

* the priority count, matched count and total score equal the candidate-graph optimum exactly
  (no ε: nothing approximate anywhere);
* (u, v) is dual feasible with complementary slackness holding exactly, so the candidate-graph
  duality gap Σu + Σc·v − Σw(assignment) is exactly 0 (``WarmState.gap``, checked in integers);
  v_j = 0 for mentors with free capacity, u_i = 0 for unmatched mentees, matched edges tight.

Warm start. The state keeps the assignment and the integer duals. With a new edge list (any
order: the previous list plus appended edges is the intended use, but nothing relies on the
order, nor on old edges staying; only capacities, priorities and (A, B) must be unchanged, or
the solve is cold), one compiled pass over all edges finds the mentees whose constraints are
violated (a new edge with u_i + v_j < w_ij, a matched edge no longer tight or gone). Each such
mentee gets u_i = max(0, max_j w_ij − v_j) and leaves its mentor (that mentor owes a slot when
its price is positive, otherwise the slot is simply freed): everything else is untouched and
still satisfies the invariants. Forward searches re-route the leavers, reverse searches settle
the owed slots. The work is proportional to the disturbed part of the graph: searches start
from current prices, which are already near their final values.

Why not an auction: ε-scaling auctions give ε-optimal duals whose gap (n·ε) must be driven
below one weight unit for an exact certificate, which needs ~20 scaling phases on weights of
10^11 and reverse auctions for priced free slots; the search above is exact in integers and its
warm start is local.

Complexity: one Dijkstra search per excess mentee (cold: per mentee with an edge), stopping at
the first terminal. Most searches pop a handful of mentors, but when nearly every place is
taken (the national instance: 199,600 places for 200,000 mentees) the last free places are far
away: a search explores every mentor closer than the augmenting path it finds (distances are
score differences, so plateaus of near-zero distance are huge) and a few thousand searches
each cover much of the graph. Measured (benchmarks/candidate_solver.py, CPU s; 12 initial
candidates): 50k, 3 rounds, OR-Tools + mentor_prices 2.1 / 2.4 / 2.6, cold 0.9 / 3.1 / 3.3,
warm – / 3.5 / 0.3 (the second round is the one that fills the market); 200k (6 initial
candidates, rounds driven by these duals) cold 3.9 / 9.8 / 17, warm – / 4.3 / 72.
Multi-source phases (``budget``) did not help. A cost-scaling method (ε-scaling
push-relabel or auction, restarted from the current prices with a small ε) is the known
remedy for these long paths.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numba import njit

from matching_engine.algorithms.optimal import big_constants
from matching_engine.model import I32, BoolArray, FloatArray, IntArray

_INF = 1 << 62
#: Default search budget: none. A finite budget hands the mentees whose search pops more
#: mentors than that to multi-source phases (``_phase``); on the national instances that was
#: slower (50k: cold 2.3–5.9 s vs 0.5–5.0 s, warm up to 5.8 s vs 0.8 s), so it is off.
NO_BUDGET = 1 << 62


@dataclass
class WarmState:
    """What a later call needs to resume: the assignment and exact integer duals.

    ``gap`` is the candidate-graph duality gap Σu + Σcapacity·v − Σw(assignment) in weight
    units (always 0 for this exact method); ``stats`` counts the work done by the last call."""

    assignment: IntArray
    u: IntArray
    v: IntArray
    capacity: IntArray
    priority: BoolArray
    bigs: tuple[int, int]
    gap: int = 0
    stats: dict[str, int] = field(default_factory=dict)


# --- small compiled helpers -------------------------------------------------------------


@njit(cache=True)
def _csr(n: int, key: IntArray, other: IntArray, w: IntArray) -> tuple[IntArray, ...]:
    """Edges grouped by ``key`` (counting sort, stable): ptr, other end, weight."""
    ptr = np.zeros(n + 1, np.int64)
    for e in range(len(key)):
        ptr[key[e] + 1] += 1
    for k in range(n):
        ptr[k + 1] += ptr[k]
    pos = ptr[:-1].copy()
    out_other = np.empty(len(key), np.int64)
    out_w = np.empty(len(key), np.int64)
    for e in range(len(key)):
        p = pos[key[e]]
        out_other[p] = other[e]
        out_w[p] = w[e]
        pos[key[e]] = p + 1
    return ptr, out_other, out_w


@njit(cache=True)
def _push(hk: IntArray, hn: IntArray, size: int, key: int, node: int) -> int:
    pos = size
    while pos > 0:
        parent = (pos - 1) >> 1
        if hk[parent] <= key:
            break
        hk[pos] = hk[parent]
        hn[pos] = hn[parent]
        pos = parent
    hk[pos] = key
    hn[pos] = node
    return size + 1


@njit(cache=True)
def _pop(hk: IntArray, hn: IntArray, size: int) -> tuple[int, int, int]:
    key, node = hk[0], hn[0]
    size -= 1
    if size > 0:
        lk, ln = hk[size], hn[size]
        pos = 0
        while True:
            child = 2 * pos + 1
            if child >= size:
                break
            if child + 1 < size and hk[child + 1] < hk[child]:
                child += 1
            if hk[child] >= lk:
                break
            hk[pos] = hk[child]
            hn[pos] = hn[child]
            pos = child
        hk[pos] = lk
        hn[pos] = ln
    return key, node, size


@njit(cache=True)
def _add(slots: IntArray, s_ptr: IntArray, load: IntArray, j: int, i: int) -> None:
    slots[s_ptr[j] + load[j]] = i
    load[j] += 1


@njit(cache=True)
def _remove(slots: IntArray, s_ptr: IntArray, load: IntArray, j: int, i: int) -> None:
    start = s_ptr[j]
    last = start + load[j] - 1
    for s in range(start, last + 1):
        if slots[s] == i:
            slots[s] = slots[last]
            break
    load[j] -= 1


@njit(cache=True)
def _augment(
    r: int, kind: int, node: int, st: tuple[IntArray, ...], s_ptr: IntArray, pred: IntArray,
    pred_w: IntArray,
) -> None:  # fmt: skip
    """Route root r along the search tree (``pred``: mentee through which a mentor was
    reached) to mentor ``node`` (kind 1: free or owed slot) or to mentee ``node`` leaving
    the matching (kind 2)."""
    slots, load, out, deficit, a, aw, _u, _v = st
    if kind == 1:
        cur = node
        if deficit[cur] > 0:
            deficit[cur] -= 1
        else:
            out[cur] += 1
    else:
        cur = a[node]
        _remove(slots, s_ptr, load, cur, node)
        a[node] = -1
        aw[node] = 0
    while True:
        p = pred[cur]
        if p == r:
            _add(slots, s_ptr, load, cur, r)
            a[r] = cur
            aw[r] = pred_w[cur]
            break
        old = a[p]
        _remove(slots, s_ptr, load, old, p)
        _add(slots, s_ptr, load, cur, p)
        a[p] = cur
        aw[p] = pred_w[cur]
        cur = old


@njit(cache=True)
def _best_profit(r: int, e_ptr: IntArray, e_to: IntArray, e_w: IntArray, v: IntArray) -> int:
    """max(0, max_j w_rj - v_j): the least potential mentee r's arcs allow."""
    best = 0
    for e in range(e_ptr[r], e_ptr[r + 1]):
        p = e_w[e] - v[e_to[e]]
        if p > best:
            best = p
    return best


# --- the searches ---------------------------------------------------------------------


@njit(cache=True)
def _forward(
    r: int,
    g: tuple[IntArray, ...],
    st: tuple[IntArray, ...],
    work: tuple[IntArray, ...],
    budget: int,
) -> int:
    """Route excess mentee r: shortest path to a free / owed mentor slot or to the sink.

    Returns the number of mentors popped, or -1 when it would exceed ``budget``: then
    nothing was changed but u[r] (r is left to the multi-source phases)."""
    e_ptr, e_to, e_w, _rp, _rf, _rw, cap, s_ptr = g
    slots, load, out, deficit, _a, _aw, u, v = st
    dist, pred, pred_w, done, hk, hn, touched, settled = work[:8]
    inf = _INF
    # r's unit is not routed yet (no residual arc enters r): its potential may drop to the
    # least value its arcs allow, with prices as they are now.
    ur = _best_profit(r, e_ptr, e_to, e_w, v)
    u[r] = ur
    best = ur
    kind = 0  # 0: r stays unmatched, 1: ends at mentor `node`, 2: mentee `node` leaves
    node = -1
    nt = 0
    hs = 0
    for e in range(e_ptr[r], e_ptr[r + 1]):
        j = e_to[e]
        c = ur + v[j] - e_w[e]
        if c < dist[j]:
            if dist[j] == inf:
                touched[nt] = j
                nt += 1
            dist[j] = c
            pred[j] = r
            pred_w[j] = e_w[e]
            hs = _push(hk, hn, hs, c, j)
            if c < best and (out[j] < cap[j] or deficit[j] > 0):
                best, kind, node = c, 1, j
    ns = 0
    pops = 0
    while hs > 0:
        d, j, hs = _pop(hk, hn, hs)
        if done[j] or d != dist[j]:
            continue
        if d >= best:
            break
        pops += 1
        if pops > budget:
            for k in range(nt):
                dist[touched[k]] = inf
                done[touched[k]] = 0
            return -1
        done[j] = 1
        settled[ns] = j
        ns += 1
        for s in range(s_ptr[j], s_ptr[j] + load[j]):
            i = slots[s]
            base = d + u[i]
            if base < best:
                best, kind, node = base, 2, i
            for e in range(e_ptr[i], e_ptr[i + 1]):
                j2 = e_to[e]
                if j2 == j or done[j2]:
                    continue
                c = base + v[j2] - e_w[e]
                if c < dist[j2]:
                    if dist[j2] == inf:
                        touched[nt] = j2
                        nt += 1
                    dist[j2] = c
                    pred[j2] = i
                    pred_w[j2] = e_w[e]
                    hs = _push(hk, hn, hs, c, j2)
                    if c < best and (out[j2] < cap[j2] or deficit[j2] > 0):
                        best, kind, node = c, 1, j2
    big_d = best
    for k in range(ns):
        j = settled[k]
        delta = big_d - dist[j]
        v[j] += delta
        for s in range(s_ptr[j], s_ptr[j] + load[j]):
            u[slots[s]] -= delta
    u[r] -= big_d
    if kind != 0:
        _augment(r, kind, node, st, s_ptr, pred, pred_w)
    for k in range(nt):
        dist[touched[k]] = inf
        done[touched[k]] = 0
    return pops


@njit(cache=True)
def _reverse(
    k: int,
    g: tuple[IntArray, ...],
    st: tuple[IntArray, ...],
    work: tuple[IntArray, ...],
) -> int:
    """Settle one slot owed by mentor k: someone moves in, or k's price drops to 0."""
    _ep, _et, _ew, r_ptr, r_from, r_w, _cap, s_ptr = g
    slots, load, out, deficit, a, aw, u, v = st
    dist, pred, _pw, done, hk, hn, touched, settled = work[:8]
    dist_i, succ_i, succ_w, touched_i = work[8:]
    inf = _INF
    best = v[k]
    kind = 0  # 0: k's slot is freed, 1: unmatched mentee `node` enters, 2: mentor `node` frees
    node = -1
    dist[k] = 0
    touched[0] = k
    nt = 1
    nti = 0
    hs = _push(hk, hn, 0, 0, k)
    ns = 0
    pops = 0
    while hs > 0:
        d, x, hs = _pop(hk, hn, hs)
        if done[x] or d != dist[x]:
            continue
        if d >= best:
            break
        pops += 1
        done[x] = 1
        settled[ns] = x
        ns += 1
        vx = v[x]
        for e in range(r_ptr[x], r_ptr[x + 1]):
            i = r_from[e]
            ai = a[i]
            if ai == x:
                continue
            c = d + u[i] + vx - r_w[e]
            if c < dist_i[i]:
                if dist_i[i] == inf:
                    touched_i[nti] = i
                    nti += 1
                dist_i[i] = c
                succ_i[i] = x
                succ_w[i] = r_w[e]
                if ai < 0:
                    if c < best:
                        best, kind, node = c, 1, i
                elif not done[ai] and c < dist[ai]:
                    if dist[ai] == inf:
                        touched[nt] = ai
                        nt += 1
                    dist[ai] = c
                    pred[ai] = i
                    hs = _push(hk, hn, hs, c, ai)
                    if c + v[ai] < best:
                        best, kind, node = c + v[ai], 2, ai
    big_d = best
    for q in range(nti):
        i = touched_i[q]
        if dist_i[i] < big_d:
            u[i] += big_d - dist_i[i]
    for q in range(ns):
        x = settled[q]
        v[x] -= big_d - dist[x]
        for s in range(s_ptr[x], s_ptr[x] + load[x]):
            i = slots[s]
            u[i] = aw[i] - v[x]  # keep matched edges tight (only raises u_i)
    if kind == 0:
        out[k] -= 1
        deficit[k] -= 1
    else:
        if kind == 1:
            i = node
        else:
            y = node
            out[y] -= 1
            i = pred[y]
            _remove(slots, s_ptr, load, y, i)
        while True:
            y = succ_i[i]
            nxt = pred[y]
            if y != k:
                _remove(slots, s_ptr, load, y, nxt)  # first: y may be full
            _add(slots, s_ptr, load, y, i)
            a[i] = y
            aw[i] = succ_w[i]
            if y == k:
                deficit[k] -= 1
                break
            i = nxt
    for q in range(nt):
        dist[touched[q]] = inf
        done[touched[q]] = 0
    for q in range(nti):
        dist_i[touched_i[q]] = inf
    return pops


@njit(cache=True)
def _prepare(n_i: int, g: tuple[IntArray, ...], st: tuple[IntArray, ...], excess: IntArray) -> int:
    """Restore the invariants on a (new) edge list; returns the number of excess mentees.

    A mentee stays as it is when its mentor still gives it the best profit w_ij − v_j (≥ 0,
    edge still present) or, unmatched, when no edge has a positive profit. Otherwise it gets
    u_i = max(0, max profit), leaves its mentor and becomes excess."""
    e_ptr, e_to, e_w, _rp, _rf, _rw, _cap, s_ptr = g
    slots, load, out, deficit, a, aw, u, v = st
    n = 0
    for i in range(n_i):
        m = 0
        wm = -1
        ai = a[i]
        for e in range(e_ptr[i], e_ptr[i + 1]):
            j = e_to[e]
            p = e_w[e] - v[j]
            if p > m:
                m = p
            if j == ai:
                wm = e_w[e]
        if ai >= 0:
            if wm >= 0 and wm - v[ai] == m:
                u[i] = m
                aw[i] = wm
                continue
            _remove(slots, s_ptr, load, ai, i)
            a[i] = -1
            aw[i] = 0
            if v[ai] > 0:
                deficit[ai] += 1
            else:
                out[ai] -= 1
        elif m == 0:
            u[i] = 0
            continue
        u[i] = m
        excess[n] = i
        n += 1
    return n


@njit(cache=True)
def _phase(
    roots: IntArray,
    n_roots: int,
    g: tuple[IntArray, ...],
    st: tuple[IntArray, ...],
    work: tuple[IntArray, ...],
    seen: IntArray,
    stamp: int,
) -> tuple[int, int]:
    """One primal-dual phase for many excess mentees at once (Hopcroft–Karp with costs).

    A multi-source Dijkstra (every root at distance 0: its potential is its best profit)
    finds D, the shortest distance to any terminal; shifting the potentials of the nodes
    closer than D makes every shortest path zero-reduced-cost ("admissible"). Depth-first
    searches from each root then augment along admissible paths, each mentor visited at most
    once per phase; every residual arc keeps a reduced cost ≥ 0 (augmenting along zero arcs
    only adds zero arcs). At least the root of a shortest path is routed. Returns (roots
    left, compacted at the front of ``roots``; mentors popped)."""
    e_ptr, e_to, e_w, _rp, _rf, _rw, cap, s_ptr = g
    slots, load, out, deficit, _a, _aw, u, v = st
    dist, pred, pred_w, done, hk, hn, touched, settled = work[:8]
    stack_j, stack_s, stack_e = work[8], work[9], work[10]
    inf = _INF
    best = inf
    nt = 0
    hs = 0
    for q in range(n_roots):
        r = roots[q]
        ur = _best_profit(r, e_ptr, e_to, e_w, v)
        u[r] = ur
        if ur < best:
            best = ur
        for e in range(e_ptr[r], e_ptr[r + 1]):
            j = e_to[e]
            c = ur + v[j] - e_w[e]
            if c < dist[j]:
                if dist[j] == inf:
                    touched[nt] = j
                    nt += 1
                dist[j] = c
                hs = _push(hk, hn, hs, c, j)
                if c < best and (out[j] < cap[j] or deficit[j] > 0):
                    best = c
    ns = 0
    pops = 0
    while hs > 0:
        d, j, hs = _pop(hk, hn, hs)
        if done[j] or d != dist[j]:
            continue
        if d >= best:
            break
        pops += 1
        done[j] = 1
        settled[ns] = j
        ns += 1
        for s in range(s_ptr[j], s_ptr[j] + load[j]):
            i = slots[s]
            base = d + u[i]
            if base < best:
                best = base
            for e in range(e_ptr[i], e_ptr[i + 1]):
                j2 = e_to[e]
                if j2 == j or done[j2]:
                    continue
                c = base + v[j2] - e_w[e]
                if c < dist[j2]:
                    if dist[j2] == inf:
                        touched[nt] = j2
                        nt += 1
                    dist[j2] = c
                    hs = _push(hk, hn, hs, c, j2)
                    if c < best and (out[j2] < cap[j2] or deficit[j2] > 0):
                        best = c
    big_d = best
    for k in range(ns):
        j = settled[k]
        delta = big_d - dist[j]
        v[j] += delta
        for s in range(s_ptr[j], s_ptr[j] + load[j]):
            u[slots[s]] -= delta
    for k in range(nt):
        dist[touched[k]] = inf
        done[touched[k]] = 0
    left = 0
    for q in range(n_roots):
        r = roots[q]
        u[r] -= big_d
        if u[r] == 0:
            continue  # stays unmatched: zero-cost route to the sink
        if not _dfs(r, g, st, pred, pred_w, seen, stamp, stack_j, stack_s, stack_e):
            roots[left] = r
            left += 1
    return left, pops


@njit(cache=True)
def _dfs(
    r: int,
    g: tuple[IntArray, ...],
    st: tuple[IntArray, ...],
    pred: IntArray,
    pred_w: IntArray,
    seen: IntArray,
    stamp: int,
    stack_j: IntArray,
    stack_s: IntArray,
    stack_e: IntArray,
) -> bool:
    """Depth-first search for an admissible (zero reduced cost) augmenting path from root r
    over mentors not yet seen in this phase; augments and returns True when one is found."""
    e_ptr, e_to, e_w, _rp, _rf, _rw, cap, s_ptr = g
    slots, load, out, deficit, _a, _aw, u, v = st
    re = e_ptr[r]
    top = -1
    while True:
        if top < 0:
            pushed = False
            while re < e_ptr[r + 1]:
                e = re
                re += 1
                j = e_to[e]
                if seen[j] == stamp or u[r] + v[j] != e_w[e]:
                    continue
                seen[j] = stamp
                pred[j] = r
                pred_w[j] = e_w[e]
                if out[j] < cap[j] or deficit[j] > 0:
                    _augment(r, 1, j, st, s_ptr, pred, pred_w)
                    return True
                top = 0
                stack_j[0], stack_s[0], stack_e[0] = j, s_ptr[j], -1
                pushed = True
                break
            if not pushed:
                return False
            continue
        j = stack_j[top]
        sl = stack_s[top]
        e = stack_e[top]
        pushed = False
        while sl < s_ptr[j] + load[j]:
            i = slots[sl]
            if e < 0:
                if u[i] == 0:
                    _augment(r, 2, i, st, s_ptr, pred, pred_w)
                    return True
                e = e_ptr[i]
            while e < e_ptr[i + 1]:
                j2 = e_to[e]
                ee = e
                e += 1
                if j2 == j or seen[j2] == stamp or u[i] + v[j2] != e_w[ee]:
                    continue
                seen[j2] = stamp
                pred[j2] = i
                pred_w[j2] = e_w[ee]
                if out[j2] < cap[j2] or deficit[j2] > 0:
                    _augment(r, 1, j2, st, s_ptr, pred, pred_w)
                    return True
                stack_s[top], stack_e[top] = sl, e
                top += 1
                stack_j[top], stack_s[top], stack_e[top] = j2, s_ptr[j2], -1
                pushed = True
                break
            if pushed:
                break
            sl += 1
            e = -1
        if not pushed:
            top -= 1


@njit(cache=True)
def _run(
    order: IntArray,
    g: tuple[IntArray, ...],
    st: tuple[IntArray, ...],
    work: tuple[IntArray, ...],
    budget: int,
) -> tuple[int, int, int, int]:
    """Forward searches from the excess mentees in ``order`` (each given up beyond ``budget``
    pops), multi-source phases for those given up, then reverse searches for every owed slot.
    Returns (forward searches done, phases, reverse searches, mentors popped)."""
    deficit = st[3]
    n_j = len(deficit)
    pops = 0
    left = np.empty(len(order), np.int64)
    n_left = 0
    for q in range(len(order)):
        got = _forward(order[q], g, st, work, budget)
        if got < 0:
            left[n_left] = order[q]
            n_left += 1
        else:
            pops += got
    seen = np.zeros(n_j, np.int64)
    stacks = (np.empty(n_j, np.int64), np.empty(n_j, np.int64), np.empty(n_j, np.int64))
    phase_work = (*work[:8], *stacks)
    phases = 0
    while n_left > 0:
        phases += 1
        n_left, got = _phase(left, n_left, g, st, phase_work, seen, phases)
        pops += got
    n_rev = 0
    for k in range(n_j):
        while deficit[k] > 0:
            pops += _reverse(k, g, st, work)
            n_rev += 1
    return len(order), phases, n_rev, pops


@njit(cache=True)
def _check_state(a: IntArray, v: IntArray, cap: IntArray, slots: IntArray, s_ptr: IntArray,
                 load: IntArray) -> bool:  # fmt: skip
    """Fill the slots from the assignment; False if it breaks a capacity or leaves a priced
    mentor with free capacity (then the state is unusable)."""
    for i in range(len(a)):
        j = a[i]
        if j >= 0:
            if j >= len(cap) or load[j] >= cap[j]:
                return False
            _add(slots, s_ptr, load, j, i)
    ok = True
    for j in range(len(cap)):
        ok = ok and v[j] >= 0 and (v[j] == 0 or load[j] == cap[j])
    return ok


# --- public entry point ---------------------------------------------------------------------


def default_bigs(n_mentees: int, score: IntArray, capacity: I32) -> tuple[int, int]:
    """(A, B) as ``optimal.lexicographic_weights`` picks them for these candidates."""
    smax = int(score.max()) if len(score) else 0
    return big_constants(smax, min(n_mentees, int(capacity.sum())))


def solve_candidates(
    n_mentees: int,
    n_mentors: int,
    mentee: IntArray,
    mentor: IntArray,
    score: IntArray,
    capacity: I32,
    priority: BoolArray,
    warm: WarmState | None = None,
    bigs: tuple[int, int] | None = None,
    budget: int | None = None,
) -> tuple[IntArray, FloatArray, FloatArray, WarmState]:
    """Exact lexicographic optimum on the candidate edges, with an exact optimal dual.

    Edges are int64 arrays (no duplicate pair; score ≥ 0). ``bigs`` = (A, B) of the weights
    (default: ``default_bigs``; the caller's pricing must use the same). Returns (assignment
    mentee -> mentor or -1, v per mentor ≥ 0, u per mentee ≥ 0, state for a warm restart).
    Weights w = score + B + A·priority; u_i + v_j ≥ w_ij on every edge, equality on matched
    edges, v_j = 0 where capacity is left, u_i = 0 for unmatched mentees: the duality gap
    ``state.gap`` is 0."""
    mentee = np.ascontiguousarray(mentee, np.int64)
    mentor = np.ascontiguousarray(mentor, np.int64)
    score = np.ascontiguousarray(score, np.int64)
    cap = np.ascontiguousarray(capacity, np.int64)
    prio = np.ascontiguousarray(priority, np.bool_)
    if len(score) and score.min() < 0:
        raise ValueError("scores must be non-negative")
    if bigs is None:
        bigs = default_bigs(n_mentees, score, capacity)
    big_a, big_b = bigs
    w = score + np.int64(big_b) + np.int64(big_a) * prio[mentee].astype(np.int64)
    e_ptr, e_to, e_w = _csr(n_mentees, mentee, mentor, w)
    r_ptr, r_from, r_w = _csr(n_mentors, mentor, mentee, w)
    s_ptr = np.zeros(n_mentors + 1, np.int64)
    np.cumsum(cap, out=s_ptr[1:])
    slots = np.empty(int(s_ptr[-1]), np.int64)
    load = np.zeros(n_mentors, np.int64)
    g = (e_ptr, e_to, e_w, r_ptr, r_from, r_w, cap, s_ptr)
    usable = (
        warm is not None
        and len(warm.assignment) == n_mentees
        and len(warm.v) == n_mentors
        and warm.bigs == (big_a, big_b)
        and np.array_equal(warm.capacity, cap)
        and np.array_equal(warm.priority, prio)
    )
    if usable:
        assert warm is not None
        a = warm.assignment.copy()
        u = warm.u.copy()
        v = warm.v.copy()
        usable = bool(_check_state(a, v, cap, slots, s_ptr, load))
    if not usable:
        a = np.full(n_mentees, -1, np.int64)
        u = np.zeros(n_mentees, np.int64)
        v = np.zeros(n_mentors, np.int64)
        load[:] = 0
    out = load.copy()
    deficit = np.zeros(n_mentors, np.int64)
    aw = np.zeros(n_mentees, np.int64)
    st = (slots, load, out, deficit, a, aw, u, v)
    excess = np.empty(n_mentees, np.int64)
    n_excess = int(_prepare(n_mentees, g, st, excess))
    excess = excess[:n_excess]
    # Priority mentees first, then by best profit: they are rarely displaced afterwards.
    order = excess[np.lexsort((-u[excess], ~prio[excess]))]
    heap = len(mentee) + n_mentors + 2
    work = (
        np.full(n_mentors, _INF, np.int64),  # dist (mentors)
        np.zeros(n_mentors, np.int64),  # pred mentee
        np.zeros(n_mentors, np.int64),  # weight of the pred edge
        np.zeros(n_mentors, np.int64),  # done
        np.empty(heap, np.int64),
        np.empty(heap, np.int64),
        np.empty(n_mentors, np.int64),  # touched mentors
        np.empty(n_mentors, np.int64),  # settled mentors
        np.full(n_mentees, _INF, np.int64),  # dist (mentees, reverse search)
        np.zeros(n_mentees, np.int64),  # successor mentor
        np.zeros(n_mentees, np.int64),  # its edge weight
        np.empty(n_mentees, np.int64),  # touched mentees
    )
    limit = NO_BUDGET if budget is None else budget
    n_fwd, phases, n_rev, pops = _run(order, g, st, work, limit)
    matched = a >= 0
    gap = int(u.sum()) + int((cap * v).sum()) - int(aw[matched].sum())
    state = WarmState(
        assignment=a,
        u=u,
        v=v,
        capacity=cap.copy(),
        priority=prio.copy(),
        bigs=(big_a, big_b),
        gap=gap,
        stats={
            "warm": int(usable),
            "excess": n_excess,
            "forward": int(n_fwd),
            "phases": int(phases),
            "reverse": int(n_rev),
            "pops": int(pops),
        },
    )
    return a.copy(), v.astype(np.float64), u.astype(np.float64), state
