"""Compiled (numba) kernels for national-scale lists and scans over mentor blocks.

Scoring whole (mentees × block) tiles with numpy cost tens of array operations' worth of memory
traffic per pair, with Python driving each tile (50 s for stable mode at 200k). Here one
compiled loop per mentee computes its block bounds, visits blocks best bound first, bounds each
leaf (≤ LEAF mentors) of a block before scoring it, and scores a pair in a few nanoseconds,
stopping as soon as what it found beats every unvisited block. Scores and hard rules are the
same as ``scoring.components`` / ``scoring.feasible`` (tests compare whole preference lists).

Ties are broken as everywhere else: a mentee prefers the higher score, then the lower mentor
index; a mentor the higher score, then the lower mentee index.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, NamedTuple

import numpy as np
from numba import njit

from matching_engine.algorithms.blocks import ANYWHERE, REMOTE, BlockIndex
from matching_engine.model import I32, BoolArray, FloatArray, IntArray, Problem
from matching_engine.scoring import (
    bit_positions,
    checked_mentors,
    minors,
    partnership_bits,
    required_partnership,
    trained_mentors,
)

_U1, _U2, _U4, _U56 = np.uint64(1), np.uint64(2), np.uint64(4), np.uint64(56)
_M1 = np.uint64(0x5555555555555555)
_M2 = np.uint64(0x3333333333333333)
_M4 = np.uint64(0x0F0F0F0F0F0F0F0F)
_H01 = np.uint64(0x0101010101010101)
_ZERO = np.uint64(0)


def _cores() -> int:
    if hasattr(os, "sched_getaffinity"):  # the cores this process may run on (Linux)
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


#: threads for the list and pricing scans
THREADS = min(_cores(), 8)
SLICES_PER_THREAD = 8
MIN_PARALLEL = 2048  # below this many mentees one thread is faster than starting others


class Packed(NamedTuple):
    """Everything the kernels read, as flat arrays (numba takes named tuples of arrays)."""

    # weights: field, domain, occupation, skill, skill_max, goal, goal_max, region,
    # availability, availability_max, gender, career_change, seniority, seniority_min_gap;
    # rules: different_organizations, same_organization, mentor_more_experienced, gender_hard,
    # safeguarding_for_minors, required_training
    weights: IntArray
    rules: IntArray
    n_mentors: int
    # mentees
    i_field: I32
    i_domain: I32
    i_occupation: I32
    # mentee i's wanted skills, entries ptr[i]:ptr[i + 1], as (word, bit mask) of the bitsets
    i_skill_ptr: IntArray
    i_skill_word: IntArray
    i_skill_mask: Any
    i_goals: Any
    i_languages: Any
    i_region: I32
    i_remote: BoolArray
    i_availability: Any
    i_pref: I32
    i_wants_changer: BoolArray
    i_experience: I32
    i_organization: I32
    i_minor: BoolArray
    i_partnerships: Any  # uint64 bitset of the mentee's partnerships
    # mentors, in block member order (a block's mentors are contiguous in memory: scanning
    # one reads a few cache lines instead of missing the cache once per mentor)
    j_occupation: I32
    j_skill: Any  # (members, words) uint64 skill bitsets
    j_goals: Any
    j_languages: Any
    j_region: I32
    j_availability: Any
    j_gender: I32
    j_changer: BoolArray
    j_experience: I32
    j_organization: I32
    j_checked: BoolArray  # safeguarding check recorded
    j_trained: BoolArray  # required training completed
    j_partnership: IntArray  # every place reserved for this partnership's mentees, else -1
    excluded: IntArray  # sorted mentee * n_mentors + mentor
    # blocks
    members: IntArray
    start: IntArray
    family: IntArray
    b_field: I32
    b_domain: I32
    b_skill: Any  # (blocks, words) union of the skill bitsets
    b_goals: Any
    b_availability: Any
    b_languages: Any
    b_genders: IntArray
    b_changer: BoolArray
    b_max_experience: I32
    b_organization: I32
    b_checked: BoolArray  # some mentor of the block has a safeguarding check
    # occupations of block b's mentors: block_occupation[block_occ_ptr[b]:block_occ_ptr[b + 1]]
    # (a short contiguous list: cheaper than a binary search over every block's)
    block_occ_ptr: IntArray
    block_occupation: IntArray
    # leaves: runs of at most LEAF mentors of one block with the same occupation, sorted by
    # goals, gender and availability, so their unions (hence bounds) stay close to each
    # mentor's own profile; block b holds leaves leaf_ptr[b]:leaf_ptr[b + 1]
    leaf_ptr: IntArray
    leaf_start: IntArray
    leaf_occupation: IntArray
    leaf_skill: Any  # (leaves, words) union
    leaf_goals: Any
    leaf_availability: Any
    leaf_languages: Any
    leaf_genders: IntArray
    leaf_changer: BoolArray
    leaf_max_experience: IntArray
    leaf_checked: BoolArray
    leaf_trained: BoolArray  # some mentor of the leaf completed the required training
    #: smallest mentor index of each leaf / block: with a bound equal to the list's last
    #: score, only a smaller index could still enter it (ties go to the lower index)
    leaf_min_mentor: IntArray
    block_min_mentor: IntArray
    # blocks reachable by each place class (region + 1) * 2 + remote
    class_ptr: IntArray
    class_blocks: IntArray


#: most mentors per leaf: smaller leaves give tighter bounds, each costs a bound to compute.
LEAF = 16


def _leaves(block_of: IntArray, occupation: Any, n_blocks: int) -> tuple[IntArray, IntArray]:
    """Leaf boundaries over members sorted by (block, occupation, ...): a new leaf starts at
    each block or occupation change and every LEAF members within a run."""
    n = len(block_of)
    if n == 0:
        return np.zeros(n_blocks + 1, np.int64), np.zeros(1, np.int64)
    change = np.r_[True, (block_of[1:] != block_of[:-1]) | (occupation[1:] != occupation[:-1])]
    run_start = np.maximum.accumulate(np.where(change, np.arange(n), 0))
    cut = change | ((np.arange(n) - run_start) % LEAF == 0)
    starts = np.flatnonzero(cut)
    leaf_start = np.append(starts, n).astype(np.int64)
    leaf_ptr = np.searchsorted(block_of[starts], np.arange(n_blocks + 1)).astype(np.int64)
    return leaf_ptr, leaf_start


def pack(p: Problem, index: BlockIndex) -> Packed:
    """The problem and the block index as the flat arrays the compiled kernels read."""
    w, r = p.criteria.weights, p.criteria.rules
    me, mo = p.mentees, p.mentors
    n_skills = len(p.vocab.skills)
    rows, cols = bit_positions(me.skills, max(n_skills, 1))
    ptr = np.searchsorted(rows, np.arange(p.n_mentees + 1)).astype(np.int64)
    languages = (
        np.bitwise_or.reduceat(mo.languages[index.members], index.start[:-1])
        if len(index.members)
        else np.zeros(0, np.uint64)
    )
    block_of = np.repeat(np.arange(index.n_blocks), np.diff(index.start))
    order = np.lexsort(
        (mo.availability[index.members], mo.career_changer[index.members],
         mo.gender[index.members], mo.goals[index.members], mo.occupation[index.members],
         block_of)
    )  # fmt: skip
    at = index.members[order]
    n_occ = max(len(p.vocab.occupations), 1)  # as in build_index's occupation_keys
    leaf_ptr, leaf_start = _leaves(block_of, mo.occupation[at], index.n_blocks)
    first = leaf_start[:-1]
    n_leaves = len(first)

    def union(values: Any) -> Any:
        if n_leaves == 0:
            return np.zeros((0, *values.shape[1:]), values.dtype)
        return np.bitwise_or.reduceat(values[at], first, axis=0)

    checked = checked_mentors(p)
    trained = trained_mentors(p)
    checked_blocks = (
        np.logical_or.reduceat(checked[index.members], index.start[:-1])
        if len(index.members)
        else np.zeros(index.n_blocks, np.bool_)
    )
    n_classes = 2 * (len(p.vocab.regions) + 1)
    class_lists = []
    fam = index.family
    for k in range(n_classes):
        region, remote = k // 2 - 1, bool(k % 2)
        if region < 0:
            mask = fam != REMOTE
        else:
            mask = (fam == region) | (fam == ANYWHERE)
            if remote:
                mask |= fam == REMOTE
        class_lists.append(np.flatnonzero(mask))
    class_ptr = np.zeros(n_classes + 1, np.int64)
    class_ptr[1:] = np.cumsum([len(c) for c in class_lists])
    i64 = np.int64
    return Packed(
        weights=np.array(
            [
                w.field,
                w.domain,
                w.occupation,
                w.skill,
                w.skill_max,
                w.goal,
                w.goal_max,
                w.region,
                w.availability,
                w.availability_max,
                w.gender,
                w.career_change,
                w.seniority,
                r.seniority_min_gap,
            ],
            i64,
        ),
        rules=np.array(
            [
                r.different_organizations,
                r.same_organization,
                r.mentor_more_experienced,
                r.gender_preference_hard,
                r.safeguarding_for_minors,
                r.required_training,
            ],
            i64,
        ),
        n_mentors=p.n_mentors,
        i_field=me.field,
        i_domain=me.domain,
        i_occupation=me.occupation,
        i_skill_ptr=ptr,
        i_skill_word=(cols // 64).astype(np.int64),
        i_skill_mask=np.left_shift(np.uint64(1), (cols % 64).astype(np.uint64)),
        i_goals=me.goals,
        i_languages=me.languages,
        i_region=me.region,
        i_remote=me.remote,
        i_availability=me.availability,
        i_pref=me.preferred_gender,
        i_wants_changer=me.wants_career_changer,
        i_experience=me.experience,
        i_organization=me.organization,
        i_minor=minors(p),
        i_partnerships=partnership_bits(p),
        j_occupation=mo.occupation[at],
        j_skill=np.ascontiguousarray(mo.skills[at]),
        j_goals=mo.goals[at],
        j_languages=mo.languages[at],
        j_region=mo.region[at],
        j_availability=mo.availability[at],
        j_gender=mo.gender[at],
        j_changer=mo.career_changer[at],
        j_experience=mo.experience[at],
        j_organization=mo.organization[at],
        j_checked=checked[at],
        j_trained=trained[at],
        j_partnership=required_partnership(p)[at].astype(np.int64),
        excluded=p.excluded_keys.astype(np.int64),
        members=at.astype(np.int64),
        start=index.start.astype(np.int64),
        family=index.family.astype(np.int64),
        b_field=index.field,
        b_domain=index.domain,
        b_skill=np.ascontiguousarray(index.skills),
        b_goals=index.goals,
        b_availability=index.availability,
        b_languages=languages,
        b_genders=index.genders.astype(np.int64),
        b_changer=index.changer,
        b_max_experience=index.max_experience,
        b_organization=index.organization,
        b_checked=checked_blocks,
        block_occ_ptr=np.searchsorted(
            index.occupation_keys // n_occ, np.arange(index.n_blocks + 1)
        ).astype(np.int64),
        block_occupation=(index.occupation_keys % n_occ).astype(np.int64),
        leaf_ptr=leaf_ptr,
        leaf_start=leaf_start,
        leaf_occupation=mo.occupation[at[first]].astype(np.int64),
        leaf_skill=np.ascontiguousarray(union(mo.skills)),
        leaf_goals=union(mo.goals),
        leaf_availability=union(mo.availability),
        leaf_languages=union(mo.languages),
        leaf_genders=union(np.left_shift(1, mo.gender.astype(np.int64))),
        leaf_changer=union(mo.career_changer.astype(np.int64)).astype(np.bool_),
        leaf_max_experience=np.maximum.reduceat(mo.experience[at], first).astype(np.int64)
        if n_leaves
        else np.zeros(0, np.int64),
        leaf_checked=np.logical_or.reduceat(checked[at], first)
        if n_leaves
        else np.zeros(0, np.bool_),
        leaf_trained=np.logical_or.reduceat(trained[at], first)
        if n_leaves
        else np.zeros(0, np.bool_),
        leaf_min_mentor=np.minimum.reduceat(at, first).astype(np.int64)
        if n_leaves
        else np.zeros(0, np.int64),
        block_min_mentor=np.minimum.reduceat(at, index.start[:-1]).astype(np.int64)
        if len(at)
        else np.zeros(index.n_blocks, np.int64),
        class_ptr=class_ptr,
        class_blocks=np.concatenate(class_lists).astype(np.int64),
    )


@njit(cache=True, inline="always")
def _popcount(x: Any) -> int:
    x = x - ((x >> _U1) & _M1)
    x = (x & _M2) + ((x >> _U2) & _M2)
    x = (x + (x >> _U4)) & _M4
    return int((x * _H01) >> _U56)


@njit(cache=True)
def _ranked_blocks(  # noqa: C901, PLR0912 — numba hot loop measured in docs/benchmarks.md
    k: Packed, i: int, price_floor: Any, floor: float
) -> tuple[Any, Any, Any]:
    """Mentee i's reachable blocks by decreasing score bound minus ``price_floor[b]``
    (blocks where no mentor can pass the hard rules are left out), and each block's points
    shared by all its mentors (field, domain, region).

    Everything per block is computed inline: a numba call taking the packed arrays costs
    hundreds of nanoseconds when LLVM does not inline it."""
    w, rules = k.weights, k.rules
    cls = (k.i_region[i] + 1) * 2 + (1 if k.i_remote[i] else 0)
    lo, hi = k.class_ptr[cls], k.class_ptr[cls + 1]
    blocks = np.empty(hi - lo, np.int64)
    value = np.empty(hi - lo, np.float64)
    shared = np.empty(hi - lo, np.int64)
    f_i, d_i, r_i, occ = k.i_field[i], k.i_domain[i], k.i_region[i], k.i_occupation[i]
    e_i = max(k.i_experience[i], 0)
    o_i, pref, lang = k.i_organization[i], k.i_pref[i], k.i_languages[i]
    goals, avail, wants = k.i_goals[i], k.i_availability[i], k.i_wants_changer[i]
    s_lo, s_hi = k.i_skill_ptr[i], k.i_skill_ptr[i + 1]
    guarded = rules[4] != 0 and k.i_minor[i]  # a minor: checked mentors only
    n = 0
    for t in range(lo, hi):
        b = k.class_blocks[t]
        if (lang & k.b_languages[b]) == _ZERO:
            continue
        if rules[1] != 0 and (o_i < 0 or k.b_organization[b] != o_i):
            continue
        if guarded and not k.b_checked[b]:
            continue
        e_max = k.b_max_experience[b]
        if rules[2] != 0 and e_max <= e_i:
            continue
        has_pref = pref > 0 and ((k.b_genders[b] >> pref) & 1) == 1
        if rules[3] != 0 and pref > 0 and not has_pref:
            continue
        base = 0
        if f_i >= 0 and f_i == k.b_field[b]:
            base += w[0]
        elif d_i >= 0 and d_i == k.b_domain[b]:
            base += w[1]
        if r_i >= 0 and k.family[b] == r_i:
            base += w[7]
        s = base
        if occ >= 0:
            for q in range(k.block_occ_ptr[b], k.block_occ_ptr[b + 1]):
                if k.block_occupation[q] == occ:
                    s += w[2]
                    break
        count = 0
        for q in range(s_lo, s_hi):
            count += (k.b_skill[b, k.i_skill_word[q]] & k.i_skill_mask[q]) != _ZERO
        s += min(count, w[4]) * w[3]
        s += min(_popcount(goals & k.b_goals[b]), w[6]) * w[5]
        s += min(_popcount(avail & k.b_availability[b]), w[9]) * w[8]
        if has_pref:
            s += w[10]
        if wants and k.b_changer[b]:
            s += w[11]
        if e_max >= 0 and e_max - e_i >= w[13]:
            s += w[12]
        if s - price_floor[b] <= floor:
            continue  # no pair of it can beat the mentee's floor: not worth sorting
        blocks[n] = b
        value[n] = s - price_floor[b]
        shared[n] = base
        n += 1
    order = np.argsort(-value[:n], kind="mergesort")
    return blocks[:n][order], value[:n][order], shared[:n][order]


class Thresholds(NamedTuple):
    """Deferred acceptance state the list kernels read: a full mentor refuses any mentee
    ranked below its worst held one (score ``worst_s``, then index ``worst_i``). ``open``
    counts the members of each leaf that are not full; ``low`` is a lower bound of the worst
    held score over a leaf whose members are all full (thresholds only rise, so a stale value
    stays a lower bound): a leaf whose bound is below it has no mentor left for the mentee."""

    full: BoolArray
    worst_s: IntArray
    worst_i: IntArray
    open: IntArray
    low: IntArray
    #: counters for benchmarks: lists built, blocks ranked, leaves bounded, leaves scored
    stats: IntArray


def no_thresholds(k: Packed, n_mentors: int) -> Thresholds:
    """Deferred acceptance state before any proposal: no mentor full."""
    return Thresholds(
        full=np.zeros(n_mentors, np.bool_),
        worst_s=np.zeros(n_mentors, np.int64),
        worst_i=np.zeros(n_mentors, np.int64),
        open=np.diff(k.leaf_start).astype(np.int64),
        low=np.zeros(len(k.leaf_start) - 1, np.int64),
        stats=np.zeros(4, np.int64),
    )


class Top(NamedTuple):
    """A mentee's best pairs so far, best first: value (score - price), score, mentor."""

    value: FloatArray
    score: IntArray
    mentor: IntArray


