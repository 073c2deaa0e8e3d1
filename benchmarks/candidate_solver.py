"""Candidate-graph solver of the optimal mode: OR-Tools (from scratch) vs incremental.

    .venv/bin/python -m benchmarks.candidate_solver 50000
    .venv/bin/python -m benchmarks.candidate_solver 200000 --no-ortools --rounds 8

Replays the column generation of ``scaled.solve_priced`` on ``benchmarks.matching.generate(n)``
and, on each round's candidate graph (previous edges first, new ones appended), times in CPU
seconds: OR-Tools ``lexicographic_assignment`` + ``mentor_prices`` (the current path),
``incremental.solve_candidates`` cold, and warm from the previous round's state. It checks
that the three agree on priority matched, matched and total score, and prints the duality gap
of the incremental duals. Pricing (which pairs enter the next round) uses the OR-Tools path's
duals when it runs, so the graphs are those of the real rounds; with ``--no-ortools`` it uses
the incremental solver's duals.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from benchmarks.matching import generate
from matching_engine.algorithms import kernels, scaled
from matching_engine.algorithms.blocks import build_index
from matching_engine.algorithms.edges import Edges, concat
from matching_engine.algorithms.incremental import WarmState, solve_candidates
from matching_engine.algorithms.optimal import big_constants, lexicographic_assignment
from matching_engine.model import IntArray


def _counts(
    assignment: IntArray, prio: np.ndarray, cand: Edges, n_mentors: int
) -> tuple[int, int, int]:
    m = np.flatnonzero(assignment >= 0)
    key = m * n_mentors + assignment[m]
    cand_key = cand.mentee * n_mentors + cand.mentor
    order = np.argsort(cand_key)
    pos = order[np.searchsorted(cand_key[order], key)]
    assert (cand_key[pos] == key).all()
    return int(prio[m].sum()), len(m), int(cand.score[pos].astype(np.int64).sum())


def _warm_up() -> None:
    """Compile (or load) the numba kernels outside the timings."""
    e = np.array([0, 1], np.int64)
    solve_candidates(2, 2, e, e, e, np.ones(2, np.int32), np.zeros(2, bool))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("size", type=int, nargs="?", default=200_000)
    parser.add_argument("--no-ortools", action="store_true")
    parser.add_argument("--rounds", type=int, default=scaled.MAX_ROUNDS)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--budget", type=int, default=None, help="solver search budget")
    parser.add_argument("--save", metavar="PREFIX", help="save each round's graph to PREFIX<k>.npz")
    args = parser.parse_args()
    _warm_up()
    p = generate(args.size, args.seed)
    capacity = p.mentors.capacity
    usable = capacity > 0
    prio = p.mentees.priority
    extra = np.zeros(p.n_mentees, np.int64)
    cpu = time.process_time()
    packed = kernels.pack(p, build_index(p, usable))
    mentees = np.arange(p.n_mentees)
    top = p.criteria.weights.max_score() + 1
    anyone = kernels.no_thresholds(packed, p.n_mentors)
    cut = np.full(len(mentees), top), np.full(len(mentees), -1)
    ci, cj, cs, _ = kernels.top_lists(packed, mentees, scaled.CANDIDATES, *cut, anyone)
    cand = Edges(ci, cj, cs.astype(np.float64))
    print(
        f"size {args.size}: {len(cand)} initial candidates, {time.process_time() - cpu:.1f} s cpu"
    )
    smax = p.criteria.weights.max_score()
    bigs = big_constants(smax, min(len(mentees), int(capacity.sum())))
    big_a, big_b = bigs
    print(f"{'round':>5} {'edges':>9} {'ortools s':>9} {'cold s':>7} {'warm s':>7} "
          f"{'excess':>7} {'fwd':>7} {'rev':>6} {'pops':>9} {'gap':>4}  "
          "(prio, matched, score)")  # fmt: skip
    state: WarmState | None = None
    opts = {} if args.budget is None else {"budget": args.budget}
    totals = {"ortools": 0.0, "cold": 0.0, "warm": 0.0}
    for rnd in range(args.rounds):
        value = cand.score.astype(np.int64) + extra[cand.mentee]
        if args.save:
            np.savez(f"{args.save}{rnd + 1}.npz", mentee=cand.mentee, mentor=cand.mentor,
                     score=value, capacity=capacity, priority=prio,
                     bigs=np.array(bigs))  # fmt: skip
        weight = value + big_b + big_a * prio[cand.mentee]
        ref_s, ref = float("nan"), None
        if not args.no_ortools:
            t = time.process_time()
            ref_a = lexicographic_assignment(
                p.n_mentees, p.n_mentors, cand.mentee, cand.mentor, value, capacity, prio
            )
            ref_v, ref_u = scaled.mentor_prices(
                p.n_mentors, cand.mentee, cand.mentor, weight, ref_a
            )
            ref_s = time.process_time() - t
            ref = _counts(ref_a, prio, cand, p.n_mentors)
            totals["ortools"] += ref_s
        t = time.process_time()
        cold_a, cold_v, cold_u, cold_st = solve_candidates(
            p.n_mentees,
            p.n_mentors,
            cand.mentee,
            cand.mentor,
            value,
            capacity,
            prio,
            bigs=bigs,
            **opts,
        )
        cold_s = time.process_time() - t
        totals["cold"] += cold_s
        cold = _counts(cold_a, prio, cand, p.n_mentors)
        warm_s, warm, st = float("nan"), cold, cold_st
        if state is not None:
            t = time.process_time()
            warm_a, warm_v, warm_u, st = solve_candidates(
                p.n_mentees, p.n_mentors, cand.mentee, cand.mentor, value, capacity, prio,
                warm=state, bigs=bigs, **opts,
            )  # fmt: skip
            warm_s = time.process_time() - t
            totals["warm"] += warm_s
            warm = _counts(warm_a, prio, cand, p.n_mentors)
        else:
            warm_a, warm_v, warm_u = cold_a, cold_v, cold_u
        state = st
        agree = cold == warm and (ref is None or ref == cold)
        s = st.stats
        print(f"{rnd + 1:>5} {len(cand):>9} {ref_s:>9.2f} {cold_s:>7.2f} {warm_s:>7.2f} "
              f"{s['excess']:>7} {s['forward']:>7} {s['reverse']:>6} {s['pops']:>9} "
              f"{st.gap:>4}  {cold} {'equal' if agree else f'DIFFER ref={ref} warm={warm}'}",
              flush=True)  # fmt: skip
        # Pricing, as in solve_priced, with the reference duals when there are some.
        v, u = (ref_v, ref_u) if ref is not None else (warm_v, warm_u)
        assignment = ref_a if ref is not None else warm_a
        floor = u - big_b - big_a * prio - extra.astype(np.float64)
        prices = kernels.mentor_prices(packed, np.where(usable, v, np.inf), floor)
        fi, fj, fs, best = kernels.price_scan(
            packed, mentees, scaled.PER_MENTEE, top, prices, anyone
        )
        if len(fi) == 0:
            print("no improving pair left: candidate optimum proven optimal")
            break
        bound = scaled._proven_bound(p, cand, assignment, extra, capacity, (v, u, best), bigs)
        total = scaled._score_total(p, assignment)
        if bound is not None:
            print(f"      proven >= {total / bound:.4%} of the optimum")
            if total >= scaled.STOP_RATIO * bound:
                break
        found = Edges(fi, fj, fs.astype(np.float64))
        old_key = cand.mentee * p.n_mentors + cand.mentor
        new_key = found.mentee * p.n_mentors + found.mentor
        fresh = ~np.isin(new_key, old_key)
        _, first = np.unique(new_key[fresh], return_index=True)
        keep = np.flatnonzero(fresh)[np.sort(first)]
        cand = concat([cand, Edges(found.mentee[keep], found.mentor[keep], found.score[keep])])
    print(
        f"total cpu s: ortools {totals['ortools']:.2f}, cold {totals['cold']:.2f}, "
        f"warm (rounds 2+) {totals['warm']:.2f}"
    )


if __name__ == "__main__":
    main()
