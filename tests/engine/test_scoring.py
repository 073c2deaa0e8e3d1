import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matching_engine import explain_pair
from matching_engine.algorithms.edges import all_edges
from matching_engine.scoring import bit_positions, score_block, score_pairs
from tests.engine.instances import random_problem


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_explanation_parts_sum_to_the_score(seed):
    p = random_problem(seed, 8, 6)
    ii, jj = np.meshgrid(np.arange(8), np.arange(6), indexing="ij")
    scores, _ = score_pairs(p, ii.ravel(), jj.ravel())
    for i, j, s in zip(ii.ravel().tolist(), jj.ravel().tolist(), scores.tolist(), strict=True):
        explanation = explain_pair(p, i, j)
        assert explanation.total == s
        assert all(part.points > 0 and part.fr and part.en for part in explanation.parts)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_block_scoring_matches_pairwise_scoring(seed):
    p = random_problem(seed, 12, 9, exclusions=6)
    block, ok_block = score_block(p, np.arange(12), np.arange(9))
    ii, jj = np.meshgrid(np.arange(12), np.arange(9), indexing="ij")
    pair, ok_pair = score_pairs(p, ii.ravel(), jj.ravel())
    assert np.array_equal(block.ravel(), pair)
    assert np.array_equal(ok_block.ravel(), ok_pair)
    edges = all_edges(p)
    assert len(edges) == int(ok_pair.sum())


def test_explanation_reads_like_the_issue_example():
    from matching_engine import build_problem

    p = build_problem(
        [{"id": "e", "field": "Informatique", "skills": "SQL;gestion de projet;communication"}],
        [{"id": "m", "field": "Informatique", "skills": "SQL;communication;gestion de projet"}],
    )
    text = explain_pair(p, 0, 0).text("fr")
    assert text == (
        "Même domaine (Informatique) +30 · 3 compétences recherchées\u202f: "
        "SQL, gestion de projet, communication +24"
    )
    assert explain_pair(p, 0, 0).text("en").startswith("Same field (Informatique) +30")


@settings(max_examples=200, deadline=None)
@given(
    sets=st.lists(st.lists(st.integers(0, 4 * 64 - 1), max_size=12), max_size=30),
    words=st.integers(1, 4),
    cut=st.integers(0, 4 * 64),
)
def test_bit_positions_are_the_set_bits_row_by_row_in_order(sets, words, cut):
    # A table of bitsets as the encoder builds them (item k: bit k % 64 of word k // 64).
    table = np.zeros((len(sets), words), np.uint64)
    for row, items in enumerate(sets):
        for k in items:
            if k < 64 * words:
                table[row, k // 64] |= np.uint64(1) << np.uint64(k % 64)
    rows, cols = bit_positions(table, cut)
    expected = sorted({(r, k) for r, items in enumerate(sets) for k in items
                       if k < min(64 * words, cut)})  # fmt: skip
    assert list(zip(rows.tolist(), cols.tolist(), strict=True)) == expected
    assert rows.dtype == cols.dtype == np.int64
