"""Mentee-proposing deferred acceptance with capacities, vectorised over proposals.

Each round, every free mentee with mentors left on its list proposes to its next mentor;
every mentor that received proposals keeps its ``capacity`` best among held and new ones.
With strict preferences this returns the mentee-optimal stable matching.
"""

from __future__ import annotations

import numpy as np

from matching_engine.model import I32, FloatArray, IntArray


def preference_order(
    owner: IntArray, other: IntArray, score: FloatArray, rank: FloatArray | None = None
) -> IntArray:
    """Edge order by owner, then rank (ascending, missing last), -score, other index."""
    if rank is not None and np.isnan(rank).all():
        rank = None
    if rank is None and len(score) and np.all(np.mod(score, 1) == 0):
        # Whole-number scores: one int64 key sorts faster than a three-key lexsort.
        low, high = int(score.min()), int(score.max())
        n_other = int(other.max()) + 1
        span = (high - low + 1) * n_other
        if (int(owner.max()) + 1) * span < 2**62:
            key = owner.astype(np.int64) * span
            key += (high - score.astype(np.int64)) * n_other + other
            return np.argsort(key, kind="stable")
    keys: list[np.ndarray] = [other, -score]
    if rank is not None:
        keys.append(np.where(np.isnan(rank), np.inf, rank))
    keys.append(owner)
    return np.lexsort(keys)


def deferred_acceptance(
    n_mentees: int,
    n_mentors: int,
    mentee: IntArray,
    mentor: IntArray,
    mentee_order: IntArray,
    mentor_order: IntArray,
    capacity: I32,
    start: IntArray | None = None,
    skip: IntArray | None = None,
) -> IntArray:
    """Mentee-optimal stable matching.

    Warm start: ``start`` is the result of deferred acceptance on shorter prefixes of the same
    lists (still a valid intermediate state, since mentors' thresholds only rise), and
    ``skip[i]`` how many first entries unmatched mentee i already proposed to and lost.

    ``mentee_order``: edge indices sorted by (mentee, mentee's preference); ``mentor_order``:
    edge indices sorted by (mentor, mentor's preference). Returns mentee -> mentor or -1.
    """
    assignment = np.full(n_mentees, -1, np.int64)
    n_edges = len(mentee)
    if n_edges == 0:
        return assignment
    # Mentor-side rank of every edge (lower = preferred).
    mentor_rank = np.empty(n_edges, np.int64)
    mentor_rank[mentor_order] = np.arange(n_edges)
    lists = mentee_order  # edges grouped by mentee in preference order
    first = np.searchsorted(mentee[lists], np.arange(n_mentees + 1))
    nxt = first[:-1].copy()
    end = first[1:]
    cap = capacity.astype(np.int64)
    held = np.zeros(0, np.int64)  # edge ids currently held by mentors
    if start is not None and skip is not None:
        position = np.empty(n_edges, np.int64)
        position[lists] = np.arange(n_edges)
        kept = np.flatnonzero(start[mentee] == mentor)
        held = kept
        nxt[mentee[kept]] = position[kept]
        lost = start < 0
        nxt[lost] = np.minimum(first[:-1][lost] + skip[lost], end[lost])
        free = np.flatnonzero(lost & (nxt < end))
    else:
        free = np.flatnonzero(nxt < end)
    touched = np.zeros(n_mentors, bool)
    while len(free):
        proposals = lists[nxt[free]]
        targets = mentor[proposals]
        touched[:] = False
        touched[targets] = True
        held_hit = touched[mentor[held]]
        pool = np.concatenate([held[held_hit], proposals])
        order = np.lexsort((mentor_rank[pool], mentor[pool]))
        pool = pool[order]
        m = mentor[pool]
        starts = np.searchsorted(m, m, side="left")
        position = np.arange(len(pool)) - starts
        accept = position < cap[m]
        held = np.concatenate([held[~held_hit], pool[accept]])
        rejected = mentee[pool[~accept]]
        nxt[rejected] += 1
        free = rejected[nxt[rejected] < end[rejected]]
    assignment[mentee[held]] = mentor[held]
    return assignment
