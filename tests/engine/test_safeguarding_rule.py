"""The safeguarding rule: a minor mentee is paired only with a mentor whose safeguarding
check is recorded (`HardRules.safeguarding_for_minors`, columns `minor` and
`safeguarding_checked`).

Oracle: the rule gives exactly the matching of the same problem without the rule where
every (minor, unchecked mentor) pair is listed as excluded — an independent encoding of the
same constraint, through the exclusion lists every solver already honours."""

from __future__ import annotations

import csv
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from matching_engine import Criteria, HardRules, alternative_reason, build_problem, engine, solve
from matching_engine.algorithms import kernels
from matching_engine.algorithms.blocks import build_index
from matching_engine.algorithms.edges import profile_edges
from matching_engine.algorithms.stable import preference_order
from matching_engine.cli import app
from matching_engine.engine import rank_mentors, suggest
from tests.engine.instances import rows

FR = "vérification d'honorabilité non enregistrée"


def _rows(seed: int, n_mentees: int, n_mentors: int):
    rng = np.random.default_rng(seed)
    mentees = rows(rng, n_mentees, mentor=False)
    mentors = rows(rng, n_mentors, mentor=True)
    for row in mentees:
        row["minor"] = str(rng.choice(["oui", "non", ""]))
    for row in mentors:
        row["safeguarding_checked"] = str(rng.choice(["oui", "non"]))
    return mentees, mentors


def _criteria(on: bool) -> Criteria:
    return Criteria(rules=HardRules(safeguarding_for_minors=on, different_organizations=False))


def _forbidden(mentees, mentors) -> list[tuple[str, str]]:
    return [
        (e["id"], m["id"])
        for e in mentees
        if e["minor"] == "oui"
        for m in mentors
        if m["safeguarding_checked"] != "oui"
    ]


def _assert_respected(problem, assignment) -> None:
    for i, j in enumerate(assignment.tolist()):
        if j >= 0 and problem.mentees.minor[i]:
            assert problem.mentors.safeguarding_checked[j]


@pytest.mark.parametrize("national", [False, True])
@pytest.mark.parametrize("mode", ["optimal", "stable"])
@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 100_000))
def test_rule_equals_the_same_pairs_listed_as_excluded(monkeypatch, national, mode, seed):
    # National: the compiled kernels' paths (candidate lists, lazy stable lists); the same
    # value for every example, so the fixture not being reset between them is harmless.
    monkeypatch.setattr(engine, "FULL_GRAPH_CELLS", 0 if national else engine.FULL_GRAPH_CELLS)
    mentees, mentors = _rows(seed, 30, 12)
    ruled = build_problem(mentees, mentors, criteria=_criteria(True))
    listed = build_problem(
        mentees, mentors, criteria=_criteria(False), excluded=_forbidden(mentees, mentors)
    )
    got, want = solve(ruled, mode), solve(listed, mode)
    _assert_respected(ruled, got.assignment)
    assert got.summary.matched == want.summary.matched
    assert got.summary.total_score == want.summary.total_score
    if mode == "stable":
        assert got.assignment.tolist() == want.assignment.tolist()


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 100_000))
def test_kernel_lists_leave_out_unchecked_mentors_of_minors(seed):
    mentees, mentors = _rows(seed, 40, 25)
    p = build_problem(mentees, mentors, criteria=_criteria(True))
    packed = kernels.pack(p, build_index(p, np.ones(p.n_mentors, bool)))
    top = p.criteria.weights.max_score() + 1
    state = kernels.no_thresholds(packed, p.n_mentors)
    cut = np.full(p.n_mentees, top), np.full(p.n_mentees, -1)
    got_i, got_j, got_s, _ = kernels.top_lists(
        packed, np.arange(p.n_mentees), p.n_mentors, *cut, state
    )
    e = profile_edges(p)
    order = preference_order(e.mentee, e.mentor, e.score)
    assert got_i.tolist() == e.mentee[order].tolist()
    assert got_j.tolist() == e.mentor[order].tolist()
    assert got_s.tolist() == e.score[order].astype(np.int64).tolist()
    minor = p.mentees.minor[got_i]
    assert p.mentors.safeguarding_checked[got_j[minor]].all()


