"""Mentor blocks with score upper bounds, to avoid scoring pairs that cannot matter.

Mentors are grouped into blocks sharing a place family and a field: ``(region, field)`` for
every mentor with a region, ``(remote, field)`` for remote mentors (a second copy, reachable by
remote mentees of any region) and ``(anywhere, field)`` for mentors without a region. For any
mentee, the compiled kernels (``kernels``) bound its score with every mentor of a block from the
block's unions of skills, goals and slots, its occupations, genders…, so a block whose bound is
below a threshold is skipped without scoring its pairs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matching_engine.model import I32, U64, BoolArray, IntArray, Problem

REMOTE, ANYWHERE = -2, -3


@dataclass(frozen=True)
class BlockIndex:
    """Mentors grouped in blocks of similar profiles, with per-block unions and maxima from
    which an upper bound of any pair's score with a block member is computed."""

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
    #: with the same-organization rule, blocks are split by organization (else all -1).
    organization: I32

    @property
    def n_blocks(self) -> int:
        """Number of blocks."""
        return len(self.family)


def build_index(p: Problem, usable: BoolArray) -> BlockIndex:
    """Blocks over mentors where ``usable`` (free capacity > 0)."""
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
    key = ((family + 4) * n_fields + (mo.field[members] + 1)) * 16 + (mo.domain[members] + 1)
    by_org = p.criteria.rules.same_organization
    if by_org:
        key = key * (len(p.vocab.organizations) + 1) + (mo.organization[members] + 1)
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
        organization=mo.organization[first] if by_org else np.full(len(uniq), -1, np.int32),
    )
