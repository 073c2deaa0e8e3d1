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
from typing import Any

import numpy as np
from numpy.typing import NDArray

from matching_engine.algorithms.edges import BLOCK_CELLS, Edges, concat, empty_edges
from matching_engine.model import I32, U64, BoolArray, FloatArray, IntArray, Problem
from matching_engine.scoring import (
    excluded_pairs,
    mark_excluded,
    rule_masks,
)

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


#: (mentee, block) entries materialised per mentee at a time; more come when it needs them.
SCAN_BATCH = 24


@dataclass
class RankedScan:
    """Per mentee, its reachable blocks by decreasing bound (ties: lower block first), scanned
    in that order. Entries are materialised ``SCAN_BATCH`` at a time per mentee, so memory does
    not grow with mentees × blocks; ``rest`` is the best value left unmaterialised."""

    p: Problem
    index: BlockIndex
    price: FloatArray
    floor: FloatArray
    raw_order: bool
    mentee: IntArray  # materialised entries, each mentee's batch contiguous
    block: IntArray
    bound: FloatArray  # sort value: bound minus the block's minimum price (or the raw bound)
    end: IntArray  # (n_mentees,) end of the current batch
    cursor: IntArray  # next entry to scan, per mentee
    rest: FloatArray  # (n_mentees,) best value not materialised yet, -inf when none
    last_value: FloatArray  # sort key of the last materialised entry, per mentee
    last_block: IntArray

    def has_more(self, mentees: IntArray) -> BoolArray:
        return (self.cursor[mentees] < self.end[mentees]) | (self.rest[mentees] > -np.inf)

    def frontier(self) -> FloatArray:
        """Best value among each mentee's unscanned entries (-inf when all were scanned)."""
        out = self.rest.copy()
        has = self.cursor < self.end
        out[has] = self.bound[self.cursor[has]]
        return out

    def advance(self, active: IntArray, step: int) -> IntArray:
        """Take up to ``step`` next entries of each active mentee and move its cursor."""
        empty = active[(self.cursor[active] >= self.end[active]) & (self.rest[active] > -np.inf)]
        if len(empty):
            self._materialise(empty)
        ends = self.end[active]
        take = np.minimum(self.cursor[active] + step, ends)
        counts = take - self.cursor[active]
        entries = np.repeat(self.cursor[active], counts) + (
            np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        )
        self.cursor[active] = take
        return entries

    def _materialise(self, mentees: IntArray) -> None:
        """Next batch of each mentee's entries (after its last materialised one)."""
        p, index = self.p, self.index
        me = p.mentees
        minp = index.min_price(self.price)
        parts_i, parts_b, parts_u = [], [], []
        key = (me.region[mentees].astype(np.int64) + 1) * 2 + me.remote[mentees]
        n_org_key = 1
        if p.criteria.rules.same_organisation:
            n_org_key = len(p.vocab.organisations) + 1
            key = key * n_org_key + me.organisation[mentees] + 1
        order = np.argsort(key, kind="stable")
        keys, starts = np.unique(key[order], return_index=True)
        ends = np.append(starts[1:], len(order))
        self.rest[mentees] = -np.inf
        for k, s, e in zip(keys.tolist(), starts.tolist(), ends.tolist(), strict=True):
            place, org = divmod(k, n_org_key)
            blocks = reachable_blocks(p, index, place // 2 - 1, bool(place % 2), org - 1)
            group = mentees[order[s:e]]
            if len(blocks) == 0:
                continue
            rows = max(1, BLOCK_CELLS // 4 // len(blocks))
            for c in range(0, len(group), rows):
                ii = group[c : c + rows]
                a, b, u = self._top_entries(ii, blocks, minp)
                parts_i.append(ii[a])
                parts_b.append(blocks[b])
                parts_u.append(u)
        mi = np.concatenate(parts_i) if parts_i else np.zeros(0, np.int64)
        base = len(self.mentee)
        self.mentee = np.concatenate([self.mentee, mi])
        self.block = np.concatenate([self.block, *parts_b])
        self.bound = np.concatenate([self.bound, *parts_u])
        self.cursor[mentees] = base
        self.end[mentees] = base
        if len(mi):
            cut = np.flatnonzero(np.r_[True, mi[1:] != mi[:-1]])
            owner = mi[cut]
            self.cursor[owner] = base + cut
            self.end[owner] = base + np.r_[cut[1:], len(mi)]
            last = base + np.r_[cut[1:], len(mi)] - 1
            self.last_value[owner] = self.bound[last]
            self.last_block[owner] = self.block[last]

    def _top_entries(
        self, ii: IntArray, blocks: IntArray, minp: FloatArray
    ) -> tuple[IntArray, IntArray, FloatArray]:
        """Rows' next SCAN_BATCH entries (row, column, value), grouped by row, best first."""
        raw = block_bounds(self.p, self.index, ii, blocks)
        ub = raw - minp[blocks][None, :]
        valid = (ub > self.floor[ii][:, None]) & (raw > NO_BLOCK)
        # List scans sort by the whole-number bound itself: int32 partitions are cheaper.
        value: NDArray[Any] = raw if self.raw_order else ub
        gone = np.int32(NO_BLOCK - 1) if self.raw_order else -np.inf
        done = self.last_value[ii] < np.inf
        if done.any():
            lv, lb = self.last_value[ii][:, None], self.last_block[ii][:, None]
            valid &= ~done[:, None] | (value < lv) | ((value == lv) & (blocks[None, :] > lb))
        value = np.where(valid, value, gone)
        n = len(blocks)
        if n > SCAN_BATCH:
            kth = np.partition(value, n - SCAN_BATCH, axis=1)[:, n - SCAN_BATCH]
            cand = valid & (value >= kth[:, None])
        else:
            cand = valid
        a, b = np.nonzero(cand)
        order = np.lexsort((b, -value[a, b], a))
        a, b = a[order], b[order]
        rank = np.arange(len(a)) - np.searchsorted(a, a)
        keep = rank < SCAN_BATCH
        a, b = a[keep], b[keep]
        left = value.copy()
        left[a, b] = gone
        rest = left.max(axis=1).astype(np.float64) if n else np.full(len(ii), -np.inf)
        self.rest[ii] = np.where(rest <= gone, -np.inf, rest)
        return a, b, value[a, b].astype(np.float64)


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
    n = p.n_mentees
    scan = RankedScan(
        p, index, price, floor, raw_order,
        mentee=np.zeros(0, np.int64), block=np.zeros(0, np.int64), bound=np.zeros(0),
        end=np.zeros(n, np.int64), cursor=np.zeros(n, np.int64), rest=np.full(n, -np.inf),
        last_value=np.full(n, np.inf), last_block=np.full(n, -1, np.int64),
    )  # fmt: skip
    scan._materialise(np.asarray(mentees, np.int64))
    return scan


def in_block_scores(
    p: Problem, index: BlockIndex, ii: IntArray, jj: IntArray, bb: IntArray | int
) -> tuple[NDArray[np.int16], BoolArray]:
    """Scores and feasibility of pairs (ii, jj) where mentor jj is in block bb, a block the
    mentee reaches (broadcast shapes). Equal to ``score_pairs`` on those pairs, cheaper: field,
    domain and region are the same for a whole block, place is already satisfied, and scores
    (at most a few hundred points) are summed in int16."""
    w, rules = p.criteria.weights, p.criteria.rules
    me, mo = p.mentees, p.mentors
    i16 = np.int16
    f_i, d_i, r_i = me.field[ii], me.domain[ii], me.region[ii]
    fam = index.family[bb]
    same_field = (f_i == index.field[bb]) & (f_i >= 0)
    same_domain = ~same_field & (d_i == index.domain[bb]) & (d_i >= 0)
    same_region = (fam == r_i) & (r_i >= 0)
    score = same_field * i16(w.field) + same_domain * i16(w.domain) + same_region * i16(w.region)
    o_i = me.occupation[ii]
    score = score + ((o_i == mo.occupation[jj]) & (o_i >= 0)) * i16(w.occupation)
    if np.ndim(ii) == 2 and np.shape(ii)[1] == 1 and np.ndim(jj) == 2 and np.shape(jj)[0] == 1:
        count = _dense_skill_counts(p, np.ravel(ii), np.ravel(jj))
    else:
        sk_i, sk_j = me.skills[ii], mo.skills[jj]
        used = np.flatnonzero(np.bitwise_or.reduce(me.skills[np.ravel(ii)], axis=0))
        count = np.zeros(np.broadcast_shapes(sk_i.shape[:-1], sk_j.shape[:-1]), np.uint8)
        for word in used.tolist():
            count += np.bitwise_count(sk_i[..., word] & sk_j[..., word])
    score = score + np.minimum(count, w.skill_max).astype(i16) * i16(w.skill)
    goals = np.bitwise_count(me.goals[ii] & mo.goals[jj])
    score += np.minimum(goals, w.goal_max).astype(i16) * i16(w.goal)
    avail = np.bitwise_count(me.availability[ii] & mo.availability[jj])
    score += np.minimum(avail, w.availability_max).astype(i16) * i16(w.availability)
    pref = me.preferred_gender[ii]
    if (pref > 0).any():
        score += ((pref > 0) & (pref == mo.gender[jj])) * i16(w.gender)
    wants = me.wants_career_changer[ii]
    if wants.any():
        score += (wants & mo.career_changer[jj]) * i16(w.career_change)
    e_j = mo.experience[jj]
    senior = (e_j >= 0) & (e_j - np.maximum(me.experience[ii], 0) >= rules.seniority_min_gap)
    score += senior * i16(w.seniority)
    ok = np.ones(score.shape, bool)
    for mask in rule_masks(p, ii, jj, place=False).values():
        ok &= mask
    # Same-region remote mentors are already in the mentee's region block.
    ok &= (fam != REMOTE) | (mo.region[jj] != r_i)
    return score, ok


def _dense_skill_counts(p: Problem, rows: IntArray, cols: IntArray) -> NDArray[np.uint8]:
    """Common skills of every (mentee in rows, mentor in cols): for each of a mentee's few
    wanted skills, add the mentors' 0/1 row of that skill (a contiguous copy), instead of
    ANDing and counting every word of the skill bitsets."""

    def bits(table: NDArray[np.uint64]) -> NDArray[np.uint8]:
        return np.unpackbits(table.view(np.uint8), axis=1, bitorder="little")

    offered = bits(p.mentors.skills[cols])  # (cols, skills)
    by_skill = np.zeros((offered.shape[1] + 1, len(cols)), np.uint8)  # last row: padding
    by_skill[:-1] = offered.T
    wanted = bits(p.mentees.skills[rows])
    r, c = np.nonzero(wanted)
    k = np.arange(len(r)) - np.searchsorted(r, r)
    index = np.full((len(rows), int(k.max(initial=-1)) + 1), offered.shape[1])
    index[r, k] = c
    count = np.zeros((len(rows), len(cols)), np.uint8)
    for column in index.T:
        count += by_skill[column]
    return count


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
    best: FloatArray | None = None,
) -> Edges:
    """Score the given (mentee, block) entries; keep feasible pairs with s - price > floor.

    With ``limit``, a mentee keeps only pairs whose score (or value s - price) is at least its
    limit-th best in the batch (ties included, so lists can still break ties by index).
    Groups of at least ``dense_cells`` (mentees × block mentors) are scored as dense blocks;
    smaller ones are gathered into flat batches, so Python-level work does not grow with the
    number of small blocks (flat scoring costs more per pair).
    ``best[i]``, when given, is raised to mentee i's best value - floor seen (before limits).
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
    for s, e in zip(starts[dense].tolist(), ends[dense].tolist(), strict=True):
        b = int(mb[s])
        mentors = np.sort(index.members[index.start[b] : index.start[b + 1]])
        group = mi[s:e]
        rows = max(1, BLOCK_CELLS // len(mentors))
        for c in range(0, len(group), rows):
            ii = group[c : c + rows]
            scores, ok = in_block_scores(p, index, ii[:, None], mentors[None, :], b)
            mark_excluded(p, ii, mentors, ok)  # ii and mentors are sorted
            value = scores - price[mentors][None, :]
            ok &= value > floor[ii][:, None]
            if best is not None and ok.size:
                top = np.where(ok, value, -np.inf).max(axis=1) - floor[ii]
                best[ii] = np.maximum(best[ii], top)
            if limit is not None and limit < len(mentors):
                if limit_by_score:  # int16 scores (-1 = refused): a quarter of the memory
                    masked = np.where(ok, scores, np.int16(-1))
                else:
                    masked = np.where(ok, value, -np.inf)
                kth = np.partition(masked, -limit, axis=1)[:, -limit]
                ok &= masked >= kth[:, None]
            a, k = np.nonzero(ok)
            out.append(Edges(ii[a], mentors[k], scores[a, k].astype(np.float64)))
    small = np.repeat(~dense, ends - starts)
    out.append(_scan_flat(p, index, mi[small], mb[small], price, floor, limit, best))
    return concat(out)


def _scan_flat(
    p: Problem,
    index: BlockIndex,
    mi: IntArray,
    mb: IntArray,
    price: FloatArray,
    floor: FloatArray,
    limit: int | None,
    best: FloatArray | None = None,
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
        scores, ok = in_block_scores(p, index, ii, jj, np.repeat(mb[lo:hi], n))
        if len(p.excluded_keys):
            ok &= ~excluded_pairs(p, ii, jj)
        ok &= (scores - price[jj]) > floor[ii]
        if best is not None:
            np.maximum.at(best, ii[ok], scores[ok] - price[jj[ok]] - floor[ii[ok]])
        ii, jj, sc = ii[ok], jj[ok], scores[ok].astype(np.int64)
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
