"""The command's output lines, built column by column, are the bytes ``csv.writer`` writes
from the row-by-row ``match_rows``."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from matching_engine import build_problem, engine
from matching_engine.io_csv import (
    match_lines,
    match_rows,
    safe_cell,
    safe_cells,
    spreadsheet_safe,
)
from tests.engine.instances import random_problem

# Characters that change how a cell is written: separators, quotes, line breaks, formula
# starts, spaces and a character csv.writer leaves alone (a line separator).
TRICKY = st.text(alphabet=st.sampled_from(list(",\";\r\n=+-@\t 'aé\u2028")), max_size=6)


def _written(rows) -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


@settings(max_examples=300, deadline=None)
@given(values=st.lists(st.one_of(TRICKY, st.text(max_size=8)), max_size=6))
def test_cells_are_written_as_csv_writer_writes_spreadsheet_safe_text(values):
    expected = _written([[spreadsheet_safe(v) for v in values] + ["x"]])
    assert ",".join([*(safe_cell(v) for v in values), "x"]) + "\r\n" == expected
    assert ",".join([*safe_cells(values), "x"]) + "\r\n" == expected


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    mentees=st.integers(1, 40),
    mentors=st.integers(1, 25),
    mode=st.sampled_from(["stable", "optimal"]),
    lang=st.sampled_from(["fr", "en"]),
)
def test_lines_are_the_bytes_of_the_rows(seed, mentees, mentors, mode, lang):
    p = random_problem(seed, mentees, mentors, exclusions=4)
    result = engine.solve(p, mode)
    rows = list(match_rows(result, lang, bulk=False))
    assert "".join(match_lines(result, lang)) == _written(rows)


@settings(max_examples=40, deadline=None)
@given(
    ids=st.lists(TRICKY.filter(str.strip), min_size=1, max_size=8, unique_by=str.strip),
    mentor_ids=st.lists(TRICKY.filter(str.strip), min_size=1, max_size=4, unique_by=str.strip),
)
def test_ids_that_need_quotes_or_escapes_are_written_as_the_rows(ids, mentor_ids):
    ids = [i.strip() for i in ids]
    mentor_ids = [j.strip() for j in mentor_ids]
    p = build_problem(
        [{"id": i, "field": "Santé", "skills": "SQL"} for i in ids],
        [{"id": j, "field": "Santé", "skills": "SQL", "capacity": "2"} for j in mentor_ids],
    )
    result = engine.solve(p, "stable")
    for lang in ("fr", "en"):
        rows = list(match_rows(result, lang, bulk=False))
        assert "".join(match_lines(result, lang)) == _written(rows)


def test_reserved_places_are_named_as_in_the_rows():
    mentees = [
        {"id": f"E{k}", "field": "Santé", "skills": "SQL", "partnerships": "Lycée" * (k % 2)}
        for k in range(8)
    ]
    mentors = [
        {"id": "M1", "field": "Santé", "capacity": "3", "reserved_places": "2",
         "reserved_for": "Lycée"},
        {"id": "M2", "field": "Commerce", "capacity": "2"},
    ]  # fmt: skip
    result = engine.solve(build_problem(mentees, mentors), "stable")
    assert result.reserved_place is not None
    assert (result.reserved_place >= 0).any()
    for lang in ("fr", "en"):
        rows = list(match_rows(result, lang, bulk=False))
        assert "".join(match_lines(result, lang)) == _written(rows)
