import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matching_engine.algorithms import kernels
from matching_engine.algorithms.blocks import REMOTE, build_index
from matching_engine.scoring import score_block
from tests.engine.instances import random_problem


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 100_000),
    same_org=st.booleans(),
    senior=st.booleans(),
    hard_gender=st.booleans(),
)
def test_block_bounds_are_upper_bounds_and_ranked_blocks_cover_every_feasible_pair(
    seed, same_org, senior, hard_gender
):
    p = random_problem(
        seed, 40, 30, same_organization=same_org, more_experienced=senior,
        hard_gender=hard_gender,
    )  # fmt: skip
    packed = kernels.pack(p, build_index(p, np.ones(p.n_mentors, bool)))
    scores, ok = score_block(p, np.arange(p.n_mentees), np.arange(p.n_mentors))
    no_price = np.zeros(len(packed.family))
    for i in range(p.n_mentees):
        blocks, bounds, _ = kernels._ranked_blocks(packed, i, no_price, -np.inf)
        assert (np.diff(bounds) <= 0).all()  # best bound first
        covered = np.zeros(p.n_mentors, bool)
        for b, bound in zip(blocks.tolist(), bounds.tolist(), strict=True):
            members = packed.members[packed.start[b] : packed.start[b + 1]]
            if packed.family[b] == REMOTE:  # same-region mentors count in the region block
                members = members[p.mentors.region[members] != p.mentees.region[i]]
            covered[members] = True
            assert (scores[i, members][ok[i, members]] <= bound).all()
        # Blocks left out (other places, or closed by a rule) hold no acceptable pair.
        assert covered[ok[i]].all()


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 100_000))
def test_blocks_hold_each_usable_mentor_once_per_place_family(seed):
    p = random_problem(seed, 10, 40)
    usable = np.random.default_rng(seed).random(p.n_mentors) < 0.7
    index = build_index(p, usable)
    packed = kernels.pack(p, index)
    copies = np.bincount(packed.members, minlength=p.n_mentors)
    remote_copy = usable & p.mentors.remote & (p.mentors.region >= 0)
    assert (copies == usable.astype(int) + remote_copy.astype(int)).all()
    # Leaves partition each block, and a leaf holds mentors of one occupation.
    assert packed.leaf_start[packed.leaf_ptr[:-1]].tolist() == packed.start[:-1].tolist()
    for leaf in range(len(packed.leaf_start) - 1):
        occ = p.mentors.occupation[
            packed.members[packed.leaf_start[leaf] : packed.leaf_start[leaf + 1]]
        ]
        assert (occ == packed.leaf_occupation[leaf]).all()
        assert len(occ) <= kernels.LEAF
