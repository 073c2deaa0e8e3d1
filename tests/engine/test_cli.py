import csv
import io
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from typer.testing import CliRunner

from matching_engine.cli import app, main
from matching_engine.io_csv import FORMULA_PREFIXES, spreadsheet_safe

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
    done = _run(mentees, mentors, "-o", out, "--lang", "fr")
    assert done.exit_code == 0, done.output
    [row] = csv.DictReader(out.open(encoding="utf-8"))
    assert row["explanation"] == "Même domaine (Santé) +30 · Même région (Île-de-France) +10"


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
    assert (
        "m.csv, ligne 2, colonne 2 (capacity)\u202f: capacité «\u202fdeux\u202f» invalide"
        in done.output
    )
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


def test_config_rules_same_organization_and_more_experienced_mentor(tmp_path):
    e = _write(
        tmp_path / "e.csv",
        "id,organization,experience_years\nE1,Acme,2\nE2,Beta,0\nE3,Acme,20\n",
    )
    m = _write(tmp_path / "m.csv", "id,organization,experience_years,capacity\nM1,Acme,10,3\n")
    config = _write(
        tmp_path / "c.toml",
        "[rules]\ndifferent_organizations = false\nsame_organization = true\n"
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
    bad = _write(tmp_path / "bad.toml", "[rules]\nsame_organization = 1\n")
    done = _run(e, m, "-o", out, "--config", bad, "--lang", "en")
    assert done.exit_code == 2
    assert "rules.same_organization = 1" in done.output


def test_old_rule_keys_and_organisation_column_give_the_same_result(tmp_path):
    """Files written before the rename (``cross_organisation``, ``same_organisation``, an
    ``organisation`` column) still work and match as the current names do."""
    mentees = "id,{org},experience_years\nE1,Acme,2\nE2,Beta,0\nE3,Acme,20\nE4,Beta,5\n"
    mentors = "id,{org},experience_years,capacity\nM1,Acme,10,3\nM2,Beta,1,1\n"
    rules = "[rules]\n{cross} = false\n{same} = true\nmentor_more_experienced = true\n"
    outputs = []
    for org, cross, same in [
        ("organization", "different_organizations", "same_organization"),
        ("organisation", "cross_organisation", "same_organisation"),
    ]:
        folder = tmp_path / org
        folder.mkdir()
        e = _write(folder / "e.csv", mentees.format(org=org))
        m = _write(folder / "m.csv", mentors.format(org=org))
        config = _write(folder / "c.toml", rules.format(cross=cross, same=same))
        out = folder / "o.csv"
        done = _run(e, m, "-o", out, "--config", config, "--lang", "en")
        assert done.exit_code == 0, done.output
        outputs.append(out.read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1]
    rows = {r["mentee_id"]: r for r in csv.DictReader(io.StringIO(outputs[1]))}
    assert [rows[k]["mentor_id"] for k in ("E1", "E2", "E3", "E4")] == ["M1", "M2", "", ""]
    assert "more experienced mentor is required" in rows["E4"]["explanation"]
    # The old and the current name of one rule together: which one counts is unclear.
    both = _write(
        tmp_path / "both.toml", "[rules]\nsame_organization = true\nsame_organisation = false\n"
    )
    done = _run(e, m, "-o", out, "--config", both, "--lang", "en")
    assert done.exit_code == 2
    assert "rules.same_organisation = False" in done.output


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


# Issue 14, point 7: every bad input exits 2 with one line, never 1 ("internal error"). -----


def _main(*args):
    """The console entry point in-process: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err), pytest.raises(SystemExit) as done:
        main(["match", *map(str, args)])
    return done.value.code, out.getvalue(), err.getvalue()


def _refused(tmp_path, *args, what=""):
    out = tmp_path / "out.csv"
    code, _stdout, stderr = _main(*args, "-o", out, "--lang", "en")
    assert code == 2, stderr
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert "internal error" not in stderr
    assert what in stderr
    assert not out.exists()
    assert not list(tmp_path.glob(".mentorat-*"))
    return stderr


@pytest.mark.parametrize("blank", ['""\n', ",,,\n", '"",""\r\n,\r\n'])
@pytest.mark.parametrize("which", ["mentees", "mentors", "pairs", "exclude", "locked"])
def test_a_file_of_blank_records_is_an_empty_file(tmp_path, blank, which):
    files = {
        "mentees": _write(tmp_path / "e.csv", "id\nE1\n"),
        "mentors": _write(tmp_path / "m.csv", "id,capacity\nM1,1\n"),
    }
    bad = _write(tmp_path / "blank.csv", blank)
    extra = []
    if which in files:
        files[which] = bad
    else:
        extra = [f"--{which}", bad]
    _refused(tmp_path, files["mentees"], files["mentors"], *extra, what="blank.csv, line 1: empty")


@pytest.mark.parametrize(
    ("toml", "what"),
    [
        ("parity = 5\n", "c.toml, line 1: invalid configuration: parity"),
        ("[weights]\nfield = 1e23\n", "line 2: invalid configuration: weights.field = 1e+23"),
        ("[weights]\nfield = 100000000000000000000000\n", "from 0 to 1000"),
        ("[weights]\nskill_max = 1000000\n", "weights.skill_max = 1000000"),
        ("[rules]\nseniority_min_gap = 100000000000000000000000\n", "from 0 to 100"),
        ("[parity]\nboursier = 1" + "0" * 400 + "\n", "parity.boursier"),
        ("[parity]\nboursier = [1]\n", "parity.boursier"),
    ],
)
def test_criteria_out_of_bounds_exit_2(tmp_path, toml, what):
    e = _write(tmp_path / "e.csv", "id\nE1\n")
    m = _write(tmp_path / "m.csv", "id,capacity\nM1,1\n")
    _refused(tmp_path, e, m, "--config", _write(tmp_path / "c.toml", toml), what=what)


@pytest.mark.parametrize(
    ("mentors", "pairs", "what"),
    [
        ("id,capacity\nM1,1e23\n", None, "line 2, column 2 (capacity): '1e23' is out of range"),
        ("id,capacity\nM1,100000000000000000000000\n", None, "expected 1 to 1000000"),
        ("id,experience_years\nM1,1e23\n", None, "(experience_years): '1e23' is out of range"),
        ("id\nM1\n", "mentee_id,mentor_id,score\nE1,M1,1e300\n", "(score): '1e300'"),
        ("id\nM1\n", "mentee_id,mentor_id,score,mentee_rank\nE1,M1,1,1e23\n", "(mentee_rank)"),
    ],
)
def test_huge_numbers_exit_2(tmp_path, mentors, pairs, what):
    e = _write(tmp_path / "e.csv", "id\nE1\n")
    m = _write(tmp_path / "m.csv", mentors)
    extra = ["--pairs", _write(tmp_path / "p.csv", pairs)] if pairs else []
    _refused(tmp_path, e, m, *extra, what=what)


def test_a_huge_capacity_within_bounds_matches(tmp_path):
    e = _write(tmp_path / "e.csv", "id\nE1\nE2\n")
    m = _write(tmp_path / "m.csv", "id,capacity\nM1,1000000\n")
    out = tmp_path / "o.csv"
    code, _stdout, stderr = _main(e, m, "-o", out)
    assert code == 0, stderr
    assert [r["mentor_id"] for r in csv.DictReader(out.open(encoding="utf-8"))] == ["M1", "M1"]


@pytest.mark.parametrize("where", ["folder", "missing", "empty"])
def test_output_in_a_folder_or_a_missing_folder_exits_2(tmp_path, where):
    e = _write(tmp_path / "e.csv", "id\nE1\n")
    m = _write(tmp_path / "m.csv", "id\nM1\n")
    target = {"folder": tmp_path, "missing": tmp_path / "absent" / "o.csv", "empty": ""}[where]
    code, _stdout, stderr = _main(e, m, "-o", target, "--lang", "en")
    assert code == 2
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert "folder" in stderr
    assert not (tmp_path / "absent").exists()
    assert not list(tmp_path.glob(".mentorat-*"))


def test_a_failed_write_leaves_no_file(tmp_path, monkeypatch):
    e = _write(tmp_path / "e.csv", "id\nE1\n")
    m = _write(tmp_path / "m.csv", "id\nM1\n")
    out = tmp_path / "o.csv"

    def full_disk(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    code, _stdout, stderr = _main(e, m, "-o", out, "--lang", "en")
    assert code == 2
    assert stderr.strip() == f"{out}: cannot write the file: No space left on device"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e.csv", "m.csv"]


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (["--mode", "bogus"], "Invalid value for '--mode': 'bogus' is not one of"),
        (["--top-k", "0"], "--top-k"),
        (["--top-k", "x"], "--top-k"),
        (["--lang", "de"], "--lang"),
        (["--bogus"], "No such option: --bogus"),
        (["--config"], "--config"),
    ],
)
def test_invalid_option_values_print_one_line(tmp_path, args, what):
    e = _write(tmp_path / "e.csv", "id\nE1\n")
    m = _write(tmp_path / "m.csv", "id\nM1\n")
    code, stdout, stderr = _main(e, m, *args)
    assert code == 2
    assert stdout == ""
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert stderr.startswith("mentorat match: ")
    assert what in stderr
    assert stderr.strip().endswith("(see mentorat match --help)")
    assert "╭" not in stderr
    assert "Usage:" not in stderr


def test_missing_arguments_and_commands_print_one_line(tmp_path):
    e = _write(tmp_path / "e.csv", "id\nE1\n")
    for argv in (["match", str(e)], ["matsh"], []):
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err), pytest.raises(SystemExit) as done:
            main(argv)
        assert done.value.code == 2
        assert len(err.getvalue().strip().splitlines()) == 1, err.getvalue()


def test_input_values_in_messages_stay_on_one_line(tmp_path):
    e = _write(tmp_path / "e.csv", "id\nE1\n")
    m = _write(tmp_path / "m.csv", 'id,capacity\nM1,"2\n\x1b[31mred\u2028x"\n')
    stderr = _refused(tmp_path, e, m, what="invalid capacity '2\\n\\x1b[31mred\\u2028x'")
    assert "\x1b" not in stderr


FORMULAS = ["=1+2", "+33 1 23", "-2", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")']


def test_output_cells_are_never_spreadsheet_formulas(tmp_path):
    ids = [f"E{k}" if k % 2 else FORMULAS[k] for k in range(len(FORMULAS))]
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["id", "field"], *([i, "=x"] for i in ids)])
    e = _write(tmp_path / "e.csv", buffer.getvalue())
    m = _write(tmp_path / "m.csv", "id,field,capacity\n@M1,=x,9\n+M2,Santé,9\n")
    out = tmp_path / "o.csv"
    code, _stdout, stderr = _main(e, m, "-o", out)
    assert code == 0, stderr
    rows = list(csv.reader(out.open(encoding="utf-8", newline="")))
    cells = [c for row in rows[1:] for k, c in enumerate(row) if k != 2]
    assert cells
    assert not [c for c in cells if c.startswith(FORMULAS_START)]
    # Cells are read without their surrounding spaces, so "\tx" is the id "x".
    assert {r[0] for r in rows[1:]} == {spreadsheet_safe(i.strip()) for i in ids}
    assert {r[1] for r in rows[1:]} <= {"'@M1", "'+M2", ""}
    code, stdout, stderr = _main(e, m, "--mode", "suggest", "--mentee", "=1+2")
    assert code == 0, stderr
    suggestions = list(csv.reader(io.StringIO(stdout)))
    assert [r[0] for r in suggestions[1:]] == ["'=1+2", "'=1+2"]
    assert {r[2] for r in suggestions[1:]} == {"'@M1", "'+M2"}


FORMULAS_START = ("=", "+", "-", "@", "\t", "\r")


def test_the_engine_escapes_formulas_as_the_app_s_exports_do():
    from mentorat.lib import csv_export as exports

    assert FORMULA_PREFIXES == exports.FORMULA_PREFIXES == FORMULAS_START
    for text in [*FORMULAS, "", "E1", "'=x", " =x", "é=", "1-2"]:
        assert spreadsheet_safe(text) == exports.escape_text(text)
