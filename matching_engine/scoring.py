"""Vectorised compatibility scores and hard-rule feasibility (no Python loop over pairs)."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from matching_engine.model import I32, BoolArray, IntArray, Problem


def _popcount(x: NDArray[np.uint64]) -> NDArray[np.int32]:
    return np.bitwise_count(x).astype(np.int32)


def bit_positions(table: NDArray[np.uint64], n_bits: int) -> tuple[IntArray, IntArray]:
    """The (row, bit) of each bit below ``n_bits`` set in a 2-D table of bitsets (a row of
    ``uint64`` words each; bit b of word w is item 64 w + b), by row then bit: what
    ``np.nonzero`` of the unpacked bits gives, found from the non-zero bytes alone (a
    national run's 200,000 skill sets: 64 million bits, about 800,000 of them set)."""
    # Little-endian words: byte k of a row holds its bits 8k to 8k + 7.
    octets = np.ascontiguousarray(table, "<u8").view(np.uint8)
    rows, byte = np.nonzero(octets)
    bits = np.unpackbits(octets[rows, byte][:, None], axis=1, bitorder="little")
    at, bit = np.nonzero(bits)
    row, col = rows[at].astype(np.int64), byte[at].astype(np.int64) * 8 + bit
    keep = col < n_bits
    return row[keep], col[keep]


def components(p: Problem, ii: NDArray[Any], jj: NDArray[Any]) -> dict[str, I32]:
    """Integer points per criterion for broadcastable mentee/mentor index arrays."""
    w = p.criteria.weights
    me, mo = p.mentees, p.mentors
    f_i, f_j = me.field[ii], mo.field[jj]
    same_field = (f_i == f_j) & (f_i >= 0)
    d_i = me.domain[ii]
    same_domain = ~same_field & (d_i == mo.domain[jj]) & (d_i >= 0)
    o_i = me.occupation[ii]
    same_occ = (o_i == mo.occupation[jj]) & (o_i >= 0)
    sk_i, sk_j = me.skills[ii], mo.skills[jj]
    # Word by word: avoids a (mentees, mentors, words) temporary.
    skills = _popcount(sk_i[..., 0] & sk_j[..., 0])
    for word in range(1, sk_i.shape[-1]):
        skills += _popcount(sk_i[..., word] & sk_j[..., word])
    goals = _popcount(me.goals[ii] & mo.goals[jj])
    r_i = me.region[ii]
    same_region = (r_i == mo.region[jj]) & (r_i >= 0)
    avail = _popcount(me.availability[ii] & mo.availability[jj])
    pref = me.preferred_gender[ii]
    gender = (pref > 0) & (pref == mo.gender[jj])
    career = me.wants_career_changer[ii] & mo.career_changer[jj]
    e_i = np.maximum(me.experience[ii], 0)
    e_j = mo.experience[jj]
    senior = (e_j >= 0) & (e_j - e_i >= p.criteria.rules.seniority_min_gap)
    i32 = np.int32
    return {
        "field": same_field.astype(i32) * i32(w.field),
        "domain": same_domain.astype(i32) * i32(w.domain),
        "occupation": same_occ.astype(i32) * i32(w.occupation),
        "skills": np.minimum(skills, i32(w.skill_max)) * i32(w.skill),
        "goals": np.minimum(goals, i32(w.goal_max)) * i32(w.goal),
        "region": same_region.astype(i32) * i32(w.region),
        "availability": np.minimum(avail, i32(w.availability_max)) * i32(w.availability),
        "gender": gender.astype(i32) * i32(w.gender),
        "career_change": career.astype(i32) * i32(w.career_change),
        "seniority": senior.astype(i32) * i32(w.seniority),
    }


def total(parts: dict[str, I32]) -> I32:
    """Sum of the per-criterion points of ``components``."""
    values = list(parts.values())
    out = values[0].copy()
    for v in values[1:]:
        out += v
    return out


def rule_masks(
    p: Problem, ii: NDArray[Any], jj: NDArray[Any], *, place: bool = True
) -> dict[str, BoolArray]:
    """Each active hard rule's pass mask (broadcast), keyed by the rule's name (see
    ``HardRules``), excluding the sparse excluded pairs
    (``place=False``: the caller already knows the pairs are place-compatible)."""
    me, mo = p.mentees, p.mentors
    masks: dict[str, BoolArray] = {}
    if place:
        r_i, r_j = me.region[ii], mo.region[jj]
        remote = me.remote[ii] & mo.remote[jj]
        masks["same_region_unless_remote"] = (r_i < 0) | (r_j < 0) | (r_i == r_j) | remote
    masks["common_language"] = (me.languages[ii] & mo.languages[jj]) != 0
    if p.criteria.rules.different_organizations:
        o_i = me.organization[ii]
        masks["different_organizations"] = (o_i < 0) | (o_i != mo.organization[jj])
    if p.criteria.rules.same_organization:
        o_i = me.organization[ii]
        masks["same_organization"] = (o_i >= 0) & (o_i == mo.organization[jj])
    if p.criteria.rules.mentor_more_experienced:
        masks["mentor_more_experienced"] = mo.experience[jj] > np.maximum(me.experience[ii], 0)
    if p.criteria.rules.safeguarding_for_minors:
        masks["safeguarding_for_minors"] = ~minors(p)[ii] | checked_mentors(p)[jj]
    if p.criteria.rules.required_training:
        shape = np.broadcast(ii, jj).shape
        masks["required_training"] = np.broadcast_to(trained_mentors(p)[jj], shape)
    if p.criteria.rules.gender_preference_hard:
        pref = me.preferred_gender[ii]
        masks["gender_preference_hard"] = (pref == 0) | (pref == mo.gender[jj])
    if has_reservations(p):
        masks["reserved_places"] = reserved_ok(p, ii, jj)
    return masks


def trained_mentors(p: Problem) -> BoolArray:
    """Per mentor: required training completed (all False when the table has no column)."""
    trained = p.mentors.trained
    return trained if len(trained) == p.n_mentors else np.zeros(p.n_mentors, bool)


def has_reservations(p: Problem) -> bool:
    """Whether some mentor has places reserved for a partnership."""
    reserved = p.mentors.reserved_places
    return len(reserved) == p.n_mentors and bool((reserved > 0).any())


def partnership_member(p: Problem, ii: NDArray[Any], code: NDArray[Any]) -> BoolArray:
    """Whether mentee ii belongs to partnership ``code`` (broadcast; False for code -1)."""
    bits = partnership_bits(p)
    code = np.asarray(code)
    shift = np.maximum(code, 0).astype(np.uint64)
    member: BoolArray = ((bits[ii] >> shift) & np.uint64(1)).astype(bool) & (code >= 0)
    return member


def partnership_bits(p: Problem) -> NDArray[np.uint64]:
    """Per mentee: bitset of its partnerships (all zero when the table has no column)."""
    bits = p.mentees.partnerships
    return bits if len(bits) == p.n_mentees else np.zeros(p.n_mentees, np.uint64)


def required_partnership(p: Problem) -> I32:
    """Per mentor: the partnership whose mentees alone it takes (every place reserved for
    it), else -1."""
    mo = p.mentors
    if not has_reservations(p):
        return np.full(p.n_mentors, -1, np.int32)
    return np.where(mo.reserved_places >= mo.capacity, mo.reserved_for, -1).astype(np.int32)


def reserved_ok(p: Problem, ii: NDArray[Any], jj: NDArray[Any]) -> BoolArray:
    """The reserved-places rule: a mentor whose places are all reserved for a partnership
    takes only its mentees (a mentor with open places takes anyone; how many of its places
    go to non-members is a count, checked by ``Result.check_validity`` and kept by the
    solvers, which split each such mentor into open and reserved places)."""
    code = required_partnership(p)[jj]
    return np.asarray((code < 0) | partnership_member(p, ii, code))


def minors(p: Problem) -> BoolArray:
    """Per mentee: under 18 (all False when the table has no such column)."""
    minor = p.mentees.minor
    return minor if len(minor) == p.n_mentees else np.zeros(p.n_mentees, bool)


def checked_mentors(p: Problem) -> BoolArray:
    """Per mentor: safeguarding check recorded (all False when the table has no column)."""
    checked = p.mentors.safeguarding_checked
    return checked if len(checked) == p.n_mentors else np.zeros(p.n_mentors, bool)


def feasible(p: Problem, ii: NDArray[Any], jj: NDArray[Any]) -> BoolArray:
    """Whether each pair meets every hard rule (exclusions aside: see ``excluded_pairs``)."""
    ok: BoolArray | None = None
    for mask in rule_masks(p, ii, jj).values():
        ok = mask if ok is None else ok & mask
    assert ok is not None
    return ok


def excluded_pairs(p: Problem, ii: IntArray, jj: IntArray) -> BoolArray:
    """Elementwise: is (ii[k], jj[k]) an excluded / previous / conflict pair?"""
    keys = p.excluded_keys
    if len(keys) == 0:
        return np.zeros(np.broadcast(ii, jj).shape, bool)
    k = np.asarray(ii, np.int64) * p.n_mentors + np.asarray(jj, np.int64)
    pos = np.minimum(np.searchsorted(keys, k), len(keys) - 1)
    return np.asarray(keys[pos] == k)


def mark_excluded(p: Problem, ii: IntArray, jj: IntArray, ok: BoolArray) -> None:
    """Clear ok[a, b] for excluded pairs (ii[a], jj[b]) of a block (ii, jj sorted ascending)."""
    keys = p.excluded_keys
    if len(keys) == 0:
        return
    ex_i, ex_j = keys // p.n_mentors, keys % p.n_mentors
    a = np.searchsorted(ii, ex_i)
    b = np.searchsorted(jj, ex_j)
    a_ok = a < len(ii)
    b_ok = b < len(jj)
    hit = a_ok & b_ok
    hit[hit] &= (ii[a[hit]] == ex_i[hit]) & (jj[b[hit]] == ex_j[hit])
    ok[a[hit], b[hit]] = False


def score_block(p: Problem, ii: IntArray, jj: IntArray) -> tuple[I32, BoolArray]:
    """Scores and feasibility for every mentee in ii (sorted) × every mentor in jj (sorted)."""
    a, b = ii[:, None], jj[None, :]
    scores = total(components(p, a, b))
    ok = feasible(p, a, b)
    ok = np.broadcast_to(ok, scores.shape).copy()
    mark_excluded(p, ii, jj, ok)
    return scores, ok


def score_pairs(p: Problem, ii: IntArray, jj: IntArray) -> tuple[I32, BoolArray]:
    """Elementwise scores and feasibility for pairs (ii[k], jj[k])."""
    scores = total(components(p, ii, jj))
    ok = feasible(p, ii, jj) & ~excluded_pairs(p, ii, jj)
    return scores, ok
