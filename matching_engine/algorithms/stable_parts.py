"""National-scale stable mode on the machine's cores: deferred acceptance run on parts of the
mentees that share no mentor.

Deferred acceptance with strict preferences ends in the mentee-optimal stable matching
whatever the order of the proposals. When the mentees fall into groups that can reach no
mentor of another group (regions, when no mentor is remote or without a region), every
proposal, acceptance and refusal stays inside its group: each group's result is the
mentee-optimal stable matching of the group alone, and the whole matching is their union.
Such groups are found from the blocks each mentee's place can reach (``Packed.class_blocks``)
and the blocks each mentor belongs to (a remote mentor is in two); whole groups go to
``kernels.THREADS`` parts, largest first to the part with the fewest mentees, and each part's
proposals run on a thread (``kernels.proposals_part`` releases the GIL). The result is the
one of the serial kernel (``kernels.deferred_acceptance``), entry for entry.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np

from matching_engine.algorithms import kernels
from matching_engine.algorithms.blocks import build_index
from matching_engine.algorithms.scaled import LIST_CHUNK, _by_place_and_field, _free_mentees
from matching_engine.model import I32, IntArray, Problem

#: fewer mentees than this: one thread (starting others would cost more than it saves)
MIN_SPLIT = 2 * kernels.MIN_PARALLEL
#: a split whose largest part holds more than this share of the mentees runs serially
MAX_SHARE = 0.75


def stable_lazy(p: Problem, capacity: I32) -> IntArray:
    """Mentee-optimal stable matching of the full preference lists, built on demand by the
    compiled kernels, on parts of the mentees that share no mentor (see the module)."""
    packed = kernels.pack(p, build_index(p, capacity > 0))
    mentees = _by_place_and_field(p, _free_mentees(p))
    return propose(p, packed, mentees, capacity)


def propose(
    p: Problem,
    packed: kernels.Packed,
    mentees: IntArray,
    capacity: I32,
    *,
    threads: int = kernels.THREADS,
    min_mentees: int | None = None,
) -> IntArray:
    """Deferred acceptance of ``mentees`` (in this order within each part) on ``threads``
    parts when they split well and are at least ``min_mentees`` (default ``MIN_SPLIT``),
    else on one thread; returns mentee -> mentor or -1."""
    least = MIN_SPLIT if min_mentees is None else min_mentees
    top = p.criteria.weights.max_score() + 1
    th = kernels.no_thresholds(packed, p.n_mentors)
    state = kernels.proposals(packed, capacity.astype(np.int64), LIST_CHUNK, top, th)
    parts = mentee_parts(p, packed, mentees, threads) if len(mentees) >= least else []
    if len(parts) < 2:
        kernels.proposals_part(packed, mentees, LIST_CHUNK, th, state)
    else:
        with ThreadPoolExecutor(len(parts)) as pool:
            done = pool.map(
                lambda part: kernels.proposals_part(packed, part, LIST_CHUNK, th, state), parts
            )
            list(done)  # raises a part's error, if any
    return np.asarray(state.assignment)


def _root(parent: list[int], a: int) -> int:
    while parent[a] != a:
        parent[a] = parent[parent[a]]
        a = parent[a]
    return a


def mentee_parts(p: Problem, k: kernels.Packed, mentees: IntArray, n_parts: int) -> list[IntArray]:
    """``mentees`` cut into ``n_parts`` parts (each in the given order) such that no two
    parts reach a common block or mentor; empty when no such cut leaves every part at most
    ``MAX_SHARE`` of the mentees (one group holds nearly all, e.g. remote mentors)."""
    if n_parts < 2 or len(mentees) == 0 or len(k.family) == 0:
        return []
    families, family_of_block = np.unique(k.family, return_inverse=True)
    parent = list(range(len(families)))

    def union(a: int, b: int) -> None:
        ra, rb = _root(parent, a), _root(parent, b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    me = p.mentees
    place = (me.region[mentees].astype(np.int64) + 1) * 2 + me.remote[mentees]
    classes, class_of = np.unique(place, return_inverse=True)
    first_family = np.full(len(classes), -1, np.int64)
    for c, cls in enumerate(classes.tolist()):
        reach = family_of_block[k.class_blocks[k.class_ptr[cls] : k.class_ptr[cls + 1]]]
        for f in np.unique(reach).tolist():
            union(int(reach[0]), f)
        if len(reach):
            first_family[c] = reach[0]
    # A mentor in two blocks (a remote one: its region's and the remote block) joins them.
    block_of_member = np.repeat(np.arange(len(k.family)), np.diff(k.start))
    order = np.argsort(k.members, kind="stable")
    mentor, fam = k.members[order], family_of_block[block_of_member[order]]
    head = np.searchsorted(mentor, mentor)
    for a, b in np.unique(np.stack([fam[head], fam]), axis=1).T.tolist():
        union(a, b)
    roots = np.array([_root(parent, f) for f in range(len(families))], np.int64)
    # Mentees whose place reaches no block propose to nobody: a group of their own.
    group_of_class = np.where(first_family >= 0, roots[np.maximum(first_family, 0)], -1)
    group = group_of_class[class_of]
    sizes = np.bincount(group + 1)
    load = np.zeros(n_parts, np.int64)
    part_of = np.zeros(len(sizes), np.int64)
    for g in np.argsort(-sizes, kind="stable").tolist():
        part_of[g] = int(np.argmin(load))
        load[part_of[g]] += sizes[g]
    if load.max() > MAX_SHARE * len(mentees) or (load == 0).any():
        return []
    which = part_of[group + 1]
    return [np.ascontiguousarray(mentees[which == q]) for q in range(n_parts)]
