"""National-scale solvers that never score every pair, with exactness guarantees.

The stable mode's national-scale solver (``stable_parts``) takes its mentees' order and
list chunk from here.

``solve_priced``: column generation. An auction (``auction``) solves the candidate pairs and
keeps its prices between rounds; König covers from alternating paths prove the counts of
matched (priority) mentees maximal over all pairs, and the slot prices bound the score; every
pair that breaks either certificate is added (found through block bounds), until none is left
or the bound proves ``STOP_RATIO`` of the optimum.
"""

from __future__ import annotations

import numpy as np

from matching_engine.algorithms import kernels
from matching_engine.algorithms.auction import Auction, merge_pairs, pair_order, sorted_runs
from matching_engine.algorithms.blocks import (
    build_index,
)
from matching_engine.algorithms.edges import Edges
from matching_engine.model import I32, BoolArray, FloatArray, IntArray, Problem
from matching_engine.progress import SILENT, Note, Progress, figure
from matching_engine.scoring import score_pairs

LIST_CHUNK = 3  # preference-list entries built at a time per mentee (stable mode)
#: initial candidates per mentee (optimal mode) and improving pairs added per mentee per
#: pricing round: at 200k, 14 and 10 need 2 rounds (12 and 4 needed 3; see docs/benchmarks.md)
CANDIDATES = 14
PER_MENTEE = 10
COVER_PAIRS = 4  # pairs added per reached mentee that breaks a König cover
MAX_ROUNDS = 60
THETA = 5.0  # auction ε divided by this between phases (fewer bids than 8 at 200k)
#: worth of matching a mentee, in top scores (priority mentees: three times it); raised
#: when the auction's counts are not maximal on the candidates
MATCHED_WORTH = 10
#: auction ε as a share of the score the stop rule may leave (see _target_eps)
EPS_SHARE = 0.15
DEBUG = False
#: Pricing stops once the prices prove the total score is at least this share of the optimum
#: (priority and coverage always proven maximal first).
STOP_RATIO = 0.995


def _by_place_and_field(p: Problem, mentees: IntArray) -> IntArray:
    """Mentees of one place and field next to each other: scanned one after the other, they
    visit the same blocks while these are in the processor's cache (results do not depend on
    the order)."""
    me = p.mentees
    keys = (me.occupation[mentees], me.field[mentees], me.remote[mentees], me.region[mentees])
    return mentees[np.lexsort(keys)]


def _free_mentees(p: Problem) -> IntArray:
    locked = np.zeros(p.n_mentees, bool)
    locked[p.locked_mentee] = True
    return np.flatnonzero(~locked)


def _dedupe(edges: Edges, n_mentees: int, n_mentors: int) -> Edges:
    """Each pair once (its first copy), sorted by mentee then mentor."""
    done, i, j, score = sorted_runs(edges.mentee, edges.mentor, edges.score, n_mentees)
    if done:  # each mentee's pairs were consecutive (a scan's)
        return Edges(i, j, score)
    order = pair_order(edges.mentee, edges.mentor, n_mentees, n_mentors)
    i, j = edges.mentee[order], edges.mentor[order]
    first = np.ones(len(order), bool)
    first[1:] = (i[1:] != i[:-1]) | (j[1:] != j[:-1])
    return Edges(i[first], j[first], edges.score[order[first]])


def _add_pairs(cand: Edges, found: list[Edges], n_mentees: int, n_mentors: int) -> Edges:
    """``cand`` (deduplicated and sorted) with the ``found`` pairs it lacks, sorted: the new
    pairs are sorted alone and merged in, where sorting every pair again cost seconds a round
    at 200k. The same pairs and scores as ``_dedupe`` of them all (a pair keeps its first
    copy)."""
    merged = (cand.mentee, cand.mentor, cand.score)
    new: tuple[IntArray, IntArray, FloatArray] | None = None
    for edges in found:  # each scan's pairs alone (consecutive by mentee), then merged
        some = _dedupe(edges, n_mentees, n_mentors)
        part = (some.mentee, some.mentor, some.score)
        new = part if new is None else merge_pairs(new, part)  # earlier scans' copies first
    if new is not None:
        merged = merge_pairs(merged, new)
    return Edges(*merged)


def _exact_eps(n: int) -> float:
    """n·ε ≤ 1/4: with the float tolerance below, the gap stays under 1 (integer worths)."""
    return 0.25 / (n + 1)


def _target_eps(n: int, smax: int) -> float:
    """Auction ε: fine enough that n·ε stays a small part of the score the stop rule may
    leave (with integer worths, ε < 1 / n gives the exact optimum on the candidates)."""
    exact = _exact_eps(n)
    if STOP_RATIO >= 1:
        return exact
    return max(exact, EPS_SHARE * (1 - STOP_RATIO) * smax)


