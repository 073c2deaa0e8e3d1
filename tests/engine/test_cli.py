import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from matching_engine.cli import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
runner = CliRunner()


def _run(*args, env=None):
    return runner.invoke(app, ["match", *map(str, args)], env=env or {"LANG": "C"})


def _write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("mode", ["optimal", "stable"])
def test_examples_match_and_write_one_row_per_mentee(tmp_path, mode):
    out = tmp_path / "matches.csv"
    done = _run(
        EXAMPLES / "mentees.csv", EXAMPLES / "mentors.csv", "-o", out, "--mode", mode,
        "--config", EXAMPLES / "criteria.toml",
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == ["mentee_id", "mentor_id", "score", "explanation"]
    assert len(rows) == 30
    assert all(r["explanation"] for r in rows)
    assert "Mentees matched:" in done.output
    assert "Time taken:" in done.output


def test_suggest_mode_and_pairs_file(tmp_path):
    out = tmp_path / "s.csv"
    done = _run(
        EXAMPLES / "mentees.csv", EXAMPLES / "mentors.csv", "--mode", "suggest", "--top-k", "2",
        "--mentee", "E001", "-o", out,
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["rank"] for r in rows] == ["1", "2"]
    done = _run(
        EXAMPLES / "mentees.csv", EXAMPLES / "mentors.csv", "--pairs", EXAMPLES / "pairs.csv",
        "--mode", "stable", "-o", out,
    )  # fmt: skip
    assert done.exit_code == 0, done.output


def test_cp1252_semicolon_input(tmp_path):
    mentees = _write(tmp_path / "e.csv", "id;field;region\r\nE1;Santé;Île-de-France\r\n", "cp1252")
    mentors = _write(
        tmp_path / "m.csv", "\ufeffid;field;region;capacity\r\nM1;Santé;Île-de-France;2\r\n"
    )
    out = tmp_path / "o.csv"
    done = _run(mentees, mentors, "-o", out)
    assert done.exit_code == 0, done.output
    assert "Même domaine (Santé)" in out.read_text(encoding="utf-8") or "Same field (Santé)" in (
        out.read_text(encoding="utf-8")
    )


BAD_CASES = [
    ("name\nA\n", "id,capacity\nM1,1\n", [], "e.csv, line 1", "'id'"),
    ("id\nE1\nE1\n", "id\nM1\n", [], "e.csv, line 3, column 1 (id)", "duplicate id 'E1'"),
    ("id\nE1\n", "id,capacity\nM1,1\nM2,1.5\n", [], "m.csv, line 3, column 2 (capacity)", "1.5"),
    ("id\nE1\n", "id,capacity\nM1,0\n", [], "m.csv, line 2, column 2 (capacity)", "≥ 1"),
    ("id\nE1\n", "id\nM1\n", ["p.csv", "mentee_id,mentor_id,score\nE1,M9,3\n"],
     "p.csv, line 2, column 2 (mentor_id)", "unknown mentor id 'M9'"),
    ("id\nE1\n", "id\nM1\n", ["p.csv", "mentee_id,mentor_id,score\nE1,M1,abc\n"],
     "p.csv, line 2, column 3 (score)", "'abc' is not a number"),
]  # fmt: skip


@pytest.mark.parametrize(("mentees", "mentors", "pairs", "where", "what"), BAD_CASES)
def test_bad_input_exits_2_with_one_line_and_no_output(
    tmp_path, mentees, mentors, pairs, where, what
):
    e = _write(tmp_path / "e.csv", mentees)
    m = _write(tmp_path / "m.csv", mentors)
    extra = []
    if pairs:
        extra = ["--pairs", _write(tmp_path / pairs[0], pairs[1])]
    out = tmp_path / "out.csv"
    done = _run(e, m, "-o", out, *extra)
    assert done.exit_code == 2
    lines = done.output.strip().splitlines()
    assert len(lines) == 1, done.output
    assert where in lines[0]
    assert what in lines[0]
    assert not out.exists()


def test_unreadable_file_and_french_messages(tmp_path):
    m = _write(tmp_path / "m.csv", "id,capacity\nM1,deux\n")
    e = _write(tmp_path / "e.csv", "id\nE1\n")
    done = _run(tmp_path / "absent.csv", m, env={"LANG": "C"})
    assert done.exit_code == 2
    assert "absent.csv" in done.output
    done = _run(e, m, env={"LANG": "fr_FR.UTF-8"})
    assert done.exit_code == 2
    assert "m.csv, ligne 2, colonne 2 (capacity) : capacité « deux » invalide" in done.output
    done = _run(e, m, "--lang", "en", env={"LANG": "fr_FR.UTF-8"})
    assert "invalid capacity 'deux'" in done.output


def test_console_entry_point_prints_no_traceback(tmp_path):
    e = _write(tmp_path / "e.csv", "id\nE1\n")
    m = _write(tmp_path / "m.csv", "id,capacity\nM1,x\n")
    code = "from matching_engine.cli import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", code, "match", str(e), str(m)],
        capture_output=True, text=True, env={**os.environ, "LANG": "C"}, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_config_rules_same_organisation_and_more_experienced_mentor(tmp_path):
    e = _write(
        tmp_path / "e.csv",
        "id,organisation,experience_years\nE1,Acme,2\nE2,Beta,0\nE3,Acme,20\n",
    )
    m = _write(tmp_path / "m.csv", "id,organisation,experience_years,capacity\nM1,Acme,10,3\n")
    config = _write(
        tmp_path / "c.toml",
        "[rules]\ncross_organisation = false\nsame_organisation = true\n"
        "mentor_more_experienced = true\n",
    )
    out = tmp_path / "o.csv"
    done = _run(e, m, "-o", out, "--config", config, "--lang", "en")
    assert done.exit_code == 0, done.output
    rows = {r["mentee_id"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert rows["E1"]["mentor_id"] == "M1"
    assert rows["E2"]["mentor_id"] == ""
    assert "same organisation required" in rows["E2"]["explanation"]
    assert "more experienced mentor is required" in rows["E3"]["explanation"]
    bad = _write(tmp_path / "bad.toml", "[rules]\nsame_organisation = 1\n")
    done = _run(e, m, "-o", out, "--config", bad, "--lang", "en")
    assert done.exit_code == 2
    assert "rules.same_organisation" in done.output


def test_config_women_share_target_is_honoured_and_reported(tmp_path):
    e = _write(tmp_path / "e.csv", "id,gender,field\nE1,H,Santé\nE2,F,\n")
    m = _write(tmp_path / "m.csv", "id,field,capacity\nM1,Santé,1\n")
    config = _write(tmp_path / "c.toml", '[parity]\nwomen_share = "50%"\n')
    out = tmp_path / "o.csv"
    done = _run(e, m, "-o", out, "--config", config, "--lang", "en")
    assert done.exit_code == 0, done.output
    rows = {r["mentee_id"]: r["mentor_id"] for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert rows == {"E1": "", "E2": "M1"}  # the man scores higher, the target decides
    assert "Parity target women ≥ 50%: 1/1 (100.0%) – met" in done.output
