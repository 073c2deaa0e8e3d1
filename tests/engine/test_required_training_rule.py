"""The required-training rule (issue 19): with `HardRules.required_training`, only mentors
whose `trained` column is yes (they completed the modules the program requires before
matching) are paired.

Oracle: the rule gives exactly the matching of the same problem without the rule where
every pair with an untrained mentor is listed as excluded."""

from __future__ import annotations

import csv

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from matching_engine import Criteria, HardRules, alternative_reason, build_problem, engine, solve
from matching_engine.cli import app
from matching_engine.engine import rank_mentors, suggest
from tests.engine.instances import rows

FR = "formation obligatoire non suivie"
EN = "required training not completed"


def _rows(seed: int, n_mentees: int, n_mentors: int):
    rng = np.random.default_rng(seed)
    mentees = rows(rng, n_mentees, mentor=False)
    mentors = rows(rng, n_mentors, mentor=True)
    for row in mentors:
        row["trained"] = str(rng.choice(["oui", "non", ""]))
    return mentees, mentors


def _criteria(on: bool) -> Criteria:
    return Criteria(rules=HardRules(required_training=on, different_organizations=False))


@pytest.mark.parametrize("national", [False, True])
@pytest.mark.parametrize("mode", ["optimal", "stable"])
@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 100_000))
def test_rule_equals_the_same_pairs_listed_as_excluded(monkeypatch, national, mode, seed):
    monkeypatch.setattr(engine, "FULL_GRAPH_CELLS", 0 if national else engine.FULL_GRAPH_CELLS)
    mentees, mentors = _rows(seed, 30, 12)
    forbidden = [(e["id"], m["id"]) for e in mentees for m in mentors if m["trained"] != "oui"]
    ruled = build_problem(mentees, mentors, criteria=_criteria(True))
    listed = build_problem(mentees, mentors, criteria=_criteria(False), excluded=forbidden)
    got, want = solve(ruled, mode), solve(listed, mode)
    assert got.check_validity()
    matched = got.assignment[got.assignment >= 0]
    assert ruled.mentors.trained[matched].all()
    assert got.summary.matched == want.summary.matched
    assert got.summary.total_score == want.summary.total_score
    if mode == "stable":
        assert got.assignment.tolist() == want.assignment.tolist()


def test_a_mentor_without_the_required_training_is_not_proposed_with_the_reason():
    mentees = [{"id": "E1", "field": "Santé"}]
    mentors = [{"id": "M1", "field": "Santé", "trained": "non"}, {"id": "M2", "trained": "oui"}]
    p = build_problem(mentees, mentors, criteria=_criteria(True))
    result = solve(p)
    # M1 scores higher (same field) but lacks the training: M2 is proposed.
    assert result.assignment.tolist() == [1]
    why = alternative_reason(p, result.assignment, np.array([1, 0]), 0, 0)
    assert why.code == "rule_required_training"
    assert why.fr == f"Règle\u202f: {FR}"
    assert why.en == f"Hard rule: {EN}"
    ranked = {r.mentor: r.broken for r in rank_mentors(p, 0)}
    assert ranked == {0: ("required_training",), 1: ()}
    assert [s.mentor for s in suggest(p, [0])[0]] == [1]
    alone = solve(build_problem(mentees, mentors[:1], criteria=_criteria(True)))
    assert alone.assignment.tolist() == [-1]
    assert alone.reasons[0].code == "required_training"
    assert FR in alone.reasons[0].fr
    assert EN in alone.reasons[0].en


def test_rule_off_ignores_the_column():
    p = build_problem([{"id": "E1"}], [{"id": "M1", "trained": "non"}], criteria=_criteria(False))
    assert solve(p).assignment.tolist() == [0]


def test_cli_reads_the_column_and_the_rule(tmp_path):
    (tmp_path / "mentees.csv").write_text("id\nE1\nE2\n", encoding="utf-8")
    (tmp_path / "mentors.csv").write_text("id,trained\nM1,non\nM2,oui\n", encoding="utf-8")
    (tmp_path / "criteria.toml").write_text("[rules]\nrequired_training = true\n", "utf-8")
    out = tmp_path / "out.csv"
    done = CliRunner().invoke(
        app,
        [
            "match", str(tmp_path / "mentees.csv"), str(tmp_path / "mentors.csv"),
            "--config", str(tmp_path / "criteria.toml"), "-o", str(out), "--lang", "fr",
        ],
        env={"LANG": "C"},
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    found = {r["mentee_id"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert found["E1"]["mentor_id"] == "M2"
    assert found["E2"]["mentor_id"] == ""
    assert "M1" not in {r["mentor_id"] for r in found.values()}


def test_cli_names_the_file_line_and_column_of_a_bad_value(tmp_path):
    (tmp_path / "mentees.csv").write_text("id\nE1\n", encoding="utf-8")
    (tmp_path / "mentors.csv").write_text("id,trained\nM1,bientôt\n", encoding="utf-8")
    done = CliRunner().invoke(
        app,
        ["match", str(tmp_path / "mentees.csv"), str(tmp_path / "mentors.csv")],
        env={"LANG": "C"},
    )
    assert done.exit_code == 2
    assert "mentors.csv, line 2, column 2 (trained)" in done.output