class Prices(NamedTuple):
    """Mentor prices for the scans (all zero outside the optimal mode's pricing): the lowest
    price of each block and leaf, each member's price, and per mentee the floor a pair's
    value (score - price) must exceed."""

    block: FloatArray
    leaf: FloatArray
    member: FloatArray
    floor: FloatArray


@njit(cache=True)
def _new_top(want: int) -> Top:
    return Top(np.empty(want, np.float64), np.empty(want, np.int64), np.empty(want, np.int64))


@njit(cache=True)
def _zero_prices(k: Packed) -> Prices:
    return Prices(
        np.zeros(len(k.family)),
        np.zeros(len(k.leaf_start) - 1),
        np.zeros(len(k.members)),
        np.full(len(k.i_field), -1.0),
    )


def scan_prices(k: Packed, price: FloatArray, floor: FloatArray) -> Prices:
    """Prices for a scan: ``price`` per mentor (inf: unusable), ``floor`` per mentee."""
    member = price[k.members] if len(k.members) else np.zeros(0)
    block = np.minimum.reduceat(member, k.start[:-1]) if len(member) else np.zeros(0)
    leaf = np.minimum.reduceat(member, k.leaf_start[:-1]) if len(member) else np.zeros(0)
    return Prices(block, leaf, member, np.asarray(floor, np.float64))


