"""Places reserved for a partnership (issue 20, point 4): mentor columns `reserved_places` and
`reserved_for`, mentee column `partnerships`.

Oracles: an exhaustive search over every assignment of small random instances, written on
the real mentors with the reservation as a count (at most capacity − reserved mentees outside
the partnership per mentor) — independent of the engine's mentor splitting; and, at national
scale, the full-graph solver on the same instance."""

from __future__ import annotations

import csv
import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from matching_engine import Criteria, HardRules, build_problem, engine, solve
from matching_engine.algorithms.edges import all_edges
from matching_engine.cli import app
from matching_engine.encode import build_problem_from_columns
from matching_engine.engine import suggest
from matching_engine.io_columns import read_columns
from matching_engine.io_csv import read_table
from matching_engine.result import InvalidMatching
from matching_engine.scoring import partnership_member
from tests.engine.instances import rows

PARTNERS = ["Lycée Rabelais", "IUT Nord"]


def _rows(seed: int, n_mentees: int, n_mentors: int, *, locked: int = 0):
    rng = np.random.default_rng(seed)
    mentees = rows(rng, n_mentees, mentor=False)
    mentors = rows(rng, n_mentors, mentor=True)
    for row in mentees:
        row["partnerships"] = str(rng.choice(["", "", PARTNERS[0], PARTNERS[1]]))
    for row in mentors:
        capacity = int(row["capacity"])
        reserved = int(rng.integers(0, capacity + 1)) if rng.random() < 0.6 else 0
        row["reserved_places"] = str(reserved)
        row["reserved_for"] = str(rng.choice(PARTNERS)) if reserved else ""
    lock = []
    if locked:
        caps = {m["id"]: int(m["capacity"]) for m in mentors}
        for i in rng.choice(n_mentees, size=min(locked, n_mentees), replace=False).tolist():
            j = f"M{rng.integers(n_mentors)}"
            if caps[j] > 0:
                caps[j] -= 1
                lock.append((f"E{i}", j))
    return mentees, mentors, lock


def _problem(mentees, mentors, lock=(), priority=True):
    if not priority:
        for row in mentees:
            row["priority"] = ""
    return build_problem(
        mentees,
        mentors,
        criteria=Criteria(rules=HardRules(different_organizations=False)),
        locked=list(lock),
    )


def _exhaustive(p):
    """(priority matched, matched, total score) of the best assignment of the real mentors
    that keeps capacities and, per mentor, at most capacity − reserved mentees outside the
    partnership (pairs allowed by the profile rules alone)."""
    edges = all_edges(p)
    options = [[-1] for _ in range(p.n_mentees)]
    score = {}
    for i, j, s in zip(
        edges.mentee.tolist(), edges.mentor.tolist(), edges.score.tolist(), strict=True
    ):
        options[i].append(j)
        score[i, j] = s
    mo = p.mentors
    best = None
    for choice in itertools.product(*options):
        a = np.array(choice)
        counts = np.bincount(a[a >= 0], minlength=p.n_mentors)
        if (counts > mo.capacity).any():
            continue
        matched = np.flatnonzero(a >= 0)
        outside = ~partnership_member(p, matched, mo.reserved_for[a[matched]])
        others = np.bincount(a[matched[outside]], minlength=p.n_mentors)
        if (others > mo.capacity - mo.reserved_places).any():
            continue
        key = (
            int(p.mentees.priority[matched].sum()),
            len(matched),
            sum(score[i, choice[i]] for i in matched.tolist()),
        )
        best = key if best is None or key > best else best
    return best


def _key(result):
    matched = result.assignment >= 0
    return (
        int((result.problem.mentees.priority & matched).sum()),
        int(matched.sum()),
        float(np.nansum(result.score)),
    )


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 100_000), n_i=st.integers(1, 6), n_j=st.integers(1, 3))
def test_optimal_equals_an_exhaustive_search_with_reserved_places(seed, n_i, n_j):
    mentees, mentors, _ = _rows(seed, n_i, n_j)
    p = _problem(mentees, mentors)
    result = solve(p, "optimal")
    assert result.check_validity()
    assert _key(result) == _exhaustive(p)
    assert result.summary.score_bound is None or result.summary.score_bound == _key(result)[2]


@pytest.mark.parametrize("mode", ["optimal", "stable"])
@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 100_000))
def test_national_scale_paths_keep_reservations_and_equal_the_full_graph(monkeypatch, mode, seed):
    mentees, mentors, lock = _rows(seed, 60, 20, locked=4)
    p = _problem(mentees, mentors, lock)
    full = solve(p, mode)
    monkeypatch.setattr(engine, "FULL_GRAPH_CELLS", 0)
    national = solve(p, mode)
    for result in (full, national):
        assert result.check_validity()
    if mode == "stable":
        assert national.assignment.tolist() == full.assignment.tolist()
    else:
        assert _key(national)[:2] == _key(full)[:2]
        # Proven within the national solver's stopping ratio of the exact optimum.
        assert _key(national)[2] >= 0.995 * _key(full)[2] - 1e-9
        assert national.summary.upper_bound >= _key(full)[2] - 1e-6


