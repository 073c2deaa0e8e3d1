"""Compile the national-scale kernels of a fresh install on both cores, while the command
reads its files (issue 24).

The kernels are compiled by numba on their first call and kept in numba's cache (the
package's ``__pycache__`` folders when writable, else the user's cache folder, or
``NUMBA_CACHE_DIR``): a first national-scale run would otherwise spend 10–25 s compiling on
one core. When the cache of the kernels a mode needs is empty, :func:`start` launches one
process per group of kernels; each solves a tiny problem that calls its group, which fills
the cache, and the command loads the compiled code from there once they are done. Numba's
compiler holds a global lock, so threads could not compile in parallel; processes can.

``python -m matching_engine.warmup`` with no argument compiles every group ahead of time:
``make install`` runs it, so that a first national-scale run after installing is a warm one.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from matching_engine.model import Problem

# The compiled entry points each group calls (their cache files say whether it is warm).
GROUPS = {
    "optimal": ("lists", "prices"),
    "stable": ("stable",),
}
_ENTRY = {
    "lists": ("kernels", "_top_lists"),
    "prices": ("auction", "_phase"),
    "stable": ("kernels", "proposals_part"),
}
# Disable with MENTORAT_NO_WARMUP=1 (e.g. to measure a cold run without it).
DISABLE = "MENTORAT_NO_WARMUP"


def _index_files(group: str) -> Path | None:
    """The numba cache index of the group's entry point (None when caching is off)."""
    # Imported here: the warm-up runs in a child process; the kernels (numba) load only there.
    from matching_engine.algorithms import auction, kernels

    module = {"kernels": kernels, "auction": auction}[_ENTRY[group][0]]
    cache = getattr(getattr(module, _ENTRY[group][1]), "_cache", None)
    index = getattr(getattr(cache, "_cache_file", None), "_index_path", None)
    return Path(index) if index else None


def cold_groups(mode: str) -> list[str]:
    """The kernel groups ``mode`` needs whose compiled code is not in the cache yet."""
    cold = []
    for group in GROUPS.get(mode, ()):
        index = _index_files(group)
        if index is not None and not index.exists():
            cold.append(group)
    return cold


