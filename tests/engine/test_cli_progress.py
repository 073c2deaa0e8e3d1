"""Progress and summary figures of `mentorat match` (issue 24, point 3): stages drawn on a
terminal's stderr (a real pseudo-terminal here), nothing but the summary when stderr is not a
terminal or with --quiet, and --json-summary holding the figures the summary prints."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import re
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import numpy as np
import pytest

from matching_engine import Criteria, build_problem, engine, solve
from matching_engine.cli import main
from matching_engine.progress import Note
from tests.engine.instances import random_problem, rows

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
STAGES = {
    "en": ["reading", "encoding", "solving", "explaining", "writing"],
    "fr": ["lecture", "encodage", "calcul", "explications", "écriture"],
}
COMMAND = [sys.executable, "-c", "from matching_engine.cli import main; main()", "match"]
EXAMPLE_ARGS = [
    str(EXAMPLES / "mentees.csv"), str(EXAMPLES / "mentors.csv"),
    "--config", str(EXAMPLES / "criteria.toml"),
]  # fmt: skip


def _in_terminal(args: list[str]) -> tuple[int, bytes, str]:
    """Run the command with stderr on a pseudo-terminal: (status, stdout, stderr)."""
    master, slave = pty.openpty()
    env = {**os.environ, "LANG": "C", "COLUMNS": "160"}
    proc = subprocess.Popen(
        [*COMMAND, *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave,
        env=env,
    )  # fmt: skip
    os.close(slave)
    err = bytearray()
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the child closed the terminal (EIO on Linux)
            break
        if not data:
            break
        err += data
    os.close(master)
    assert proc.stdout is not None
    out = proc.stdout.read()
    return proc.wait(timeout=60), out, err.decode()


def _piped(args: list[str]) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "LANG": "C"}
    return subprocess.run([*COMMAND, *args], capture_output=True, env=env, timeout=60, check=False)


def _shown(err: str) -> list[str]:
    """The lines a person sees: each line's last redraw, escapes removed."""
    err = err.replace("\x1b[K", "").replace("\r\n", "\n")
    return [line.split("\r")[-1] for line in err.split("\n") if line.split("\r")[-1]]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_terminal_sees_every_stage_with_bars_and_the_same_output(tmp_path, lang):
    code, out, err = _in_terminal([*EXAMPLE_ARGS, "--lang", lang])
    assert code == 0, err
    lines = _shown(err)
    labels = [line.split()[0] for line in lines[:5]]
    assert labels == STAGES[lang]
    explaining, writing = lines[3], lines[4]
    assert "100%" in explaining.replace("\u202f", "")
    assert "█" * 24 in explaining
    assert "31/31" in writing  # the header and one row per mentee
    matched = "22/30 mentees matched" if lang == "en" else "22/30 mentoré·es appariés"
    assert matched in lines[2]
    summary = "Mentees matched: 22/30" if lang == "en" else "Mentoré·es appariés\u202f: 22/30"
    assert summary in lines[5]
    # Drawing progress changes nothing in what is written.
    piped = _piped([*EXAMPLE_ARGS, "--lang", lang])
    assert out == piped.stdout


def test_not_a_terminal_and_quiet_show_nothing_but_the_summary(tmp_path):
    piped = _piped([*EXAMPLE_ARGS, "--lang", "en"])
    code, _out, quiet = _in_terminal([*EXAMPLE_ARGS, "--lang", "en", "--quiet"])
    assert piped.returncode == 0
    assert code == 0
    for err in (piped.stderr.decode(), quiet):
        assert "\r" not in err.replace("\r\n", "\n")
        assert err.replace("\r\n", "\n").startswith("Mentees matched: 22/30")
        assert not any(stage in err for stage in STAGES["en"])
    # With -o the summary goes to stdout and stderr stays empty.
    written = _piped([*EXAMPLE_ARGS, "-o", str(tmp_path / "o.csv")])
    assert written.returncode == 0
    assert written.stderr == b""


class Recorder:
    """A listener keeping what the engine tells."""

    def __init__(self) -> None:
        self.events: list[tuple[str, object]] = []

    def stage(self, name: str, total: int | None = None) -> None:
        self.events.append(("stage", name))

    def advance(self, done: int) -> None:
        self.events.append(("advance", done))

    def note(self, text: str) -> None:
        self.events.append(("note", text))


@pytest.mark.parametrize("seed", [0, 1])
def test_the_national_solver_tells_each_round_and_the_bound_it_proves(monkeypatch, seed):
    monkeypatch.setattr(engine, "FULL_GRAPH_CELLS", 0)  # the national-scale solver
    heard = Recorder()
    result = solve(random_problem(seed, 300, 120), "optimal", progress=heard)
    notes = [text for kind, text in heard.events if kind == "note"]
    assert heard.events[0] == ("stage", "solving")
    rounds = [n for n in notes if n.startswith("round ")]
    assert rounds
    assert rounds[0].startswith("round 1 · ")
    proven = [n for n in rounds if "score proven" in n]
    assert proven, notes
    s = result.summary
    assert s.proven_ratio is not None
    # The last bound told is the one the summary reports, and the stage ends saying so.
    if s.score_bound is not None:
        assert "proven ≥ 100.00% of the optimum" in proven[-1]
        assert notes[-1] == f"{s.matched}/{s.mentees} mentees matched · score proven optimal"
    else:
        bound = f"score proven ≥ {s.proven_ratio:.2%} of the optimum"
        assert bound in proven[-1]
        assert notes[-1] == f"{s.matched}/{s.mentees} mentees matched · {bound}"
    assert all(isinstance(n, Note) and n.fr for n in notes)


