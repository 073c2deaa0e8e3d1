"""The pricing scan, which skips the blocks and leaves it can prove useless, returns what
scoring every pair would: the same pairs, the same best values (issue 24, point 1)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matching_engine.algorithms import kernels
from matching_engine.algorithms.blocks import build_index
from matching_engine.algorithms.edges import profile_edges
from tests.engine.instances import random_problem


def _setup(seed: int, n_mentees: int, n_mentors: int):
    p = random_problem(seed, n_mentees, n_mentors, exclusions=10)
    packed = kernels.pack(p, build_index(p, np.ones(p.n_mentors, bool)))
    top = p.criteria.weights.max_score() + 1
    return p, packed, top, kernels.no_thresholds(packed, p.n_mentors)


def _prices(rng: np.random.Generator, n: int, top: int, unusable: float) -> np.ndarray:
    """Whole and fractional prices (ties with scores happen), some mentors unusable (inf,
    as the cover scans block the mentors already reached)."""
    price = np.where(rng.random(n) < 0.5, rng.integers(0, top, n), rng.uniform(0, top, n))
    return np.where(rng.random(n) < unusable, np.inf, price.astype(np.float64))


def _scan(packed, mentees, want, top, prices, state):
    fi, fj, fs, best = kernels.price_scan(packed, mentees, want, top, prices, state)
    return [fi.tolist(), fj.tolist(), fs.tolist(), best.tolist()]


@settings(max_examples=40, deadline=None)  # the first example compiles the kernels
@given(seed=st.integers(0, 100_000), want=st.integers(1, 6), unusable=st.sampled_from([0, 0.5]))
def test_price_scan_finds_what_scoring_every_pair_finds(seed, want, unusable):
    # Against numpy over every feasible pair (remote mentors included): each mentee's best
    # value above its floor is exact, its first pair is the best one (value, then lower
    # mentor index), it gets min(want, pairs above the floor) pairs, all above the floor.
    p, packed, top, state = _setup(seed, 60, 30)
    rng = np.random.default_rng(seed)
    price = _prices(rng, p.n_mentors, top, unusable)
    floor = rng.uniform(-1, top / 2, p.n_mentees)
    floor[rng.random(p.n_mentees) < 0.2] = -0.5  # every pair to a usable mentor qualifies
    mentees = rng.permutation(p.n_mentees)
    prices = kernels.scan_prices(packed, price, floor)
    fi, fj, fs, best = kernels.price_scan(packed, mentees, want, top, prices, state)
    e = profile_edges(p)
    value = e.score - price[e.mentor]
    above = value > floor[e.mentee]
    pairs = zip(e.mentee.tolist(), e.mentor.tolist(), strict=True)
    score_of = dict(zip(pairs, e.score.tolist(), strict=True))
    for t, i in enumerate(mentees.tolist()):
        mine = above & (e.mentee == i)
        got = fi == i
        assert int(got.sum()) == min(want, int(mine.sum()))
        if not mine.any():
            assert best[t] == 0
            continue
        order = np.lexsort((e.mentor[mine], -value[mine]))
        assert best[t] == value[mine][order[0]] - floor[i]
        assert fj[got][0] == e.mentor[mine][order[0]]
        for j, s in zip(fj[got].tolist(), fs[got].tolist(), strict=True):
            assert score_of[i, j] == s
            assert s - price[j] > floor[i]
