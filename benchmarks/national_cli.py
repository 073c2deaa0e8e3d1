"""End-to-end national-scale run of ``mentorat match`` (issue 24): the real command in a
subprocess on generated CSV files, wall time and peak memory of each run.

    .venv/bin/python -m benchmarks.national_cli                  # 200k mentees x 100k mentors
    .venv/bin/python -m benchmarks.national_cli --size 20000 --folder /tmp/nat-20k
    .venv/bin/python -m benchmarks.national_cli --quotas   # with places reserved for partners

The instance (seeded) has the columns id, name, field, skills, languages, region and capacity
(mentors). With ``--quotas`` (issue 20) 10 % of the mentees belong to one of 20 partnerships
(``partnerships``) and 10 % of the mentors keep 1 to all of their places for one of them
(``reserved_places``, ``reserved_for``). Each mode runs warm (numba's cache filled by a
first run) and cold (an empty ``NUMBA_CACHE_DIR``: after the warm-up ``make install`` runs,
with the command's own background warm-up, and without), next to two baselines of the same run:
the solver alone on the same problem (reading and explaining left out) and the command with
the row-by-row reader and explainer kept as the reference (``MENTORAT_ENGINE_REFERENCE_IO=1``).
The warm run is repeated with standard error on a pseudo-terminal, where the command draws its
progress (printed under the row, as left on the screen): it must cost no measurable time.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import pty
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.matching import generate

FIRST_NAMES = ("Camille", "Léa", "Inès", "Hugo", "Yanis", "Chloé", "Zoé", "Noah", "Aïcha",
               "Mathis", "Emma", "Lucas", "Sofiane", "Manon", "Théo", "Jade", "Wassim",
               "Éloïse")  # fmt: skip
LAST_NAMES = ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Petit", "Durand", "Leroy",
              "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "N'Diaye",
              "Nguyen")  # fmt: skip


#: partnerships of the ``--quotas`` instance
PARTNERSHIPS = tuple(f"Partenariat {k:02d}" for k in range(20))
#: share of the mentees in a partnership, and of the mentors with reserved places
QUOTA_SHARE = 0.1


def write_instance(size: int, folder: Path, seed: int = 0, *, quotas: bool = False) -> None:
    """mentees.csv (``size`` rows) and mentors.csv (``size // 2`` rows) in ``folder``;
    with ``quotas``, the partnership and reserved-places columns too."""
    p = generate(size, seed)
    rng = np.random.default_rng(seed + 1)
    folder.mkdir(parents=True, exist_ok=True)
    v = p.vocab

    def names(bits: np.ndarray, labels: tuple[str, ...]) -> str:
        return ";".join(labels[w * 64 + b] for w, word in enumerate(np.atleast_1d(bits).tolist())
                        for b in range(64) if int(word) >> b & 1)  # fmt: skip

    for fname, t, mentor in (("mentees.csv", p.mentees, False), ("mentors.csv", p.mentors, True)):
        first = rng.integers(0, len(FIRST_NAMES), len(t.ids))
        last = rng.integers(0, len(LAST_NAMES), len(t.ids))
        with (folder / fname).open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["id", "name", "field", "skills", "languages", "region"]
                       + (["capacity"] if mentor else [])
                       + ((["reserved_places", "reserved_for"] if mentor else ["partnerships"])
                          if quotas else []))  # fmt: skip
            for k in range(len(t.ids)):
                row = [t.ids[k], f"{FIRST_NAMES[first[k]]} {LAST_NAMES[last[k]]}",
                       v.fields[t.field[k]], names(t.skills[k], v.skills),
                       names(t.languages[k], v.languages), v.regions[t.region[k]]]  # fmt: skip
                if mentor:
                    row.append(int(p.mentors.capacity[k]))
                if quotas:
                    row += _quota_cells(rng, mentor, int(row[-1]) if mentor else 0)
                w.writerow(row)


def _quota_cells(rng: np.random.Generator, mentor: bool, capacity: int) -> list[object]:
    """A mentor's reserved places and partnership, or a mentee's partnership (seeded)."""
    if rng.random() >= QUOTA_SHARE:
        return [0, ""] if mentor else [""]
    partnership = PARTNERSHIPS[int(rng.integers(0, len(PARTNERSHIPS)))]
    return [int(rng.integers(1, capacity + 1)), partnership] if mentor else [partnership]


#: the warm run again, with standard error on a pseudo-terminal: progress drawn (issue 24, 3)
TERMINAL = "warm, progress drawn on a terminal"
#: a first run on a fresh install: empty cache, the install's warm-up, then the command
INSTALLED = "first run after install"


def match_command(folder: Path, mode: str, out: Path) -> list[str]:
    mentorat = Path(sys.executable).with_name("mentorat")
    return [str(mentorat), "match", str(folder / "mentees.csv"), str(folder / "mentors.csv"),
            "--mode", mode, "-o", str(out), "--lang", "fr"]  # fmt: skip


def measure(cmd: list[str], env: dict[str, str], *, terminal: bool = False) -> dict[str, float]:
    """Wall seconds, CPU seconds (with the processes it waited for, such as the compiling
    ones) and peak resident memory of the command's own process. The summary lines about
    reserved places (``--quotas``) are printed. ``terminal``: standard error is a
    pseudo-terminal, so the command draws its progress (read as a terminal would)."""
    started = time.perf_counter()
    master = slave = -1
    if terminal:
        master, slave = pty.openpty()
    process = subprocess.Popen(
        cmd, env={**os.environ, **env}, stdout=subprocess.PIPE,
        stderr=slave if terminal else subprocess.PIPE,
    )  # fmt: skip
    drawn = bytearray()
    if terminal:
        os.close(slave)
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the command closed the terminal
                break
            if not chunk:
                break
            drawn += chunk
        os.close(master)
        _PROGRESS[:] = [line.split("\r")[-1] for line in
                        drawn.decode().replace("\x1b[K", "").split("\r\n") if line]  # fmt: skip
    _, status, usage = os.wait4(process.pid, 0)
    summary = process.stdout.read().decode() if process.stdout else ""
    _RESERVED_LINES[:] = [line for line in summary.splitlines() if "réservées" in line]
    wall = time.perf_counter() - started
    stderr = drawn.decode() if terminal else ""
    if process.stderr:
        stderr = process.stderr.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {stderr.strip()}")
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_mib": usage.ru_maxrss / 1024,
    }


#: the last run's summary lines about reserved places
_RESERVED_LINES: list[str] = []
#: the progress lines of the last run on a terminal, as left on the screen
_PROGRESS: list[str] = []

_SOLVER_ONLY = """
import json, resource, sys, time
from pathlib import Path
from matching_engine.cli import _load
from matching_engine.engine import solve
folder, mode = Path(sys.argv[1]), sys.argv[2]
p = _load(folder / "mentees.csv", folder / "mentors.csv", None, None, None, None)
started, cpu = time.perf_counter(), time.process_time()
solve(p, mode)
print(json.dumps({"wall": time.perf_counter() - started, "cpu": time.process_time() - cpu,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def solver_only(folder: Path, mode: str) -> dict[str, float]:
    """The solver alone on the same problem (reading and explaining left out)."""
    done = subprocess.run(
        [sys.executable, "-c", _SOLVER_ONLY, str(folder), mode],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    """Write the instance if missing, then run and print each row."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=200_000, help="mentees (mentors: half)")
    parser.add_argument("--folder", type=Path, default=None, help="instance folder (kept)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--modes", nargs="*", default=["optimal", "stable"])
    parser.add_argument("--no-cold", action="store_true", help="skip the cold-cache runs")
    parser.add_argument("--no-reference", action="store_true", help="skip the reference runs")
    parser.add_argument(
        "--quotas", action="store_true", help="places reserved for partnerships (issue 20)"
    )
    args = parser.parse_args()
    suffix = "-quotas" if args.quotas else ""
    folder = args.folder or Path(tempfile.gettempdir()) / f"mentorat-national-{args.size}{suffix}"
    if not (folder / "mentors.csv").exists():
        write_instance(args.size, folder, args.seed, quotas=args.quotas)
    print(f"instance: {args.size} mentees x {args.size // 2} mentors in {folder}"
          + (" (reserved places on)" if args.quotas else ""))  # fmt: skip
    print(f"machine reference: {_reference()} s (benchmarks.matching, fixed numpy workload)")
    print(f"{'mode':<8} {'run':<34} {'wall s':>7} {'cpu s':>7} {'peak MiB':>9}  output")
    for mode in args.modes:
        out = folder / f"matches-{mode}.csv"
        measure(match_command(folder, mode, out), {})  # fills numba's default cache if needed
        rows: list[tuple[str, dict[str, str], Path]] = [
            ("warm cache", {}, out),
            (TERMINAL, {}, folder / "terminal.csv"),
        ]
        if not args.no_cold:
            for label, extra in (
                (INSTALLED, {"MENTORAT_NO_WARMUP": "1"}),
                ("cold cache (compiled on both cores)", {}),
                ("cold cache, no warm-up processes", {"MENTORAT_NO_WARMUP": "1"}),
            ):
                cache = tempfile.mkdtemp(prefix="mentorat-numba-")
                rows.append((label, {"NUMBA_CACHE_DIR": cache, **extra}, folder / "cold.csv"))
        if not args.no_reference:
            rows.append(("reference reader and explanations", {"MENTORAT_ENGINE_REFERENCE_IO": "1"},
                         folder / "reference.csv"))  # fmt: skip
        for label, env, target in rows:
            if label == INSTALLED:  # what `make install` runs, into the empty cache
                r = measure([sys.executable, "-m", "matching_engine.warmup"], env)
                print(f"{mode:<8} {'install: compile every kernel':<34} {r['wall']:>7.1f} "
                      f"{r['cpu']:>7.1f} {r['peak_mib']:>9.0f}", flush=True)  # fmt: skip
            r = measure(match_command(folder, mode, target), env, terminal=label == TERMINAL)
            same = "" if target == out else (
                "identical" if target.read_bytes() == out.read_bytes() else "DIFFERENT"
            )  # fmt: skip
            print(f"{mode:<8} {label:<34} {r['wall']:>7.1f} {r['cpu']:>7.1f} "
                  f"{r['peak_mib']:>9.0f}  {same}", flush=True)  # fmt: skip
            _print_details(label, target == out)
            if "NUMBA_CACHE_DIR" in env:
                _remove(Path(env["NUMBA_CACHE_DIR"]))
        r = solver_only(folder, mode)
        print(f"{mode:<8} {'solver alone (same problem)':<34} {r['wall']:>7.1f} {r['cpu']:>7.1f} "
              f"{r['peak_mib']:>9.0f}", flush=True)  # fmt: skip
    print(f"machine reference: {_reference()} s (after the runs)")


def _print_details(label: str, warm: bool) -> None:
    """Under the warm row, the reserved places' lines; under the terminal row, what the
    command left on the terminal."""
    if warm:
        for line in _RESERVED_LINES[:3]:
            print(f"{'':<8} {line}")
        if len(_RESERVED_LINES) > 3:
            print(f"{'':<8} … {len(_RESERVED_LINES) - 3} more partnerships")
    if label == TERMINAL:
        for line in _PROGRESS:
            print(f"{'':<8} | {line}")


def _remove(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    folder.rmdir()


def _reference() -> str:
    from benchmarks.matching import _child

    return f"{_child(0, 'reference', 0, 600)['seconds']:.2f}"


if __name__ == "__main__":
    main()