def test_stable_mode_tells_its_method(monkeypatch):
    heard = Recorder()
    problem = build_problem(
        rows(np.random.default_rng(0), 20, mentor=False),
        rows(np.random.default_rng(1), 10, mentor=True),
        criteria=Criteria(),
    )
    solve(problem, "stable", progress=heard)
    notes = [str(text) for kind, text in heard.events if kind == "note"]
    assert notes[0] == "deferred acceptance on every allowed pair"


def _main(*args: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err), pytest.raises(SystemExit) as done:
        main(["match", *map(str, args)])
    return int(done.value.code or 0), out.getvalue(), err.getvalue()


def _reserved_instance(tmp_path: Path) -> tuple[Path, Path]:
    mentees = tmp_path / "e.csv"
    mentees.write_text(
        "id,field,region,partnerships,priority\n"
        "E1,Santé,Bretagne,Lycée Rabelais,oui\nE2,Santé,Bretagne,,non\n"
        "E3,Droit,Bretagne,,oui\nE4,Santé,Bretagne,,non\n",
        encoding="utf-8",
    )
    mentors = tmp_path / "m.csv"
    mentors.write_text(
        "id,field,region,capacity,reserved_places,reserved_for\n"
        "M1,Santé,Bretagne,3,2,Lycée Rabelais\nM2,Droit,Bretagne,1,0,\n",
        encoding="utf-8",
    )
    return mentees, mentors


@pytest.mark.parametrize("national", [False, True])
def test_json_summary_holds_the_figures_the_summary_prints(tmp_path, monkeypatch, national):
    if national:
        monkeypatch.setattr(engine, "FULL_GRAPH_CELLS", 0)
    mentees, mentors = _reserved_instance(tmp_path)
    target = tmp_path / "summary.json"
    code, printed, err = _main(
        mentees, mentors, "-o", tmp_path / "o.csv", "--json-summary", target, "--lang", "en"
    )
    assert code == 0, err
    f = json.loads(target.read_text(encoding="utf-8"))
    lines = printed.splitlines()
    assert f["mode"] == "optimal"
    assert lines[0] == f"Mentees matched: {f['matched']}/{f['mentees']} ({f['coverage']:.1%})"
    points = f"{f['mean_score']:.1f}".removesuffix(".0")
    assert lines[1] == (
        f"Mean compatibility: {f['mean_compatibility']}% "
        f"(on average {points} points out of a possible {f['best_points']:g})"
    )
    assert f"Priority mentees matched: {f['priority_matched']}/{f['priority_mentees']}" in lines
    assert f["priority_coverage"] == f["priority_matched"] / f["priority_mentees"]
    [reserved] = f["reserved_places"]
    assert (
        f"Places reserved for the partnership {reserved['partnership']}: "
        f"{reserved['filled']}/{reserved['places']} filled, {reserved['empty']} left empty"
    ) in lines
    assert f["reserved_places_empty"] == reserved["empty"] == 1  # E1 takes one of the two
    if national:
        assert f["proven_ratio"] is not None
        assert f["upper_bound"] is not None
        assert f["proven_optimal"] is ("Total score proven optimal" in lines)
    else:  # the exact solver: optimal by construction, nothing to prove
        assert f["proven_ratio"] is None
        assert f["proven_optimal"] is None
    assert lines[-1] == f"Time taken: {f['seconds']:.2f} s"
    stages = f["stage_seconds"]
    assert list(stages) == STAGES["en"]
    assert 0 <= sum(stages.values()) <= f["seconds"]
    # The figures are those of the matching written.
    with (tmp_path / "o.csv").open(encoding="utf-8") as handle:
        written = [r for r in csv.DictReader(handle) if r["mentor_id"]]
    assert len(written) == f["matched"]
    assert sum(float(r["score"]) for r in written) == pytest.approx(f["total_score"])


@pytest.mark.parametrize("where", ["missing", "folder"])
def test_a_bad_json_summary_path_is_refused_before_computing(tmp_path, monkeypatch, where):
    from matching_engine import cli

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("solved despite a bad --json-summary path")

    monkeypatch.setattr(cli, "solve", never)
    target = {"missing": tmp_path / "absent" / "s.json", "folder": tmp_path}[where]
    out = tmp_path / "o.csv"
    code, _out, err = _main(*EXAMPLE_ARGS, "-o", out, "--json-summary", target, "--lang", "en")
    assert code == 2
    assert err.count("\n") == 1
    assert "internal error" not in err
    assert err.startswith(str(target))
    assert "folder" in err
    assert not out.exists()


def test_json_summary_and_why_need_a_matching_mode(tmp_path):
    for extra in (["--json-summary", tmp_path / "s.json"], ["--why", "E001", "M001"]):
        code, _out, err = _main(*EXAMPLE_ARGS, "--mode", "suggest", *extra)
        assert code == 2
        assert re.search(r"--(json-summary|why).*optimal and stable modes", err), err
    assert not (tmp_path / "s.json").exists()


def test_counts_are_redrawn_at_most_ten_times_a_second():
    from matching_engine.terminal import TerminalProgress

    now = [0.0]
    screen = io.StringIO()
    shown = TerminalProgress(screen, lang="en", clock=lambda: now[0])
    shown.stage("writing", 100_000)
    for done in range(100_000):
        now[0] = done / 50_000  # two seconds in all
        shown.advance(done)
    shown.close()
    draws = screen.getvalue().count("\r")
    assert draws <= 2 * 10 + 3  # ten a second, plus the start and the last state
    last = screen.getvalue().rstrip("\n").split("\r")[-1]
    assert last == "writing       ████████████████████████ 100%  100,000/100,000  2.0 s\x1b[K"