def test_reserved_place_goes_only_to_the_partnership_and_is_explained():
    mentees = [
        {"id": "E1", "field": "Santé"},
        {"id": "E2", "field": "Santé"},
        {"id": "E3", "partnerships": "Lycée Rabelais"},
    ]
    mentors = [
        {"id": "M1", "field": "Santé", "capacity": "3", "reserved_places": "2",
         "reserved_for": "Lycée Rabelais"},
    ]  # fmt: skip
    result = solve(_problem(mentees, mentors))
    result.check_validity()
    # One open place: the better non-partner mentee (E1, first by index) takes it, the
    # partner's mentee a reserved place; the second reserved place stays empty.
    assert result.assignment.tolist() == [0, -1, 0]
    assert result.reasons[1].code == "reserved_full"
    assert "réservées à un partenariat" in result.reasons[1].fr
    assert "reserved for a partnership" in result.reasons[1].en
    assert result.explanation(2).text("fr") == "Place réservée au partenariat Lycée Rabelais"
    assert result.explanation(2).text("en") == "Place reserved for the partnership Lycée Rabelais"
    assert "réservée" not in result.explanation(0).text("fr")
    (report,) = result.summary.reserved
    assert (report.partnership, report.places, report.filled, report.empty) == (
        "Lycée Rabelais", 2, 1, 1,
    )  # fmt: skip
    assert sum(r.empty for r in result.summary.reserved) == 1
    # suggest keeps the reserved place for the partnership's mentees.
    assert suggest(result.problem, [1], assignment=result.assignment) == [[]]


def test_a_mentor_whose_places_are_all_reserved_tells_outsiders_why():
    mentees = [{"id": "E1"}]
    mentors = [{"id": "M1", "reserved_places": "1", "reserved_for": "IUT Nord"}]
    result = solve(_problem(mentees, mentors))
    assert result.assignment.tolist() == [-1]
    assert result.reasons[0].code == "reserved_places"
    assert result.summary.reserved[0].empty == 1


def test_validity_check_refuses_outsiders_on_reserved_places():
    mentees = [{"id": "E1"}, {"id": "E2"}]
    mentors = [{"id": "M1", "capacity": "2", "reserved_places": "1", "reserved_for": "X"}]
    result = solve(_problem(mentees, mentors))
    assert result.assignment.tolist() in ([0, -1], [-1, 0])
    forced = type(result)(**{**result.__dict__, "assignment": np.array([0, 0])})
    with pytest.raises(InvalidMatching, match="outside its partnership"):
        forced.check_validity()


def test_without_reservations_nothing_changes():
    mentees, mentors, _ = _rows(7, 30, 10)
    for row in mentors:
        row["reserved_places"], row["reserved_for"] = "0", ""
    with_columns = solve(_problem(mentees, mentors))
    for row in mentors:
        del row["reserved_places"], row["reserved_for"]
    bare = solve(_problem(mentees, mentors))
    assert with_columns.assignment.tolist() == bare.assignment.tolist()
    assert with_columns.summary.reserved == ()


def _cli(tmp_path, mentees: str, mentors: str, *extra: str):
    (tmp_path / "mentees.csv").write_text(mentees, encoding="utf-8")
    (tmp_path / "mentors.csv").write_text(mentors, encoding="utf-8")
    return CliRunner().invoke(
        app,
        ["match", str(tmp_path / "mentees.csv"), str(tmp_path / "mentors.csv"), *extra],
        env={"LANG": "C"},
    )


def test_cli_reads_the_columns_and_reports_empty_reserved_places(tmp_path):
    out = tmp_path / "out.csv"
    done = _cli(
        tmp_path,
        "id,partnerships\nE1,\nE2,Lycée Rabelais\nE3,\n",
        "id,capacity,reserved_places,reserved_for\nM1,3,2,Lycée Rabelais\n",
        "-o", str(out), "--lang", "fr",
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    found = {r["mentee_id"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert found["E2"]["mentor_id"] == "M1"
    assert found["E2"]["explanation"].endswith("Place réservée au partenariat Lycée Rabelais")
    assert [found["E1"]["mentor_id"], found["E3"]["mentor_id"]].count("M1") == 1
    assert (
        "Places réservées au partenariat Lycée Rabelais\u202f: 1/2 pourvues, "
        "1 laissée(s) vide(s)" in done.output
    )


@pytest.mark.parametrize(
    ("mentors", "where", "what"),
    [
        (
            "id,capacity,reserved_places,reserved_for\nM1,2,3,X\n",
            "mentors.csv, line 2, column 3 (reserved_places)",
            "exceed the capacity",
        ),
        (
            "id,capacity,reserved_places,reserved_for\nM1,2,1,\n",
            "mentors.csv, line 2, column 4 (reserved_for)",
            "without a partnership",
        ),
        (
            "id,capacity,reserved_places\nM1,2,beaucoup\n",
            "mentors.csv, line 2, column 3 (reserved_places)",
            "not a number",
        ),
    ],
)
def test_cli_names_the_file_line_and_column_of_a_bad_reservation(tmp_path, mentors, where, what):
    done = _cli(tmp_path, "id\nE1\n", mentors)
    assert done.exit_code == 2
    assert where in done.output
    assert what in done.output


@pytest.mark.parametrize("seed", range(8))
def test_column_reader_builds_the_reservations_the_row_reader_builds(tmp_path, seed):
    mentees, mentors, _ = _rows(seed, 40, 15)
    for name, table in (("mentees.csv", mentees), ("mentors.csv", mentors)):
        with (tmp_path / name).open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(table[0]))
            writer.writeheader()
            writer.writerows(table)
    by_rows = build_problem(
        read_table(tmp_path / "mentees.csv").rows, read_table(tmp_path / "mentors.csv").rows
    )
    by_columns = build_problem_from_columns(
        read_columns(tmp_path / "mentees.csv"), read_columns(tmp_path / "mentors.csv")
    )
    assert by_columns.vocab == by_rows.vocab
    assert by_rows.vocab.partnerships  # the instance has some
    for side, names in (
        ("mentees", ["partnerships"]),
        ("mentors", ["reserved_places", "reserved_for", "capacity"]),
    ):
        for name in names:
            x = getattr(getattr(by_columns, side), name)
            y = getattr(getattr(by_rows, side), name)
            assert x.dtype == y.dtype, (side, name)
            assert np.array_equal(x, y), (side, name)