def test_rule_off_ignores_the_columns_and_adults_are_never_concerned():
    mentees = [{"id": "E1", "minor": "oui"}, {"id": "E2", "minor": "non"}]
    mentors = [{"id": "M1", "safeguarding_checked": "non", "capacity": "2"}]
    off = solve(build_problem(mentees, mentors, criteria=_criteria(False)))
    assert off.assignment.tolist() == [0, 0]
    on = solve(build_problem(mentees, mentors, criteria=_criteria(True)))
    assert on.assignment.tolist() == [-1, 0]  # the adult keeps the unchecked mentor


def test_unmatched_minor_and_alternatives_say_the_check_is_missing():
    mentees = [{"id": "E1", "minor": "oui"}]
    mentors = [{"id": "M1"}, {"id": "M2", "safeguarding_checked": "oui", "capacity": "0"}]
    mentors[1]["capacity"] = "1"
    p = build_problem(mentees, mentors[:1], criteria=_criteria(True))
    result = solve(p)
    reason = result.reasons[0]
    assert reason.code == "safeguarding_for_minors"
    assert FR in reason.fr
    assert "safeguarding check" in reason.en
    why = alternative_reason(p, np.array([-1]), np.array([1]), 0, 0)
    assert why.code == "rule_safeguarding_for_minors"
    assert why.fr == f"Règle\u202f: {FR}"
    assert why.en == "Hard rule: safeguarding check not recorded"
    # rank_mentors names the rule the unchecked mentor breaks; suggest leaves them out.
    both = build_problem(mentees, mentors, criteria=_criteria(True))
    ranked = {r.mentor: r.broken for r in rank_mentors(both, 0)}
    assert ranked == {0: ("safeguarding_for_minors",), 1: ()}
    assert [s.mentor for s in suggest(both, [0])[0]] == [1]


def test_grouped_reasons_tell_minors_from_adults():
    """Unmatched mentees are explained by groups of alike mentees: a minor and an adult of
    the same profile must not share the minor's reason."""
    mentees = [
        {"id": "E1", "minor": "oui"},
        {"id": "E2", "minor": "non"},
        {"id": "E3", "minor": "non"},
    ]
    mentors = [{"id": "M1", "safeguarding_checked": "non"}]
    result = solve(build_problem(mentees, mentors, criteria=_criteria(True)))
    assert result.reasons[0].code == "safeguarding_for_minors"
    unmatched_adult = next(i for i in (1, 2) if result.assignment[i] < 0)
    assert result.reasons[unmatched_adult].code == "full"


def test_tables_without_the_columns_count_nobody_as_minor():
    p = build_problem([{"id": "E1"}], [{"id": "M1"}], criteria=_criteria(True))
    bare = replace(
        p,
        mentees=replace(p.mentees, minor=np.zeros(0, bool)),
        mentors=replace(p.mentors, safeguarding_checked=np.zeros(0, bool)),
    )
    assert solve(bare).assignment.tolist() == [0]


def test_cli_reads_the_columns_and_the_rule(tmp_path):
    (tmp_path / "mentees.csv").write_text("id,minor\nE1,oui\nE2,non\n", encoding="utf-8")
    (tmp_path / "mentors.csv").write_text(
        "id,capacity,safeguarding_checked\nM1,2,non\n", encoding="utf-8"
    )
    (tmp_path / "criteria.toml").write_text(
        "[rules]\nsafeguarding_for_minors = true\n", encoding="utf-8"
    )
    out = tmp_path / "out.csv"
    done = CliRunner().invoke(
        app,
        [
            "match",
            str(tmp_path / "mentees.csv"),
            str(tmp_path / "mentors.csv"),
            "--config",
            str(tmp_path / "criteria.toml"),
            "-o",
            str(out),
            "--lang",
            "fr",
        ],
        env={"LANG": "C"},
    )
    assert done.exit_code == 0, done.output
    found = {r["mentee_id"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert found["E1"]["mentor_id"] == ""
    assert FR in found["E1"]["explanation"]
    assert found["E2"]["mentor_id"] == "M1"


def test_cli_names_the_file_line_and_column_of_a_bad_value(tmp_path):
    (tmp_path / "mentees.csv").write_text("id\nE1\n", encoding="utf-8")
    (tmp_path / "mentors.csv").write_text(
        "id,safeguarding_checked\nM1,peut-être\n", encoding="utf-8"
    )
    done = CliRunner().invoke(
        app,
        ["match", str(tmp_path / "mentees.csv"), str(tmp_path / "mentors.csv")],
        env={"LANG": "C"},
    )
    assert done.exit_code == 2
    assert "mentors.csv, line 2, column 2 (safeguarding_checked)" in done.output
