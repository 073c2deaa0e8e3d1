"""Engine bugs fixed so far, kept as data: one folder per bug under `data/`, holding the
input files that showed it and a `case.json` (the commit that fixed it, what was wrong, and
the property the bug broke). Add a folder when an engine bug is fixed.

`check` is one of:
- `refused`: the command exits 2 with exactly `message` on one line and writes no file;
- `matches`: the command succeeds and writes exactly `expected.csv` (French explanations);
- `block_bounds`: every mentor block's score bound is at least the score of every pair the
  block holds, and the blocks a mentee can reach hold every mentor compatible with them.
"""

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from matching_engine import build_problem
from matching_engine.algorithms import kernels
from matching_engine.algorithms.blocks import REMOTE, build_index
from matching_engine.cli import app
from matching_engine.io_csv import read_table
from matching_engine.scoring import score_block

DATA = Path(__file__).parent / "data"
CASES = sorted(p.name for p in DATA.iterdir() if (p / "case.json").is_file())


def _case(name: str) -> dict:
    return json.loads((DATA / name / "case.json").read_text(encoding="utf-8"))


def _match(folder: Path, out: Path, args: list[str]):
    files = [folder / "mentees.csv", folder / "mentors.csv"]
    if (folder / "pairs.csv").is_file():
        args = [*args, "--pairs", "pairs.csv"]
    # Relative names, so messages name the files as the case does.
    return CliRunner().invoke(
        app,
        ["match", *(f.name for f in files), "-o", str(out), "--lang", "fr", *args],
        env={"LANG": "C", "LC_ALL": ""},
        catch_exceptions=False,
    )


def test_every_case_names_its_fix_and_a_known_check():
    assert CASES
    for name in CASES:
        case = _case(name)
        assert case["fixed_in"], name
        assert case["bug"], name
        assert case["check"] in {"refused", "matches", "block_bounds"}, name


@pytest.mark.parametrize("name", CASES)
def test_regression(name, tmp_path, monkeypatch):
    folder = DATA / name
    case = _case(name)
    if case["check"] == "block_bounds":
        _check_block_bounds(folder)
        return
    monkeypatch.chdir(folder)
    out = tmp_path / "out.csv"
    done = _match(folder, out, case.get("args", []))
    if case["check"] == "refused":
        assert done.exit_code == 2, done.output
        assert done.output.strip().splitlines() == [case["message"]]
        assert not out.exists()
    else:
        assert done.exit_code == 0, done.output
        expected = (folder / "expected.csv").read_text(encoding="utf-8")
        assert out.read_text(encoding="utf-8") == expected


def _check_block_bounds(folder: Path) -> None:
    """The property tests/engine/test_blocks.py checks on random problems, on this case."""
    p = build_problem(
        read_table(folder / "mentees.csv").rows, read_table(folder / "mentors.csv").rows
    )
    packed = kernels.pack(p, build_index(p, np.ones(p.n_mentors, bool)))
    scores, compatible = score_block(p, np.arange(p.n_mentees), np.arange(p.n_mentors))
    no_price = np.zeros(len(packed.family))
    for i in range(p.n_mentees):
        blocks, bounds, _ = kernels._ranked_blocks(packed, i, no_price, -np.inf)
        covered = np.zeros(p.n_mentors, bool)
        for b, bound in zip(blocks.tolist(), bounds.tolist(), strict=True):
            members = packed.members[packed.start[b] : packed.start[b + 1]]
            if packed.family[b] == REMOTE:
                members = members[p.mentors.region[members] != p.mentees.region[i]]
            covered[members] = True
            held = scores[i, members][compatible[i, members]]
            assert (held <= bound).all(), f"mentee {i}, block {b}: scores {held} > bound {bound}"
        assert covered[compatible[i]].all()
