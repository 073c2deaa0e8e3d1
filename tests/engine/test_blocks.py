import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matching_engine.algorithms.blocks import (
    NO_BLOCK,
    REMOTE,
    block_bounds,
    build_index,
    in_block_scores,
    reachable_blocks,
)
from matching_engine.scoring import excluded_pairs, score_block, score_pairs
from tests.engine.instances import random_problem


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 100_000), same_org=st.booleans(), senior=st.booleans())
def test_block_bounds_are_upper_bounds_and_blocks_cover_every_feasible_pair(seed, same_org, senior):
    p = random_problem(seed, 40, 30, same_organisation=same_org, more_experienced=senior)
    index = build_index(p, np.ones(p.n_mentors, bool))
    scores, ok = score_block(p, np.arange(p.n_mentees), np.arange(p.n_mentors))
    for i in range(p.n_mentees):
        me = p.mentees
        blocks = reachable_blocks(
            p, index, int(me.region[i]), bool(me.remote[i]), int(me.organisation[i])
        )
        bounds = block_bounds(p, index, np.array([i]), blocks)[0]
        covered = np.zeros(p.n_mentors, bool)
        for b, bound in zip(blocks.tolist(), bounds.tolist(), strict=True):
            members = index.members[index.start[b] : index.start[b + 1]]
            if bound == NO_BLOCK:  # a rule closes the whole block
                assert not ok[i, members].any()
                continue
            covered[members] = True
            assert (scores[i, members] <= bound).all()
        assert covered[ok[i]].all()


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 100_000), rules=st.integers(0, 7))
def test_in_block_scores_equal_pair_scores_on_reachable_blocks(seed, rules):
    p = random_problem(
        seed, 30, 25, exclusions=10, hard_gender=bool(rules & 1),
        same_organisation=bool(rules & 2), more_experienced=bool(rules & 4),
    )  # fmt: skip
    index = build_index(p, np.ones(p.n_mentors, bool))
    me = p.mentees
    for i in range(p.n_mentees):
        blocks = reachable_blocks(
            p, index, int(me.region[i]), bool(me.remote[i]), int(me.organisation[i])
        )
        for b in blocks.tolist():
            m = index.members[index.start[b] : index.start[b + 1]]
            scores, ok = in_block_scores(p, index, np.full(len(m), i), m, b)
            ok &= ~excluded_pairs(p, np.full(len(m), i), m)
            expected, expected_ok = score_pairs(p, np.full(len(m), i), m)
            if index.family[b] == REMOTE:  # same-region mentors are in the region block
                expected_ok &= p.mentors.region[m] != me.region[i]
            assert (ok == expected_ok).all()
            assert (scores[ok] == expected[ok]).all()
    # Dense form (mentees × a block's mentors) agrees with the pairwise form.
    rows = np.arange(p.n_mentees)
    for b in range(index.n_blocks):
        m = index.members[index.start[b] : index.start[b + 1]]
        dense, dense_ok = in_block_scores(p, index, rows[:, None], m[None, :], b)
        for i in rows.tolist():
            flat, flat_ok = in_block_scores(p, index, np.full(len(m), i), m, b)
            assert (dense[i] == flat).all()
            assert (dense_ok[i] == flat_ok).all()
