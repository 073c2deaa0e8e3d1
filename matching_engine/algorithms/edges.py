"""Enumerate acceptable pairs (edges) with their scores, group by group."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from matching_engine.model import FloatArray, IntArray, Problem
from matching_engine.scoring import excluded_pairs, feasible, score_block

#: Mentee × mentor cells scored per numpy block (bounds memory: ~40 bytes per cell).
BLOCK_CELLS = 1 << 20


@dataclass(frozen=True)
class Edges:
    """Acceptable pairs; ``score`` is float (profile scores are whole numbers)."""

    mentee: IntArray
    mentor: IntArray
    score: FloatArray

    def __len__(self) -> int:
        return len(self.mentee)


def empty_edges() -> Edges:
    """No pairs."""
    return Edges(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))


def concat(parts: list[Edges]) -> Edges:
    """The pairs of every part, in order."""
    if not parts:
        return empty_edges()
    return Edges(
        np.concatenate([e.mentee for e in parts]),
        np.concatenate([e.mentor for e in parts]),
        np.concatenate([e.score for e in parts]),
    )


def place_groups(
    p: Problem, mentees: IntArray | None = None
) -> Iterator[tuple[IntArray, IntArray]]:
    """(mentees, mentors) groups covering every place-compatible pair, both index arrays sorted.

    Mentees are grouped by (region, remote); a group's mentors are those of the same region or
    of unknown region, plus remote mentors when the mentees accept remote.
    """
    me, mo = p.mentees, p.mentors
    idx = np.arange(p.n_mentees) if mentees is None else np.sort(mentees)
    if len(idx) == 0:
        return
    key = (me.region[idx].astype(np.int64) + 1) * 2 + me.remote[idx]
    order = np.argsort(key, kind="stable")
    keys, starts = np.unique(key[order], return_index=True)
    ends = np.append(starts[1:], len(order))
    all_mentors = np.arange(p.n_mentors)
    for k, s, e in zip(keys.tolist(), starts.tolist(), ends.tolist(), strict=True):
        group = np.sort(idx[order[s:e]])
        region, remote = k // 2 - 1, bool(k % 2)
        if region < 0:
            yield group, all_mentors
            continue
        mask = (mo.region == region) | (mo.region < 0)
        if remote:
            mask |= mo.remote
        yield group, np.flatnonzero(mask)


def profile_edges(p: Problem, mentees: IntArray | None = None) -> Edges:
    """Every feasible pair of the given mentees (default all), scored from profiles."""
    out: list[Edges] = []
    for group, mentors in place_groups(p, mentees):
        if len(mentors) == 0:
            continue
        rows = max(1, BLOCK_CELLS // len(mentors))
        for s in range(0, len(group), rows):
            ii = group[s : s + rows]
            scores, ok = score_block(p, ii, mentors)
            a, b = np.nonzero(ok)
            out.append(Edges(ii[a], mentors[b], scores[a, b].astype(np.float64)))
    return concat(out)


def pair_edges(p: Problem) -> Edges:
    """Explicit pairs (``--pairs``) that pass the hard rules, with the provided scores."""
    assert p.pairs is not None
    t = p.pairs
    ok = feasible(p, t.mentee, t.mentor) & ~excluded_pairs(p, t.mentee, t.mentor)
    return Edges(t.mentee[ok], t.mentor[ok], t.score[ok])


def all_edges(p: Problem) -> Edges:
    """Every allowed pair with its score: the pairs table's, or all feasible profile pairs."""
    return pair_edges(p) if p.pairs is not None else profile_edges(p)


def pair_ranks(p: Problem, edges: Edges) -> tuple[FloatArray, FloatArray]:
    """The mentee's and the mentor's rank of each edge, read from the pairs table (nan
    when the file gives none); every edge must come from that table."""
    assert p.pairs is not None
    t = p.pairs
    keys = t.mentee * p.n_mentors + t.mentor
    order = np.argsort(keys)
    pos = order[np.searchsorted(keys[order], edges.mentee * p.n_mentors + edges.mentor)]
    return t.mentee_rank[pos], t.mentor_rank[pos]


def drop_locked(p: Problem, edges: Edges) -> Edges:
    """Remove edges of locked mentees (their pair is fixed)."""
    if len(p.locked_mentee) == 0:
        return edges
    locked = np.zeros(p.n_mentees, bool)
    locked[p.locked_mentee] = True
    keep = ~locked[edges.mentee]
    return Edges(edges.mentee[keep], edges.mentor[keep], edges.score[keep])
