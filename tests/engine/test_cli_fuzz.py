"""Fuzzing `mentorat match` (issue 14, point 7): whatever the files hold and whatever the
arguments, the command run in-process ends with status 0, or 2 and exactly one line on
standard error; never 1 ("internal error"), never a traceback, never a partial or leftover
output file; and a written file never holds a cell that a spreadsheet would run as a
formula.

Bounded (`HYPOTHESIS_MAX_EXAMPLES`, 80 by default, no deadline: the first examples compile
the engine's kernels) so that the suite stays fast."""

import csv
import io
import os
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching_engine.cli import main
from matching_engine.io_csv import FORMULA_PREFIXES

EXAMPLES = int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "80"))

# Building blocks -----------------------------------------------------------------------------

COLUMNS = [
    "id", "name", "field", "domain", "target_occupation", "occupation", "skills", "goals",
    "languages", "region", "remote", "availability", "gender", "preferred_mentor_gender",
    "preferred_mentor_career_change", "career_change", "experience_years", "organization",
    "priority", "capacity", "mentee_id", "mentor_id", "score", "mentee_rank", "mentor_rank",
    "reason", "ID", " Id ", "",
]  # fmt: skip
VALUES = [
    "", " ", "E1", "E2", "M1", "M2", "1", "2", "0", "-1", "1.5", "2,5", "1e23", "1e300", "-1e300",
    "100000000000000000000000", "nan", "inf", "-inf", "9" * 400, "oui", "non", "yes", "F", "H",
    "X", "lun-soir", "mer", "sam-matin", "jeu-nuit", "Santé", "Informatique", "Île-de-France",
    "fr;en", "boursier;lycée pro", "conflit", "déjà essayé", "K", "M1805", "=1+2", "+33",
    "@SUM(A1)", "-x", '=HYPERLINK("http://x")', "\tx", "\rx", "a\nb", "\x1b[31m", "\u2028",
]  # fmt: skip
# Pieces that break CSV: quotes, both separators, line endings, NUL and other controls.
NASTY = ['"', '""', '"a"b', ";", ",", "\r", "\n", "\r\n", "\x00", "\x0b", "\ufeff", "\u2028"]

cells = st.one_of(st.sampled_from(VALUES), st.text(max_size=12), st.sampled_from(NASTY))


@st.composite
def csv_files(draw) -> bytes:
    """A CSV file: a table of likely columns and values, or text and bytes of no shape."""
    kind = draw(st.sampled_from(["table", "table", "table", "text", "bytes"]))
    if kind == "bytes":
        return draw(st.binary(max_size=80))
    if kind == "text":
        pieces = draw(st.lists(st.sampled_from([*NASTY, "a", "1", "id", " "]), max_size=20))
        return "".join(pieces).encode("utf-8")
    header = draw(st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=5))
    if draw(st.booleans()):
        header = ["id", *header]
    rows = draw(st.lists(st.lists(cells, min_size=len(header), max_size=len(header)), max_size=6))
    if draw(st.integers(0, 9)) == 0 and rows:
        rows[-1] = rows[-1][:-1]  # a ragged row
    separator = draw(st.sampled_from([",", ";"]))
    buffer = io.StringIO()
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    writer = csv.writer(buffer, delimiter=separator, lineterminator=ending)
    writer.writerows([header, *rows])
    return buffer.getvalue().encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"])),
                                     errors="replace")  # fmt: skip


TOML_VALUES = [
    "0", "1", "5", "30", "-1", "1000", "1001", "100000000000000000000000", "1e23", "0.9",
    '"90%"', '"x%"', "true", "false", "[1]", "{a = 1}", '"é"', "inf", "nan",
]  # fmt: skip
TOML_KEYS = [
    "field", "domain", "occupation", "skill", "skill_max", "availability_max", "seniority",
    "different_organizations", "seniority_min_gap", "same_organization", "boursier",
    "women_share", "prioritaire", "unknown",
]  # fmt: skip


