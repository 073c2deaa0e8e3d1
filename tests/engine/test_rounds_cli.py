"""``mentorat match --mode rounds``: the same files and error messages as the other modes,
participant/round/table rows out, a summary on standard error."""

import csv
import io
import os
import subprocess
import sys
from collections import Counter
from contextlib import redirect_stderr
from pathlib import Path

import pytest
from typer.testing import CliRunner

from matching_engine.cli import app, run

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
runner = CliRunner()


def _run(*args, env=None):
    return runner.invoke(app, ["match", *map(str, args)], env=env or {"LANG": "C"})


def _write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def test_examples_are_planned_in_rounds_within_the_rules(tmp_path):
    out = tmp_path / "rounds.csv"
    done = _run(
        EXAMPLES / "mentees.csv", EXAMPLES / "mentors.csv", "--mode", "rounds",
        "--rounds", "3", "--table-size", "2", "--config", EXAMPLES / "criteria.toml", "-o", out,
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0])[:3] == ["participant", "round", "table"]
    mentees = {r["participant"] for r in rows if r["participant"].startswith("E")}
    assert len(mentees) == 30
    seated = [r for r in rows if r["participant"] in mentees and r["table"]]
    # Each mentee: one row per round; never twice at one table; tables of at most 2.
    assert Counter(r["participant"] for r in rows if r["participant"] in mentees) == dict.fromkeys(
        mentees, 3
    )
    pairs = [(r["participant"], r["table"]) for r in seated]
    assert len(set(pairs)) == len(pairs)
    assert max(Counter((r["round"], r["table"]) for r in seated).values()) <= 2
    assert all(r["explanation"] for r in seated)
    assert "Rounds: 3, tables of up to 2 mentees: 15" in done.output
    assert "Total score proven optimal" in done.output
    assert "Time taken:" in done.output


def test_one_to_one_evening_and_professionals_rows(tmp_path):
    e = _write(tmp_path / "e.csv", "id,field\nE1,Santé\nE2,Santé\n")
    m = _write(tmp_path / "m.csv", "id,field\nM1,Santé\nM2,Commerce\n")
    out = tmp_path / "o.csv"
    done = _run(e, m, "--mode", "rounds", "--rounds", "2", "-o", out, "--lang", "en")
    assert done.exit_code == 0, done.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    mine = {(r["participant"], r["round"]): r["professional"] for r in rows}
    assert {mine["E1", "1"], mine["E1", "2"]} == {"M1", "M2"}
    assert {mine["E2", "1"], mine["E2", "2"]} == {"M1", "M2"}
    assert [r["table"] for r in rows if r["participant"] == "M2"] == ["2", "2"]
    assert "Meetings: 4 (mentees seated in 100.0% of the rounds)" in done.output
    assert "Each professional meets 2 to 2 people" in done.output


def test_summary_on_stderr_and_csv_on_stdout_in_french():
    code = "from matching_engine.cli import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", code, "match", str(EXAMPLES / "mentees.csv"),
         str(EXAMPLES / "mentors.csv"), "--mode", "rounds", "--rounds", "2", "--lang", "fr"],
        capture_output=True, text=True, env={**os.environ, "LANG": "C"}, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("participant,round,table,")
    assert "Tours\u202f: 2" in done.stderr
    assert "Score total prouvé optimal" in done.stderr


def test_pairs_met_before_never_meet_again(tmp_path):
    e = _write(tmp_path / "e.csv", "id\nE1\n")
    m = _write(tmp_path / "m.csv", "id\nM1\nM2\n")
    x = _write(tmp_path / "x.csv", "mentee_id,mentor_id,reason\nE1,M1,déjà essayé\n")
    out = tmp_path / "o.csv"
    done = _run(e, m, "--mode", "rounds", "--rounds", "2", "--exclude", x, "-o", out)
    assert done.exit_code == 0, done.output
    rows = [r for r in csv.DictReader(out.open(encoding="utf-8")) if r["participant"] == "E1"]
    assert [r["professional"] for r in rows] == ["M2", ""]
    assert rows[1]["explanation"] == "break"


@pytest.mark.parametrize(
    ("args", "what"),
    [
        ([], "--rounds is required with --mode rounds"),
        (["--rounds", "0"], "--rounds"),
        (["--rounds", "2", "--table-size", "0"], "--table-size"),
        (["--rounds", "x"], "--rounds"),
    ],
)
def test_bad_options_exit_2_with_one_line(tmp_path, args, what):
    e = _write(tmp_path / "e.csv", "id\nE1\n")
    m = _write(tmp_path / "m.csv", "id\nM1\n")
    out = tmp_path / "o.csv"
    err = io.StringIO()
    with redirect_stderr(err):
        status = run(["match", str(e), str(m), "--mode", "rounds", "-o", str(out), *args])
    assert status == 2
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 1, err.getvalue()
    assert what in lines[0]
    assert not out.exists()


def test_locked_pairs_are_refused_in_rounds_mode(tmp_path):
    e = _write(tmp_path / "e.csv", "id\nE1\n")
    m = _write(tmp_path / "m.csv", "id\nM1\n")
    locked = _write(tmp_path / "l.csv", "mentee_id,mentor_id\nE1,M1\n")
    err = io.StringIO()
    with redirect_stderr(err):
        status = run(["match", str(e), str(m), "--mode", "rounds", "--rounds", "1",
                      "--locked", str(locked)])  # fmt: skip
    assert status == 2
    assert "--locked" in err.getvalue()


def test_bad_files_give_the_same_messages_as_the_other_modes(tmp_path):
    e = _write(tmp_path / "e.csv", "id\nE1\nE1\n")
    m = _write(tmp_path / "m.csv", "id\nM1\n")
    out = tmp_path / "o.csv"
    done = _run(e, m, "--mode", "rounds", "--rounds", "2", "-o", out)
    assert done.exit_code == 2
    assert "e.csv, line 3, column 1 (id)" in done.output
    assert "duplicate id 'E1'" in done.output
    assert not out.exists()
