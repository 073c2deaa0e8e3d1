"""Places reserved for a partnership's mentees.

A mentor with ``capacity`` c of which ``reserved_places`` r are reserved for partnership X
takes at most c − r mentees who are not of X. The solvers see it as two mentors with the same
profile: an *open* one with c − r places, and a *reserved* one with r places and one more pair
rule (its mentees must belong to X). Every matching of the real problem is a matching of the
split one and back (a mentee of X on an open place can swap with an empty reserved place), so
the problem stays a b-matching — a flow — and every mode keeps its guarantees (exactness, the
national-scale proofs). Solvers never cap flows between groups.

Results are reported on the real mentors. A mentee of X matched with such a mentor holds one
of its reserved places while there are some: the first min(r, members) of them by index, so the
counts do not depend on which copy a solver chose.
"""

from __future__ import annotations

from dataclasses import fields, replace

import numpy as np

from matching_engine.messages import both
from matching_engine.model import IntArray, PairTable, Part, Problem, ReservedReport
from matching_engine.scoring import has_reservations, partnership_member


def split(p: Problem) -> tuple[Problem, IntArray]:
    """The problem with each mentor holding reserved places split in two (the open places
    keep the mentor's index, the reserved ones are appended), and each split mentor's real
    index (``origin``)."""
    mo, n = p.mentors, p.n_mentors
    reserved = mo.reserved_places.astype(np.int64)
    holders = np.flatnonzero(reserved > 0)
    origin = np.concatenate([np.arange(n), holders]).astype(np.int64)
    copy_of = np.full(n, -1, np.int64)
    copy_of[holders] = n + np.arange(len(holders))
    changes: dict[str, object] = {}
    for f in fields(mo):
        value = getattr(mo, f.name)
        if isinstance(value, tuple):
            changes[f.name] = tuple(value[k] for k in origin.tolist())
        elif isinstance(value, np.ndarray) and len(value) == n:
            changes[f.name] = value[origin].copy()
    capacity = mo.capacity[origin].astype(np.int32)
    capacity[:n] -= reserved.astype(np.int32)
    capacity[n:] = reserved[holders]
    places = np.zeros(len(origin), np.int32)
    places[n:] = reserved[holders]
    partnership = np.full(len(origin), -1, np.int32)
    partnership[n:] = mo.reserved_for[holders]
    changes.update(capacity=capacity, reserved_places=places, reserved_for=partnership)
    mentors = replace(mo, **changes)  # type: ignore[arg-type]
    n2 = len(origin)

    # Locked pairs: members of the partnership on reserved places first, the others on open
    # places, and past those (locked before the reservation) on reserved places.
    locked = p.locked_mentor.astype(np.int64).copy()
    if len(locked):
        member = partnership_member(p, p.locked_mentee, mo.reserved_for[p.locked_mentor])
        load = np.zeros(n2, np.int64)
        for order in (np.flatnonzero(member), np.flatnonzero(~member)):
            for k in order.tolist():
                j = int(locked[k])
                c = int(copy_of[j])
                if c < 0:
                    continue
                prefer_copy = bool(member[k])
                first, second = (c, j) if prefer_copy else (j, c)
                target = first if load[first] < capacity[first] else second
                locked[k] = target
                load[target] += 1

    keys, reasons = p.excluded_keys, p.excluded_reason
    ex_i, ex_j = keys // max(n, 1), keys % max(n, 1)
    dup = copy_of[ex_j] >= 0
    all_i = np.concatenate([ex_i, ex_i[dup]])
    all_j = np.concatenate([ex_j, copy_of[ex_j[dup]]])
    new_keys = all_i * n2 + all_j
    order = np.argsort(new_keys, kind="stable")
    new_reasons = np.concatenate([reasons, reasons[dup]])[order]

    pairs = p.pairs
    if pairs is not None:
        dup_p = copy_of[pairs.mentor] >= 0
        pairs = PairTable(
            mentee=np.concatenate([pairs.mentee, pairs.mentee[dup_p]]),
            mentor=np.concatenate([pairs.mentor, copy_of[pairs.mentor[dup_p]]]),
            score=np.concatenate([pairs.score, pairs.score[dup_p]]),
            mentee_rank=np.concatenate([pairs.mentee_rank, pairs.mentee_rank[dup_p]]),
            mentor_rank=np.concatenate([pairs.mentor_rank, pairs.mentor_rank[dup_p]]),
        )
    q = replace(
        p,
        mentors=mentors,
        locked_mentor=locked,
        excluded_keys=new_keys[order].astype(np.int64),
        excluded_reason=new_reasons.astype(np.int8),
        pairs=pairs,
    )
    return q, origin


def reserved_places_held(p: Problem, assignment: IntArray) -> IntArray:
    """Per mentee: the partnership whose reserved place it holds, else -1 (for each mentor,
    its first ``reserved_places`` matched mentees of the partnership, by index)."""
    out = np.full(p.n_mentees, -1, np.int64)
    if not has_reservations(p):
        return out
    a = np.asarray(assignment)
    mentees = np.flatnonzero(a >= 0)
    mentors = a[mentees]
    code = p.mentors.reserved_for[mentors]
    member = partnership_member(p, mentees, code) & (p.mentors.reserved_places[mentors] > 0)
    mentees, mentors, code = mentees[member], mentors[member], code[member]
    order = np.lexsort((mentees, mentors))  # by mentor, then mentee index
    mentees, mentors, code = mentees[order], mentors[order], code[order]
    first = np.searchsorted(mentors, mentors, side="left")
    rank = np.arange(len(mentors)) - first
    held = rank < p.mentors.reserved_places[mentors]
    out[mentees[held]] = code[held]
    return out


def open_places_left(p: Problem, assignment: IntArray) -> tuple[IntArray, IntArray]:
    """Per mentor: free places open to anyone, and free places in all (reserved ones too)."""
    a = np.asarray(assignment)
    used = np.bincount(a[a >= 0], minlength=p.n_mentors)
    held = reserved_places_held(p, a)
    reserved_used = np.bincount(a[held >= 0], minlength=p.n_mentors)
    capacity = p.mentors.capacity.astype(np.int64)
    reserved = (
        p.mentors.reserved_places.astype(np.int64)
        if has_reservations(p)
        else np.zeros(p.n_mentors, np.int64)
    )
    open_free = (capacity - reserved) - (used - reserved_used)
    return np.maximum(open_free, 0), capacity - used


def reports(p: Problem, held: IntArray) -> tuple[ReservedReport, ...]:
    """Reserved places and the places filled, per partnership (in vocabulary order)."""
    if not has_reservations(p):
        return ()
    mo = p.mentors
    names = p.vocab.partnerships
    n = len(names)
    places = np.bincount(
        mo.reserved_for[mo.reserved_places > 0], mo.reserved_places[mo.reserved_places > 0], n
    )
    filled = np.bincount(held[held >= 0], minlength=n)
    return tuple(
        ReservedReport(names[c], int(places[c]), int(filled[c])) for c in range(n) if places[c]
    )


def reserved_part(p: Problem, code: int) -> Part:
    """The explanation note of a mentee holding a place reserved for partnership ``code``."""
    return Part("reserved_place", 0.0, *both("reserved_place", name=p.vocab.partnerships[code]))