@st.composite
def criteria_files(draw) -> bytes:
    """A criteria TOML: sections and keys of the format with any value, or no TOML."""
    if draw(st.integers(0, 4)) == 0:
        return draw(st.text(max_size=40)).encode("utf-8")
    lines = []
    for _ in range(draw(st.integers(0, 3))):
        section = draw(st.sampled_from(["weights", "rules", "parity", "other"]))
        if draw(st.integers(0, 5)) == 0:
            lines.append(f"{section} = {draw(st.sampled_from(TOML_VALUES))}")
            continue
        lines.append(f"[{section}]")
        keys = draw(st.lists(st.sampled_from(TOML_KEYS), max_size=3, unique=True))
        lines += [f"{k} = {draw(st.sampled_from(TOML_VALUES))}" for k in keys]
    return ("\n".join(lines) + "\n").encode("utf-8")


OPTION_VALUES = ["optimal", "stable", "suggest", "bogus", "", "0", "1", "3", "-1", "x", "1e3",
                 "99999999999999999999999", "fr", "en", "de", "E1", "=1+2"]  # fmt: skip


@st.composite
def invocations(draw):
    files = {
        "mentees.csv": draw(csv_files()),
        "mentors.csv": draw(csv_files()),
    }
    args = ["match", "mentees.csv", "mentors.csv"]
    for option in ("pairs", "exclude", "locked"):
        if draw(st.integers(0, 3)) == 0:
            files[f"{option}.csv"] = draw(csv_files())
            args += [f"--{option}", f"{option}.csv"]
    if draw(st.booleans()):
        files["criteria.toml"] = draw(criteria_files())
        args += ["--config", "criteria.toml"]
    output = draw(st.sampled_from(["out.csv", "out.csv", None, "folder", "absent/out.csv", ""]))
    if output is not None:
        args += ["-o", output]
    for option in ("--mode", "--top-k", "--mentee", "--lang"):
        if draw(st.integers(0, 3)) == 0:
            args += [option, draw(st.sampled_from(OPTION_VALUES))]
    if draw(st.integers(0, 9)) == 0:
        extra = draw(st.sampled_from(["--bogus", "-x", "--help"]))
        args.insert(draw(st.integers(0, len(args))), extra)
    return files, args, output


# The property --------------------------------------------------------------------------------


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(invocations())
def test_the_cli_exits_0_or_2_with_one_line_and_never_a_partial_file(invocation):
    files, args, output = invocation
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "folder").mkdir()
        for name, content in files.items():
            (root / name).write_bytes(content)
        before = set(root.iterdir())
        out, err = io.StringIO(), io.StringIO()
        cwd = os.getcwd()
        os.chdir(root)
        try:
            with redirect_stdout(out), redirect_stderr(err):
                try:
                    main(args)
                except SystemExit as done:
                    code = done.code
                else:
                    code = 0
        finally:
            os.chdir(cwd)
        stderr = err.getvalue()
        assert code in (0, 2), (args, stderr)
        assert "Traceback" not in stderr, stderr
        assert "internal error" not in stderr, stderr
        created = set(root.iterdir()) - before
        assert not list(root.rglob(".mentorat-*")), "a temporary file was left behind"
        if code == 2:
            assert len(stderr.strip().splitlines()) == 1, stderr
            assert out.getvalue() == "", "a refused run wrote rows to standard output"
            assert not created, f"a refused run left {created}"
            return
        if "--help" in args:
            return
        written = out.getvalue()
        if output == "out.csv":
            assert created == {root / "out.csv"}
            written = (root / "out.csv").read_text(encoding="utf-8")
        rows = list(csv.reader(io.StringIO(written, newline="")))
        if not rows:
            return
        numeric = {k for k, name in enumerate(rows[0]) if name in ("score", "rank")}
        formulas = [
            cell
            for row in rows[1:]
            for k, cell in enumerate(row)
            if k not in numeric and cell.startswith(FORMULA_PREFIXES)
        ]
        assert formulas == [], formulas
