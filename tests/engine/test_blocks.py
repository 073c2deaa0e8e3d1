import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matching_engine.algorithms.blocks import (
    NO_BLOCK,
    block_bounds,
    build_index,
    reachable_blocks,
)
from matching_engine.scoring import score_block
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