@njit(cache=True)
def _scan_block(  # noqa: C901, PLR0912, PLR0913, PLR0915 — numba hot loop (docs/benchmarks.md)
    k: Packed,
    i: int,
    b: int,
    base: int,
    bound: float,
    want: int,
    count: int,
    top: Top,
    cut_s: int,
    cut_j: int,
    excluded: Any,
    th: Thresholds,
    pr: Prices,
) -> int:
    """Add block b's pairs to mentee i's best-``want`` list (``top``, ``count`` filled),
    ranked by value = score - mentor price, then mentor index; only pairs of value above the
    mentee's floor, ranked after the cutoff, and not refused by a full mentor that prefers its
    worst held mentee. Each leaf is bounded first and skipped when it cannot enter the list.
    Returns the new count.

    Everything is inline in one loop (criteria as branch-free arithmetic: they are
    unpredictable pair to pair), with arrays and scalars in locals: LLVM then keeps them in
    registers, and a numba call taking the packed arrays costs hundreds of nanoseconds when it
    is not inlined."""
    w, rules = k.weights, k.rules
    w_occ, w_skill, skill_max, w_goal, goal_max = w[2], w[3], w[4], w[5], w[6]
    w_avail, avail_max, w_gender, w_career, w_senior, gap = w[8], w[9], w[10], w[11], w[12], w[13]
    cross, same, more, gender_hard = rules[0] != 0, rules[1] != 0, rules[2] != 0, rules[3] != 0
    guarded = rules[4] != 0 and k.i_minor[i]  # a minor: checked mentors only
    j_checked = k.j_checked
    need_trained = rules[5] != 0  # trained mentors only
    j_trained, j_partnership, partnerships = k.j_trained, k.j_partnership, k.i_partnerships[i]
    lang, r_i, o_i = k.i_languages[i], k.i_region[i], k.i_organization[i]
    e_i = max(k.i_experience[i], 0)
    pref, occ = k.i_pref[i], k.i_occupation[i]
    goals, avail, wants = k.i_goals[i], k.i_availability[i], k.i_wants_changer[i]
    words = k.i_skill_word[k.i_skill_ptr[i] : k.i_skill_ptr[i + 1]]
    masks = k.i_skill_mask[k.i_skill_ptr[i] : k.i_skill_ptr[i + 1]]
    n_wanted = len(words)
    j_lang, j_region, j_org, j_exp = k.j_languages, k.j_region, k.j_organization, k.j_experience
    j_gender, j_occ, j_skill, j_goals = k.j_gender, k.j_occupation, k.j_skill, k.j_goals
    j_avail, j_changer, members = k.j_availability, k.j_changer, k.members
    full, worst_s, worst_i, leaf_open, leaf_low = th.full, th.worst_s, th.worst_i, th.open, th.low
    top_v, top_s, top_j = top.value, top.score, top.mentor
    m_price, floor = pr.member, pr.floor[i]
    remote_block = k.family[b] == REMOTE
    occ_known, pref_known, o_known = occ >= 0, pref > 0, o_i >= 0
    for leaf in range(k.leaf_ptr[b], k.leaf_ptr[b + 1]):
        closed = leaf_open[leaf] == 0
        if closed and leaf_low[leaf] > bound:
            continue
        if (lang & k.leaf_languages[leaf]) == _ZERO:
            continue
        if guarded and not k.leaf_checked[leaf]:
            continue
        if need_trained and not k.leaf_trained[leaf]:
            continue
        e_max = k.leaf_max_experience[leaf]
        if more and e_max <= e_i:
            continue
        has_pref = pref_known and ((k.leaf_genders[leaf] >> pref) & 1) == 1
        if gender_hard and pref_known and not has_pref:
            continue
        th.stats[2] += 1
        skills = 0
        for q in range(n_wanted):
            skills += (k.leaf_skill[leaf, words[q]] & masks[q]) != _ZERO
        lb = base + min(skills, skill_max) * w_skill
        lb += w_occ * (occ_known and occ == k.leaf_occupation[leaf])
        lb += min(_popcount(goals & k.leaf_goals[leaf]), goal_max) * w_goal
        lb += min(_popcount(avail & k.leaf_availability[leaf]), avail_max) * w_avail
        lb += w_gender * has_pref
        lb += w_career * (wants and k.leaf_changer[leaf])
        lb += w_senior * (e_max >= 0 and e_max - e_i >= gap)
        lbv = lb - pr.leaf[leaf]
        if lbv <= floor:
            continue
        if count == want and (
            lbv < top_v[want - 1]
            or (lbv == top_v[want - 1] and k.leaf_min_mentor[leaf] > top_j[want - 1])
        ):
            continue
        lo, hi = k.leaf_start[leaf], k.leaf_start[leaf + 1]
        if closed:
            if leaf_low[leaf] > lb:
                continue
            low = 1 << 40
            for m in range(lo, hi):
                low = min(low, worst_s[members[m]])
            leaf_low[leaf] = low
            if low > lb:
                continue
        th.stats[3] += 1
        for m in range(lo, hi):
            cap = lb - m_price[m]  # the leaf's bound, at this mentor's price
            if cap <= floor or (count == want and cap < top_v[want - 1]):
                continue  # too dear for any pair of the leaf to enter: not scored
            o_j, e_j, g_j = j_org[m], j_exp[m], j_gender[m]
            ok = (lang & j_lang[m]) != _ZERO
            ok &= not (remote_block and j_region[m] == r_i)
            ok &= not (cross and o_known and o_i == o_j)
            ok &= not (same and (o_i < 0 or o_i != o_j))
            ok &= not (more and e_j <= e_i)
            ok &= not (gender_hard and pref_known and pref != g_j)
            ok &= not (guarded and not j_checked[m])
            ok &= not (need_trained and not j_trained[m])
            code = j_partnership[m]
            if code >= 0:  # a place reserved for a partnership: its mentees only
                ok &= ((partnerships >> np.uint64(code)) & _U1) != _ZERO
            count_skills = 0
            for q in range(n_wanted):
                count_skills += (j_skill[m, words[q]] & masks[q]) != _ZERO
            s = base + min(count_skills, skill_max) * w_skill
            s += w_occ * (occ_known and occ == j_occ[m])
            s += min(_popcount(goals & j_goals[m]), goal_max) * w_goal
            s += min(_popcount(avail & j_avail[m]), avail_max) * w_avail
            s += w_gender * (pref_known and pref == g_j)
            s += w_career * (wants and j_changer[m])
            s += w_senior * (e_j >= 0 and e_j - e_i >= gap)
            value = s - m_price[m]
            if not ok or value <= floor or (count == want and value < top_v[want - 1]):
                continue  # the common case, decided before touching per-mentor arrays
            j = members[m]
            if s > cut_s or (s == cut_s and j <= cut_j):
                continue
            if len(excluded):
                key = i * k.n_mentors + j
                pos = np.searchsorted(excluded, key)
                if pos < len(excluded) and excluded[pos] == key:
                    continue
            if count == want:
                if value == top_v[want - 1] and j > top_j[want - 1]:
                    continue
                q = want - 1
            else:
                q = count
            if full[j] and (s < worst_s[j] or (s == worst_s[j] and i > worst_i[j])):
                continue
            if q == count:
                count += 1
            while q > 0 and (top_v[q - 1] < value or (top_v[q - 1] == value and top_j[q - 1] > j)):
                top_v[q] = top_v[q - 1]
                top_s[q] = top_s[q - 1]
                top_j[q] = top_j[q - 1]
                q -= 1
            top_v[q] = value
            top_s[q] = s
            top_j[q] = j
    return count


