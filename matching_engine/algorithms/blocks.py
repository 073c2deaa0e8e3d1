"""Mentor blocks with score upper bounds, to avoid scoring pairs that cannot matter.

Mentors are grouped into blocks sharing a place family and a field: ``(region, field)`` for
every mentor with a region, ``(remote, field)`` for remote mentors (a second copy, reachable by
remote mentees of any region) and ``(anywhere, field)`` for mentors without a region. For any
mentee, :func:`block_bounds` gives an upper bound of its score with every mentor of a block
(from the block's unions of skills, goals and slots, its set of occupations, genders…), so a
block whose bound is below a threshold is skipped without scoring its pairs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matching_engine.algorithms.edges import BLOCK_CELLS, Edges, concat, empty_edges
from matching_engine.model import I32, U64, BoolArray, FloatArray, IntArray, Problem
from matching_engine.scoring import score_block, score_pairs

REMOTE, ANYWHERE = -2, -3
#: Bound of a block where no mentor can pass the rules (below every floor the solvers use).
NO_BLOCK = -(1 << 30)
FINE = False  # split blocks by occupation too (more exact bounds, more Python calls)


@dataclass(frozen=True)
class BlockIndex:
    members: IntArray  # mentor indices, block b = members[start[b]:start[b + 1]]
    start: IntArray
    family: IntArray  # region code, REMOTE or ANYWHERE
    field: I32
    domain: I32
    skills: U64  # (blocks, words) union
    goals: U64
    availability: U64
    genders: IntArray  # bitmask of mentor genders
    changer: BoolArray
    max_experience: I32
    occupation_keys: IntArray  # sorted block * n_occupations + occupation
    #: with the same-organisation rule, blocks are split by organisation (else all -1).
    organisation: I32

    @property
    def n_blocks(self) -> int:
        return len(self.family)

    def min_price(self, price: FloatArray) -> FloatArray:
        if len(self.members) == 0:
            return np.zeros(0)
        return np.minimum.reduceat(price[self.members], self.start[:-1])


def build_index(p: Problem, usable: BoolArray, split: IntArray | None = None) -> BlockIndex:
    """Blocks over mentors where ``usable`` (free capacity > 0); mentors with different
    ``split`` values (small whole numbers) never share a block."""
    mo = p.mentors
    j = np.flatnonzero(usable)
    region = mo.region[j].astype(np.int64)
    copies = [
        (j[region >= 0], region[region >= 0]),
        (
            j[(region >= 0) & mo.remote[j]],
            np.full(int(((region >= 0) & mo.remote[j]).sum()), REMOTE),
        ),
        (j[region < 0], np.full(int((region < 0).sum()), ANYWHERE)),
    ]
    members = np.concatenate([c[0] for c in copies])
    family = np.concatenate([c[1] for c in copies])
    n_fields = len(p.vocab.fields) + 1
    n_occ_key = len(p.vocab.occupations) + 1
    key = ((family + 4) * n_fields + (mo.field[members] + 1)) * 16 + (mo.domain[members] + 1)
    if FINE:
        key = key * n_occ_key + (mo.occupation[members] + 1)
    by_org = p.criteria.rules.same_organisation
    if by_org:
        key = key * (len(p.vocab.organisations) + 1) + (mo.organisation[members] + 1)
    if split is not None:
        key = key * (int(split.max(initial=0)) + 1) + split[members]
    order = np.lexsort((members, key))
    members, key, family = members[order], key[order], family[order]
    uniq, starts = np.unique(key, return_index=True)
    start = np.append(starts, len(members)).astype(np.int64)
    first = members[starts] if len(members) else members
    seg = start[:-1]

    def union(values: np.ndarray) -> np.ndarray:
        if len(members) == 0:
            return np.zeros((0, *values.shape[1:]), values.dtype)
        return np.bitwise_or.reduceat(values[members], seg, axis=0)

    gender_bits = np.left_shift(1, mo.gender.astype(np.int64))
    n_occ = max(len(p.vocab.occupations), 1)
    block_of = np.repeat(np.arange(len(uniq)), np.diff(start))
    occ = mo.occupation[members]
    occ_keys = np.unique(block_of[occ >= 0] * n_occ + occ[occ >= 0])
    return BlockIndex(
        members=members,
        start=start,
        family=family[starts].astype(np.int64),
        field=mo.field[first],
        domain=mo.domain[first],
        skills=union(mo.skills),
        goals=union(mo.goals),
        availability=union(mo.availability),
        genders=union(gender_bits) if len(members) else np.zeros(0, np.int64),
        changer=union(mo.career_changer.astype(np.int64)).astype(bool)
        if len(members)
        else np.zeros(0, bool),
        max_experience=np.maximum.reduceat(mo.experience[members], seg)
        if len(members)
        else np.zeros(0, np.int32),
        occupation_keys=occ_keys.astype(np.int64),
        organisation=mo.organisation[first] if by_org else np.full(len(uniq), -1, np.int32),
    )


def block_bounds(p: Problem, index: BlockIndex, ii: IntArray, blocks: IntArray) -> I32:
    """Upper bound of score(i, j) over mentors j of each block: shape (len(ii), len(blocks))."""
    w, me = p.criteria.weights, p.mentees
    a, b = ii[:, None], blocks[None, :]
    f_i = me.field[a]
    same_field = (f_i == index.field[b]) & (f_i >= 0)
    d_i = me.domain[a]
    same_domain = ~same_field & (d_i == index.domain[b]) & (d_i >= 0)
    n_occ = max(len(p.vocab.occupations), 1)
    occ_key = b * n_occ + me.occupation[a]
    keys = index.occupation_keys
    if len(keys):
        pos = np.minimum(np.searchsorted(keys, occ_key), len(keys) - 1)
        occ = (keys[pos] == occ_key) & (me.occupation[a] >= 0)
    else:
        occ = np.zeros(occ_key.shape, bool)
    skills = np.bitwise_count(me.skills[a] & index.skills[b]).sum(axis=-1, dtype=np.int32)
    goals = np.bitwise_count(me.goals[a] & index.goals[b]).astype(np.int32)
    avail = np.bitwise_count(me.availability[a] & index.availability[b]).astype(np.int32)
    fam = index.family[b]
    r_i = me.region[a]
    region = ((fam == r_i) | (fam == REMOTE)) & (r_i >= 0)
    pref = me.preferred_gender[a]
    gender = (pref > 0) & ((index.genders[b] >> pref) & 1).astype(bool)
    career = me.wants_career_changer[a] & index.changer[b]
    senior = index.max_experience[b] - np.maximum(me.experience[a], 0) >= (
        p.criteria.rules.seniority_min_gap
    )
    senior &= index.max_experience[b] >= 0
    rules = p.criteria.rules
    # Hard rules decided for a whole block: no mentor of it can pass.
    closed = np.zeros(np.broadcast(a, b).shape, bool)
    if rules.same_organisation:
        closed |= (index.organisation[b] != me.organisation[a]) | (me.organisation[a] < 0)
    if rules.mentor_more_experienced:
        closed |= index.max_experience[b] <= np.maximum(me.experience[a], 0)
    i32 = np.int32
    bound: I32 = (
        same_field * i32(w.field)
        + same_domain * i32(w.domain)
        + occ * i32(w.occupation)
        + np.minimum(skills, w.skill_max) * i32(w.skill)
        + np.minimum(goals, w.goal_max) * i32(w.goal)
        + region * i32(w.region)
        + np.minimum(avail, w.availability_max) * i32(w.availability)
        + gender * i32(w.gender)
        + career * i32(w.career_change)
        + senior * i32(w.seniority)
    ).astype(np.int32)
    return np.where(closed, i32(NO_BLOCK), bound)


def reachable_blocks(
    p: Problem, index: BlockIndex, region: int, remote: bool, organisation: int = -1
) -> IntArray:
    """Blocks holding every place-compatible mentor of a (region, remote) mentee class (and of
    its organisation when the same-organisation rule splits blocks by organisation)."""
    fam = index.family
    if region < 0:
        mask = fam != REMOTE
    else:
        mask = (fam == region) | (fam == ANYWHERE)
        if remote:
            mask |= fam == REMOTE
    if p.criteria.rules.same_organisation:
        mask &= (index.organisation == organisation) & (organisation >= 0)
    return np.flatnonzero(mask)


@dataclass
class RankedScan:
    """Per mentee, its reachable blocks sorted by decreasing bound, scanned in that order."""

    mentee: IntArray  # (pairs,) mentee of each (mentee, block) entry, grouped by mentee
    block: IntArray
    bound: FloatArray  # bound minus the block's minimum price
    first: IntArray  # (n_mentees + 1,) entry range of each mentee
    cursor: IntArray  # next entry to scan, per mentee


def rank_blocks(
    p: Problem,
    index: BlockIndex,
    mentees: IntArray,
    price: FloatArray,
    floor: FloatArray,
    *,
    raw_order: bool = False,
) -> RankedScan:
    """Entries (i, b) with bound(i, b) - min price(b) > floor[i], best first per mentee.

    With ``raw_order`` entries are sorted (and ``bound`` reported) by the score bound itself,
    the price serving only as a filter.
    """
    me = p.mentees
    minp = index.min_price(price)
    parts_i, parts_b, parts_u = [], [], []
    key = (me.region[mentees].astype(np.int64) + 1) * 2 + me.remote[mentees]
    n_org_key = 1
    if p.criteria.rules.same_organisation:
        n_org_key = len(p.vocab.organisations) + 1
        key = key * n_org_key + me.organisation[mentees] + 1
    order = np.argsort(key, kind="stable")
    keys, starts = np.unique(key[order], return_index=True)
    ends = np.append(starts[1:], len(order))
    for k, s, e in zip(keys.tolist(), starts.tolist(), ends.tolist(), strict=True):
        place, org = divmod(k, n_org_key)
        blocks = reachable_blocks(p, index, place // 2 - 1, bool(place % 2), org - 1)
        group = mentees[order[s:e]]
        if len(blocks) == 0:
            continue
        rows = max(1, BLOCK_CELLS // 4 // len(blocks))
        for c in range(0, len(group), rows):
            ii = group[c : c + rows]
            raw = block_bounds(p, index, ii, blocks)
            ub = raw - minp[blocks][None, :]
            keep = (ub > floor[ii][:, None]) & (raw > NO_BLOCK)
            a, b = np.nonzero(keep)
            parts_i.append(ii[a])
            parts_b.append(blocks[b])
            parts_u.append((raw if raw_order else ub)[a, b])
    mi = np.concatenate(parts_i) if parts_i else np.zeros(0, np.int64)
    mb = np.concatenate(parts_b) if parts_b else np.zeros(0, np.int64)
    mu: FloatArray = np.concatenate(parts_u).astype(np.float64) if parts_u else np.zeros(0)
    order = np.lexsort((mb, -mu, mi))
    mi, mb, mu = mi[order], mb[order], mu[order]
    first = np.searchsorted(mi, np.arange(p.n_mentees + 1))
    return RankedScan(mi, mb, mu, first, first[:-1].copy())


def scan_entries(
    p: Problem,
    index: BlockIndex,
    entries: IntArray,
    scan: RankedScan,
    price: FloatArray,
    floor: FloatArray,
    limit: int | None = None,
    limit_by_score: bool = False,
    dense_cells: int = 0,
) -> Edges:
    """Score the given (mentee, block) entries; keep feasible pairs with s - price > floor.

    With ``limit``, a mentee keeps only pairs whose score (or value s - price) is at least its
    limit-th best in the batch (ties included, so lists can still break ties by index).
    Groups of at least ``dense_cells`` (mentees × block mentors) are scored as dense blocks;
    smaller ones are gathered into flat batches, so Python-level work does not grow with the
    number of small blocks (flat scoring costs more per pair, so pricing keeps dense blocks).
    """
    if len(entries) == 0:
        return empty_edges()
    mi, mb = scan.mentee[entries], scan.block[entries]
    order = np.lexsort((mi, mb))
    mi, mb = mi[order], mb[order]
    cuts = np.flatnonzero(np.diff(mb)) + 1
    starts, ends = np.r_[0, cuts], np.r_[cuts, len(mb)]
    sizes = index.start[mb[starts] + 1] - index.start[mb[starts]]
    dense = (ends - starts) * sizes >= dense_cells
    out: list[Edges] = []
    fam = index.family
    for s, e in zip(starts[dense].tolist(), ends[dense].tolist(), strict=True):
        b = int(mb[s])
        mentors = np.sort(index.members[index.start[b] : index.start[b + 1]])
        group = mi[s:e]
        rows = max(1, BLOCK_CELLS // len(mentors))
        for c in range(0, len(group), rows):
            ii = group[c : c + rows]
            scores, ok = score_block(p, ii, mentors)
            if fam[b] == REMOTE:
                # Same-region remote mentors are already in the mentee's region block.
                ok &= p.mentors.region[mentors][None, :] != p.mentees.region[ii][:, None]
            value = scores - price[mentors][None, :]
            ok &= value > floor[ii][:, None]
            if limit is not None and limit < len(mentors):
                masked = np.where(ok, scores if limit_by_score else value, -np.inf)
                kth = np.partition(masked, -limit, axis=1)[:, -limit]
                ok &= masked >= kth[:, None]
            a, k = np.nonzero(ok)
            out.append(Edges(ii[a], mentors[k], scores[a, k].astype(np.float64)))
    small = np.repeat(~dense, ends - starts)
    out.append(_scan_flat(p, index, mi[small], mb[small], price, floor, limit))
    return concat(out)


def _scan_flat(
    p: Problem,
    index: BlockIndex,
    mi: IntArray,
    mb: IntArray,
    price: FloatArray,
    floor: FloatArray,
    limit: int | None,
) -> Edges:
    """Score (mentee, block) entries pair by pair in flat batches (limit applies to scores)."""
    out: list[Edges] = []
    sizes = index.start[mb + 1] - index.start[mb]
    cells = np.cumsum(sizes)
    lo = 0
    while lo < len(mi):
        hi = int(np.searchsorted(cells, (cells[lo - 1] if lo else 0) + BLOCK_CELLS, "right"))
        hi = max(hi, lo + 1)
        n = sizes[lo:hi]
        ii = np.repeat(mi[lo:hi], n)
        offset = np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)
        jj = index.members[np.repeat(index.start[mb[lo:hi]], n) + offset]
        scores, ok = score_pairs(p, ii, jj)
        remote = np.repeat(index.family[mb[lo:hi]] == REMOTE, n)
        ok &= ~remote | (p.mentors.region[jj] != p.mentees.region[ii])
        ok &= (scores - price[jj]) > floor[ii]
        ii, jj, sc = ii[ok], jj[ok], scores[ok]
        if limit is not None and len(ii):
            # Per-mentee limit-th best score by counting (scores are small whole numbers).
            top = int(sc.max()) + 1
            local, inverse = np.unique(ii, return_inverse=True)
            hist = np.bincount(inverse * top + sc, minlength=len(local) * top)
            at_least = np.cumsum(hist.reshape(len(local), top)[:, ::-1], axis=1)[:, ::-1]
            kth = (at_least >= limit).sum(axis=1) - 1
            keep = sc >= np.maximum(kth, 0)[inverse]
            ii, jj, sc = ii[keep], jj[keep], sc[keep]
        out.append(Edges(ii, jj, sc.astype(np.float64)))
        lo = hi
    return concat(out)