def solve_priced(
    p: Problem, capacity: I32, bonus: IntArray | None = None, *, progress: Progress = SILENT
) -> tuple[IntArray, float | None]:
    """Lexicographic optimum, or a proven share of it; returns the assignment and the proven
    upper bound of the total score (equal to its total when proven optimal).

    ``bonus[i]`` is added to every score of mentee i (parity targets), below coverage.
    ``progress`` hears a note per pricing round (pairs, mentees matched, bound proven)."""
    usable = capacity > 0
    extra = np.zeros(p.n_mentees, np.int64) if bonus is None else bonus
    packed = kernels.pack(p, build_index(p, usable))
    mentees = _by_place_and_field(p, _free_mentees(p))
    top = p.criteria.weights.max_score() + 1
    anyone = kernels.no_thresholds(packed, p.n_mentors)
    progress.note(
        Note(
            f"candidate lists: the {CANDIDATES} best mentors of each mentee",
            f"listes de candidats\u202f: les {CANDIDATES} meilleur·es mentors de chaque mentoré·e",
        )
    )
    cut = np.full(len(mentees), top), np.full(len(mentees), -1)
    ci, cj, cs, _ = kernels.top_lists(packed, mentees, CANDIDATES, *cut, anyone)
    cand = _dedupe(Edges(ci, cj, cs.astype(np.float64)), p.n_mentees, p.n_mentors)
    smax = max(p.criteria.weights.max_score() + int(extra.max(initial=0)), 1)
    prio = p.mentees.priority
    free = np.zeros(p.n_mentees, bool)
    free[mentees] = True
    levels = (free & prio, free)  # priority mentees matched, then mentees matched
    auction = Auction(p.n_mentees, capacity)
    eps = _target_eps(len(mentees), smax)
    tol = 0.25 / (len(mentees) + 1)  # prices are fractional: a candidate may round to +1e-9
    bonus_matched = MATCHED_WORTH * smax
    assignment = np.full(p.n_mentees, -1, np.int64)
    for number in range(1, MAX_ROUNDS + 1):
        value = cand.score.astype(np.int64) + extra[cand.mentee]
        worth = value + bonus_matched * (1 + 2 * prio[cand.mentee])
        auction.set_pairs(cand.mentee, cand.mentor, worth.astype(np.float64))
        auction.solve(eps, THETA)
        assignment = auction.assignment()
        progress.note(_round_note(number, len(cand.mentee), assignment, None))
        reach = [auction.alternating_reach(allowed) for allowed in levels]
        if any(room for _, _, room in reach):
            bonus_matched *= 4  # the counts are not maximal yet: weigh them more
            continue
        found = [
            _cover_breaches(packed, reached_i & allowed, reached_j, usable, top, anyone)
            for (reached_i, reached_j, _), allowed in zip(reach, levels, strict=True)
        ]
        v, u = auction.mentor_price(), auction.profits()
        floor: FloatArray = u + tol - bonus_matched * (1 + 2 * prio) - extra
        prices = kernels.scan_prices(packed, np.where(usable, v, np.inf), floor)
        fi, fj, fs, best = kernels.price_scan(packed, mentees, PER_MENTEE, top, prices, anyone)
        gap = auction.dual_bound() + float(best.sum()) + tol * len(mentees) - auction.worth()
        certified = all(len(f) == 0 for f in found)
        if certified and len(fi) == 0 and gap < 1:  # integer worths: nothing better exists
            progress.note(_round_note(number, len(cand.mentee), assignment, 1.0))
            return assignment, _score_total(p, assignment)
        if certified:
            total = _score_total(p, assignment)
            share = total / (total + gap) if total + gap > 0 else 1.0
            progress.note(_round_note(number, len(cand.mentee), assignment, share))
            if total >= STOP_RATIO * (total + gap):
                return assignment, total + gap
        if DEBUG:
            print("round", len(cand), [len(f) for f in found], len(fi),
                  int((assignment >= 0).sum()), auction.bids, gap)  # fmt: skip
        if certified and len(fi) == 0:
            eps = max(eps / THETA, _exact_eps(len(mentees)))
            continue
        found.append(Edges(fi, fj, fs.astype(np.float64)))
        cand = _add_pairs(cand, found, p.n_mentees, p.n_mentors)
    return assignment, None


def _round_note(number: int, pairs: int, assignment: IntArray, share: float | None) -> Note:
    """What a pricing round tells: its number, the candidate pairs, the mentees matched and,
    once coverage is proven maximal, the share of the optimum the prices prove."""
    matched = int((assignment >= 0).sum())
    en = f"round {number} · {figure(pairs, 'en')} candidate pairs · {figure(matched, 'en')} matched"
    fr = (
        f"tour {number} · {figure(pairs, 'fr')} paires candidates · "
        f"{figure(matched, 'fr')} appariés"
    )
    if share is not None:
        en += f" · score proven ≥ {share:.2%} of the optimum"
        fr += f" · score prouvé ≥ {figure(100 * share, 'fr', 2)}\u202f% de l'optimum"
    return Note(en, fr)


def _cover_breaches(
    packed: kernels.Packed,
    reached: BoolArray,
    reached_j: BoolArray,
    usable: BoolArray,
    top: int,
    anyone: kernels.Thresholds,
) -> Edges:
    """Pairs (any score) of the full graph between a reached mentee and a mentor not reached:
    none means the alternating-path cover of the candidates covers every pair, so no matching
    at all matches more of these mentees (König); otherwise they are candidates to add."""
    blocked = np.where(usable & ~reached_j, 0.0, np.inf)
    floor = np.full(len(reached), -0.5)  # every feasible pair (scores are >= 0) is kept
    prices = kernels.scan_prices(packed, blocked, floor)
    mentees = np.flatnonzero(reached)
    fi, fj, fs, _ = kernels.price_scan(packed, mentees, COVER_PAIRS, top, prices, anyone)
    return Edges(fi, fj, fs.astype(np.float64))


def _score_total(p: Problem, assignment: IntArray) -> float:
    idx = np.flatnonzero(assignment >= 0)
    scores, _ = score_pairs(p, idx, assignment[idx])
    return float(scores.sum())