@njit(cache=True, nogil=True)
def _top_lists(k: Packed, mentees: IntArray, want: int, cut: IntArray, th: Thresholds) -> Any:
    """top_lists on one thread; ``cut`` holds the cutoff scores and mentors as two rows."""
    n = len(mentees)
    out_i = np.empty(n * want, np.int64)
    out_j = np.empty(n * want, np.int64)
    out_s = np.empty(n * want, np.int64)
    found = np.zeros(n, np.int64)
    top = _new_top(want)
    pr = _zero_prices(k)
    for t in range(n):
        i = mentees[t]
        c = _top_of(k, i, want, cut[0, t], cut[1, t], top, th, pr)
        for q in range(c):
            out_i[t * want + q] = i
            out_j[t * want + q] = top.mentor[q]
            out_s[t * want + q] = top.score[q]
        found[t] = c
    keep = np.zeros(n * want, np.bool_)
    for t in range(n):
        keep[t * want : t * want + found[t]] = True
    return out_i[keep], out_j[keep], out_s[keep], found


@njit(cache=True)
def _top_of(
    k: Packed,
    i: int,
    want: int,
    cut_s: int,
    cut_j: int,
    top: Top,
    th: Thresholds,
    pr: Prices,
    first_only: bool = False,
) -> int:
    """Fill ``top`` with mentee i's best ``want`` pairs (see _scan_block); blocks are visited
    best bound (minus their cheapest mentor's price) first, until the list's last value beats
    every block left or no block left can beat the mentee's floor. With ``first_only``, a
    full list stops as soon as its first value beats every block left: the first entry is
    then exact, the others are good pairs but not necessarily the next best."""
    blocks, bounds, shared = _ranked_blocks(k, i, pr.block, pr.floor[i])
    th.stats[0] += 1
    th.stats[1] += len(blocks)
    # The mentee's excluded pairs (usually none): a slice of the sorted keys.
    excluded = k.excluded
    if len(excluded):
        first = np.searchsorted(excluded, i * k.n_mentors)
        excluded = excluded[first : np.searchsorted(excluded, (i + 1) * k.n_mentors)]
    count = 0
    last_v, last_j = top.value, top.mentor
    for t in range(len(blocks)):
        if bounds[t] <= pr.floor[i]:
            break
        if count == want and first_only and last_v[0] > bounds[t]:
            break
        if count == want and last_v[want - 1] >= bounds[t]:
            if last_v[want - 1] > bounds[t]:
                break
            if k.block_min_mentor[blocks[t]] > last_j[want - 1]:
                continue
        count = _scan_block(
            k, i, blocks[t], shared[t], bounds[t], want, count, top, cut_s, cut_j, excluded, th,
            pr,
        )  # fmt: skip
    return count