def start(mode: str, files: tuple[Path, Path]) -> list[subprocess.Popen[bytes]]:
    """Compile the cold kernel groups of ``mode`` for the problem of ``files`` (mentees,
    mentors) in background processes (none when the cache is warm or MENTORAT_NO_WARMUP is
    set); :func:`wait` for them before solving."""
    if os.environ.get(DISABLE):
        return []
    return [
        subprocess.Popen(  # noqa: S603 — this interpreter running this module
            [sys.executable, "-m", "matching_engine.warmup", group, *map(str, files)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for group in cold_groups(mode)
    ]


def wait(processes: list[subprocess.Popen[bytes]]) -> None:
    """Wait for the compiling processes; one that failed only means the solver compiles
    what is missing itself, as without warm-up."""
    for process in processes:
        process.wait()


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    """End the compiling processes (the command stops early)."""
    for process in processes:
        process.kill()
        process.wait()


def _tiny_problem() -> Problem:
    """A small problem every kernel accepts, with just enough mentees (2 × MIN_PARALLEL) for
    the scans to run on threads as at national scale: a thread's slice of the cutoffs is not
    contiguous, another compiled variant than one serial call's (100 mentors)."""
    # Imported here: reading, encoding and the kernels are needed only when a warm-up starts.
    from matching_engine.algorithms.kernels import MIN_PARALLEL
    from matching_engine.encode import build_problem

    rng = np.random.default_rng(0)
    skills = ["python", "gestion de projet", "communication", "excel", "droit"]

    def rows(n: int, mentor: bool) -> list[dict[str, str]]:
        return [
            {
                "id": f"{'M' if mentor else 'E'}{k}",
                "field": str(rng.choice(["Informatique", "Santé", "Commerce"])),
                "skills": ";".join(rng.choice(skills, 2, replace=False).tolist()),
                "region": str(rng.choice(["Bretagne", "Occitanie"])),
                "capacity": "2",
            }
            for k in range(n)
        ]

    return build_problem(rows(2 * MIN_PARALLEL, False), rows(100, True))


def _problem(files: list[str]) -> Problem:
    """The command's own problem when its files read by columns (the kernels' argument types,
    such as the width of packed bitsets, follow the data), else the tiny one."""
    # Imported here: reading and encoding are needed only when a warm-up actually starts.
    from matching_engine.encode import build_problem_from_columns
    from matching_engine.io_columns import NotColumnar, read_columns
    from matching_engine.model import EngineInputError

    if len(files) == 2:
        try:
            return build_problem_from_columns(read_columns(files[0]), read_columns(files[1]))
        except (NotColumnar, EngineInputError):
            pass
    return _tiny_problem()


def compile_group(group: str, files: list[str]) -> None:
    """Call the kernels of ``group`` as the solver calls them, on the problem of ``files``
    (mentees, mentors) but for a few mentees only, so that numba compiles and caches them."""
    # Imported here: the warm-up runs in a child process; the kernels (numba) load only there.
    from matching_engine.algorithms import auction as auction_module
    from matching_engine.algorithms import kernels, scaled
    from matching_engine.algorithms.auction import Auction
    from matching_engine.algorithms.blocks import build_index
    from matching_engine.algorithms.edges import Edges

    p = _problem(files)
    capacity = p.free_capacity()
    packed = kernels.pack(p, build_index(p, capacity > 0))
    # The solver's own ordering, cut short: the same array types, a few mentees' work; as
    # many as makes the scans run on threads, whose slices of the cutoffs are not contiguous
    # (another compiled variant than one serial call's).
    few = 2 * kernels.MIN_PARALLEL
    mentees = np.ascontiguousarray(scaled._by_place_and_field(p, scaled._free_mentees(p))[:few])
    top = p.criteria.weights.max_score() + 1
    anyone = kernels.no_thresholds(packed, p.n_mentors)
    if group == "stable":
        # Imported here: as above, in the child process only.
        from matching_engine.algorithms import stable_parts

        # On threads (split by region) and serially: the same compiled variants.
        stable_parts.propose(p, packed, mentees, capacity, min_mentees=0)
        return
    if group == "lists":
        # Both variants: the threads' slices, and one serial call (a late round's few mentees).
        for some in (mentees, mentees[: kernels.MIN_PARALLEL // 2]):
            cut = np.full(len(some), top), np.full(len(some), -1)
            kernels.top_lists(packed, some, scaled.CANDIDATES, *cut, anyone)
        return
    auction = Auction(p.n_mentees, capacity)
    for extra in (0, 1):  # a second round re-bids from the largest shortfall
        mentor = (mentees + extra) % p.n_mentors
        auction.set_pairs(mentees, mentor, np.full(len(mentees), 1.0 + extra))
        auction.solve(0.5, scaled.THETA)
    # A phase's work split between threads (national scale) and each part's arcs
    # renumbered, as a split solve does (its phases are the variant compiled above).
    auction_module._Local(auction, auction._parts(min_arcs=0))
    pairs = Edges(mentees, (mentees + 1) % p.n_mentors, np.ones(len(mentees)))
    cand = scaled._dedupe(pairs, p.n_mentees, p.n_mentors)
    scaled._add_pairs(cand, [pairs], p.n_mentees, p.n_mentors)  # the rounds' merge
    auction.assignment()
    auction.alternating_reach(np.ones(p.n_mentees, bool))
    floor = auction.profits() - 1.0
    v = np.where(capacity > 0, auction.mentor_price(), np.inf)
    prices = kernels.scan_prices(packed, v, floor)
    for some in (mentees, mentees[: kernels.MIN_PARALLEL // 2]):  # threaded and serial
        kernels.price_scan(packed, some, scaled.PER_MENTEE, top, prices, anyone)
    auction.dual_bound()
    auction.worth()


def compile_all() -> int:
    """Compile every group ahead of time (``make install``, an image build), one process per
    group side by side; the exit status of the first that failed, else 0."""
    processes = [
        subprocess.Popen([sys.executable, "-m", "matching_engine.warmup", group])  # noqa: S603
        for group in _ENTRY
    ]
    return next((code for code in [p.wait() for p in processes] if code), 0)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        compile_group(sys.argv[1], sys.argv[2:])
    else:
        sys.exit(compile_all())
