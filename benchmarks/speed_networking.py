"""An evening of speed networking planned end to end by ``mentorat match --mode rounds``
(issue 21): 300 mentees, 60 professionals, 8 rounds, tables of 5, on generated CSV files.

    .venv/bin/python -m benchmarks.speed_networking
    .venv/bin/python -m benchmarks.speed_networking --mentees 300 --professionals 60 --rounds 8

Printed next to baselines from the same run: the interpreter start and imports alone
(``mentorat --help``), the planner alone on the already-read problem (``plan_rounds``), and a
greedy planner (round by round, best remaining pair first), with its meetings and total score.
Target: the command under 10 s.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.matching import write_csv
from matching_engine.cli import _load
from matching_engine.rounds import plan_rounds, score_matrix


def write_evening(folder: Path, mentees: int, professionals: int, seed: int = 0) -> None:
    """mentees.csv and professionals.csv (the first rows of a generated program, every
    professional in the mentees' region so the evening is one city's)."""
    write_csv(max(mentees, 2 * professionals), folder, seed)
    for name, keep in (("mentees.csv", mentees), ("mentors.csv", professionals)):
        with (folder / name).open(encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        head, body = rows[0], rows[1 : keep + 1]
        region = head.index("region")
        for row in body:
            row[region] = "Île-de-France"
        target = folder / ("professionals.csv" if name == "mentors.csv" else name)
        with target.open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows([head, *body])


def _wall(cmd: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, env=os.environ)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {done.stderr.strip()}")
    return wall, done.stderr + done.stdout


def greedy(scores: np.ndarray, rounds: int, table_size: int) -> tuple[int, float]:
    """Round by round, best remaining allowed pair first: (meetings, total score)."""
    n, p = scores.shape
    met = ~np.isfinite(scores)
    order = np.argsort(-np.where(met, -1.0, scores), axis=None, kind="stable")
    meetings, total = 0, 0.0
    for _ in range(rounds):
        busy = np.zeros(n, bool)
        seats = np.zeros(p, np.int64)
        for cell in order.tolist():
            i, j = divmod(cell, p)
            if met[i, j] or busy[i] or seats[j] >= table_size:
                continue
            met[i, j] = busy[i] = True
            seats[j] += 1
            meetings += 1
            total += float(scores[i, j])
    return meetings, total


def main() -> None:
    """Run the evening and print the figures docs/benchmarks.md records."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mentees", type=int, default=300)
    parser.add_argument("--professionals", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--table-size", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    mentorat = str(Path(sys.executable).with_name("mentorat"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_evening(folder, args.mentees, args.professionals)
        cmd = [mentorat, "match", str(folder / "mentees.csv"), str(folder / "professionals.csv"),
               "--mode", "rounds", "--rounds", str(args.rounds),
               "--table-size", str(args.table_size), "-o", str(folder / "plan.csv")]  # fmt: skip
        startup = min(_wall([mentorat, "--help"])[0] for _ in range(args.repeat))
        runs = [_wall(cmd) for _ in range(args.repeat)]
        fewest = min(_wall([*cmd, "--favour-fewest"])[0] for _ in range(args.repeat))
        problem = _load(folder / "mentees.csv", folder / "professionals.csv", *[None] * 4)
        scores = score_matrix(problem)
        solver, plan = float("inf"), None
        for _ in range(args.repeat):
            started = time.perf_counter()
            plan = plan_rounds(scores, rounds=args.rounds, table_size=args.table_size)
            solver = min(solver, time.perf_counter() - started)
        started = time.perf_counter()
        g_meetings, g_total = greedy(scores, args.rounds, args.table_size)
        g_seconds = time.perf_counter() - started
    assert plan is not None
    wall = min(r[0] for r in runs)
    allowed = float(np.isfinite(scores).mean())
    print(
        f"evening: {args.mentees} mentees x {args.professionals} professionals, "
        f"{args.rounds} rounds, tables of {args.table_size}; {allowed:.0%} of pairs allowed"
    )
    print(f"mentorat match --mode rounds (end to end): {wall:.2f} s (best of {args.repeat})")
    print(f"  with --favour-fewest:                    {fewest:.2f} s")
    print(f"  baseline, interpreter + imports (--help): {startup:.2f} s")
    print(f"  baseline, plan_rounds alone:              {solver:.3f} s")
    print(f"  baseline, greedy round by round:          {g_seconds:.3f} s")
    loads = plan.professional_meetings
    print(
        f"plan: {plan.meetings} meetings, total score {plan.total_score:.0f} "
        f"(proven optimal: {plan.proven_optimal}), professionals see {loads.min()}-{loads.max()}"
    )
    print(
        f"greedy: {g_meetings} meetings, total score {g_total:.0f} "
        f"({g_total / plan.total_score:.1%} of the plan's)"
    )
    print(runs[0][1].strip())


if __name__ == "__main__":
    main()