@njit(cache=True)
def deferred_acceptance(
    k: Packed, mentees: IntArray, capacity: Any, chunk: int, top_score: int, th: Thresholds
) -> IntArray:
    """Mentee-proposing deferred acceptance with preference lists generated on demand,
    ``chunk`` entries at a time per mentee (``top_score``: a score above every possible score;
    ``th``: from no_thresholds, updated in place), on one thread: :func:`proposals_part` of
    every mentee on the state of :func:`proposals`.

    A list chunk skips full mentors that already hold someone they prefer: thresholds only
    rise, so those proposals would be refused anyway. The result is the mentee-optimal stable
    matching of the full lists."""
    st = proposals(k, capacity, chunk, top_score, th)
    proposals_part(k, mentees, chunk, th, st)
    return st.assignment


@njit(cache=True, nogil=True)
def _price_scan(
    k: Packed, mentees: IntArray, want: int, top_score: int, pr: Prices, th: Thresholds
) -> tuple[IntArray, IntArray, IntArray, FloatArray]:
    """Pricing: up to ``want`` pairs of each mentee with a positive reduced value (score -
    price - floor), and its largest reduced value over *all* pairs (0 when none is positive):
    a scan stops once its best value beats every block left (that value is the true maximum)
    or no block left can be positive."""
    n = len(mentees)
    out_i = np.empty(n * want, np.int64)
    out_j = np.empty(n * want, np.int64)
    out_s = np.empty(n * want, np.int64)
    best = np.zeros(n)
    keep = np.zeros(n * want, np.bool_)
    top = _new_top(want)
    for t in range(n):
        i = mentees[t]
        c = _top_of(k, i, want, top_score, -1, top, th, pr, True)
        for q in range(c):
            out_i[t * want + q] = i
            out_j[t * want + q] = top.mentor[q]
            out_s[t * want + q] = top.score[q]
            keep[t * want + q] = True
        if c:
            best[t] = top.value[0] - pr.floor[i]
    return out_i[keep], out_j[keep], out_s[keep], best


