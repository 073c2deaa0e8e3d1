"""Starting ``mentorat`` loads only what every mode needs: the rounds planner (OR-Tools'
CP-SAT, pandas), the exact flows (OR-Tools) and the compiled kernels (numba) load when a
run needs them, not when the command starts (about 2 s of a national run's start-up)."""

from __future__ import annotations

import subprocess
import sys

from matching_engine import cli, rounds


def test_the_command_starts_without_ortools_pandas_or_numba():
    code = (
        "import sys\n"
        "import matching_engine.cli\n"
        "print(sorted(m for m in ('ortools', 'pandas', 'numba') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_the_command_s_rounds_limits_are_the_planner_s():
    assert (cli.MAX_ROUNDS, cli.MAX_TABLE_SIZE) == (rounds.MAX_ROUNDS, rounds.MAX_TABLE_SIZE)


def test_reading_the_files_by_columns_does_not_load_pandas(tmp_path):
    path = tmp_path / "mentees.csv"
    path.write_text('id,skills,region\nE1,"SQL, Python", Bretagne\nE2,,\n', encoding="utf-8")
    code = (
        "import sys\n"
        "from matching_engine.io_columns import read_columns\n"
        f"t = read_columns({str(path)!r})\n"
        "print(t.get('skills').items()[0], t.get('region').values, 'pandas' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "['SQL', ' Python', ''] ['Bretagne', ''] False"