def top_lists(
    k: Packed,
    mentees: IntArray,
    want: int,
    cut_score: IntArray,
    cut_mentor: IntArray,
    th: Thresholds,
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """Each mentee's ``want`` best (score desc, mentor asc) acceptable mentors after its cutoff
    (pairs ranked after (cut_score[i], cut_mentor[i]); cut_score > max score: from the top).
    Returns edges (mentee, mentor, score) and per given mentee the number found."""
    n = len(mentees)
    cut = np.stack([cut_score, cut_mentor]).astype(np.int64)
    return _on_threads(lambda lo, hi: _top_lists(k, mentees[lo:hi], want, cut[:, lo:hi], th), n)


def price_scan(
    k: Packed, mentees: IntArray, want: int, top_score: int, pr: Prices, th: Thresholds
) -> tuple[IntArray, IntArray, IntArray, FloatArray]:
    """Pricing: up to ``want`` pairs of each mentee with a positive reduced value (score -
    price - floor), and its largest reduced value over *all* pairs (0 when none is positive):
    a scan stops once its best value beats every block left (that value is the true maximum)
    or no block left can be positive."""
    return _on_threads(
        lambda lo, hi: _price_scan(k, mentees[lo:hi], want, top_score, pr, th), len(mentees)
    )


def _on_threads(run: Callable[[int, int], tuple[Any, ...]], n: int) -> tuple[Any, ...]:
    """Mentees' scans are independent and the kernels release the GIL: slices of the mentee
    list run on THREADS threads (several slices each, so a slow one does not leave a core
    idle); the parts are joined in order, so the result is the same as one serial call. A
    thread may lose an increment of the ``stats`` counters, nothing else is written."""
    if THREADS == 1 or n < MIN_PARALLEL:
        return run(0, n)
    cuts = np.linspace(0, n, THREADS * SLICES_PER_THREAD + 1).astype(np.int64).tolist()
    with ThreadPoolExecutor(THREADS) as pool:
        parts = list(pool.map(run, cuts[:-1], cuts[1:]))
    return tuple(np.concatenate(column) for column in zip(*parts, strict=True))


@njit(cache=True)
def _update_worst(
    j: int, offset: Any, held_i: Any, held_s: Any, worst_s: Any, worst_i: Any
) -> None:
    ws, wi = 1 << 40, -1
    for slot in range(offset[j], offset[j + 1]):
        s, i = held_s[slot], held_i[slot]
        if s < ws or (s == ws and i > wi):
            ws, wi = s, i
    worst_s[j] = ws
    worst_i[j] = wi


class Proposals(NamedTuple):
    """Deferred acceptance's state, shared by the parts that :func:`proposals_part` runs on
    threads: per mentor its held mentees (slots ``offset[j]:offset[j + 1]``) and load, the
    leaves holding it (``leaf_of[copies[j]:copies[j + 1]]``); per mentee its mentor, its
    current list chunk and where it stands in it."""

    offset: IntArray
    held_i: IntArray
    held_s: IntArray
    load: IntArray
    copies: IntArray
    leaf_of: IntArray
    assignment: IntArray
    buf_s: Any
    buf_j: Any
    pos: IntArray
    size: IntArray
    done: BoolArray
    cut_s: IntArray
    cut_j: IntArray


@njit(cache=True)
def proposals(k: Packed, capacity: Any, chunk: int, top_score: int, th: Thresholds) -> Proposals:
    """Deferred acceptance's state before any proposal: mentors without a place are full and
    refuse everyone (``th`` updated in place)."""
    n_i = len(k.i_field)
    n_j = len(capacity)
    offset = np.zeros(n_j + 1, np.int64)
    for j in range(n_j):
        offset[j + 1] = offset[j] + max(capacity[j], 0)
    copies = np.zeros(n_j + 1, np.int64)
    for m in range(len(k.members)):
        copies[k.members[m] + 1] += 1
    for j in range(n_j):
        copies[j + 1] += copies[j]
    leaf_of = np.empty(len(k.members), np.int64)
    fill = copies[:-1].copy()
    for leaf in range(len(k.leaf_start) - 1):
        for m in range(k.leaf_start[leaf], k.leaf_start[leaf + 1]):
            j = k.members[m]
            leaf_of[fill[j]] = leaf
            fill[j] += 1
    for j in range(n_j):
        if capacity[j] <= 0:
            th.full[j] = True
            th.worst_s[j] = 1 << 40
            for c in range(copies[j], copies[j + 1]):
                th.open[leaf_of[c]] -= 1
    return Proposals(
        offset,
        np.empty(offset[n_j], np.int64),
        np.empty(offset[n_j], np.int64),
        np.zeros(n_j, np.int64),
        copies,
        leaf_of,
        np.full(n_i, -1, np.int64),
        np.empty((n_i, chunk), np.int64),
        np.empty((n_i, chunk), np.int64),
        np.zeros(n_i, np.int64),
        np.zeros(n_i, np.int64),
        np.zeros(n_i, np.bool_),
        np.full(n_i, top_score, np.int64),
        np.full(n_i, -1, np.int64),
    )


@njit(cache=True, nogil=True)
def proposals_part(k: Packed, mentees: IntArray, chunk: int, th: Thresholds, st: Proposals) -> None:
    """Deferred acceptance's proposals of ``mentees`` (and of the mentees they displace),
    on the state ``st`` of :func:`proposals`. Parts whose mentees reach disjoint sets of
    blocks (hence mentors and leaves) touch disjoint entries of ``st`` and ``th``, so they
    may run at the same time on threads (the GIL is released); each part then ends in its
    own mentee-optimal stable matching, the one of the whole problem restricted to it."""
    full, worst_s, worst_i = th.full, th.worst_s, th.worst_i
    offset, held_i, held_s, load = st.offset, st.held_i, st.held_s, st.load
    copies, leaf_of, assignment = st.copies, st.leaf_of, st.assignment
    buf_s, buf_j, pos, size, done = st.buf_s, st.buf_j, st.pos, st.size, st.done
    cut_s, cut_j = st.cut_s, st.cut_j
    top = _new_top(chunk)
    pr = _zero_prices(k)
    queue = np.empty(max(len(mentees), 1), np.int64)
    queue[: len(mentees)] = mentees
    head, size_q = 0, len(mentees)
    while size_q > 0:
        i = queue[head]
        head = (head + 1) % len(queue)
        size_q -= 1
        while True:
            if pos[i] == size[i]:
                if done[i]:
                    break
                c = _top_of(k, i, chunk, cut_s[i], cut_j[i], top, th, pr)
                buf_s[i, :c] = top.score[:c]
                buf_j[i, :c] = top.mentor[:c]
                pos[i] = 0
                size[i] = c
                done[i] = c < chunk
                if c == 0:
                    break
            s = buf_s[i, pos[i]]
            j = buf_j[i, pos[i]]
            pos[i] += 1
            cut_s[i] = s
            cut_j[i] = j
            if not full[j]:
                slot = offset[j] + load[j]
                held_i[slot] = i
                held_s[slot] = s
                load[j] += 1
                assignment[i] = j
                if load[j] == offset[j + 1] - offset[j]:
                    full[j] = True
                    _update_worst(j, offset, held_i, held_s, worst_s, worst_i)
                    for c in range(copies[j], copies[j + 1]):
                        th.open[leaf_of[c]] -= 1
                break
            if s > worst_s[j] or (s == worst_s[j] and i < worst_i[j]):
                loser = worst_i[j]
                for slot in range(offset[j], offset[j + 1]):
                    if held_i[slot] == loser:
                        held_i[slot] = i
                        held_s[slot] = s
                        break
                assignment[loser] = -1
                assignment[i] = j
                _update_worst(j, offset, held_i, held_s, worst_s, worst_i)
                queue[(head + size_q) % len(queue)] = loser
                size_q += 1
                break
