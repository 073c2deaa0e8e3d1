"""The column reader and the bulk explanations (issue 24) against the row reader and the
pair-by-pair explanations: same cells, same Problem, same texts. The whole command's output
on these random instances is kept as stored files (test_expected_outputs.py, written by the
row reader and pair-by-pair explanations when they were the command's code path)."""

import csv
import io
import os
from dataclasses import fields

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from matching_engine import cli
from matching_engine.encode import build_problem, build_problem_from_columns
from matching_engine.engine import solve
from matching_engine.explain import explain_pair, explanation_texts
from matching_engine.io_columns import SPACES, NotColumnar, read_columns
from matching_engine.io_csv import InputFileError, read_table
from matching_engine.model import EngineInputError
from tests.engine.test_cli_fuzz import csv_files

EXAMPLES = int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "80"))

FIELDS = ["Informatique", "informatique ", "Santé", "Sante", "Commerce", "BTP", "", "Droit"]
SKILLS = ["python", "Python", "gestion de projet", "communication", "réseaux sociaux", "excel",
          " leadership ", "comptabilité"]  # fmt: skip
LANGUAGES = ["fr", "français", "anglais", "en", "arabe", "espagnol", "lsf"]
REGIONS = ["Île-de-France", "Bretagne", "bretagne", "Occitanie", "La Réunion", ""]
GOALS = ["premier emploi", "stage", "alternance", "reconversion", "réseau", "orientation"]
SLOTS = ["lun-soir", "mer-après-midi", "sam", "ven matin", "dim-soir", "mar-matin"]


def _multi(rng, words, separator):
    picked = rng.choice(words, rng.integers(0, 4), replace=False).tolist()
    return separator.join(picked)


def _instance(seed):
    """Random mentees and mentors rows (strings, as in a file) with most columns."""
    rng = np.random.default_rng(seed)
    n_i, n_j = int(rng.integers(1, 40)), int(rng.integers(1, 25))
    inner = str(rng.choice([";", ","]))

    def side(n, mentor):
        rows = []
        for k in range(n):
            row = {
                "id": f"{'M' if mentor else 'E'}{k:03d}",
                "name": str(rng.choice(["Léa Martin", "Hugo N'Diaye", "", "=cmd"])),
                "field": str(rng.choice(FIELDS)),
                "domain": str(rng.choice(["", "M", "J1501", "K"])),
                "occupation" if mentor else "target_occupation": str(
                    rng.choice(["Développeur", "Infirmier", "", "Comptable"])
                ),
                "skills": _multi(rng, SKILLS, inner),
                "goals": _multi(rng, GOALS, inner),
                "languages": _multi(rng, LANGUAGES, inner),
                "region": str(rng.choice(REGIONS)),
                "remote": str(rng.choice(["oui", "non", "", "yes"])),
                "availability": _multi(rng, SLOTS, inner),
                "gender": str(rng.choice(["F", "H", "X", ""])),
                "organisation" if seed % 3 == 0 else "organization": str(
                    rng.choice(["Acme", "acme", "Globex", ""])
                ),
                "experience_years": str(rng.choice(["", "0", "3", "12", "25"])),
            }
            if mentor:
                row["capacity"] = str(rng.choice(["", "1", "2", "3"]))
                row["career_change"] = str(rng.choice(["oui", "non", ""]))
                row["safeguarding_checked"] = str(rng.choice(["oui", "non"]))
            else:
                row["preferred_mentor_gender"] = str(rng.choice(["", "F", "H", "indifférent"]))
                row["preferred_mentor_career_change"] = str(rng.choice(["", "oui"]))
                row["priority"] = str(rng.choice(["", "oui", "boursier", "boursier;lycée pro"]))
                row["minor"] = str(rng.choice(["non", "oui", ""]))
            rows.append(row)
        return rows

    return rng, side(n_i, False), side(n_j, True)


def _write(path, rows, rng):
    """Rows as a CSV file of a random dialect: separator, quoting, encoding, line endings,
    blank records and padding spaces."""
    separator = str(rng.choice([",", ";"]))
    quoting = int(rng.choice([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter=separator, quoting=quoting, lineterminator=str(rng.choice(["\n", "\r\n"]))
    )
    header = list(rows[0])
    writer.writerow([h.upper() if rng.random() < 0.2 else h for h in header])
    for row in rows:
        if rng.random() < 0.1:
            writer.writerow([""] * len(header))  # a blank record, skipped
        cells = [row[h] for h in header]
        if quoting == csv.QUOTE_MINIMAL and rng.random() < 0.3:
            cells = [f" {c}" if c and not c.startswith("=") else c for c in cells]
        writer.writerow(cells)
    text = buffer.getvalue()
    encoding = str(rng.choice(["utf-8", "utf-8-sig", "cp1252"]))
    path.write_bytes(text.encode(encoding))
    return path


def _same_problem(a, b):
    for side in ("mentees", "mentors"):
        for f in fields(getattr(a, side)):
            x, y = getattr(getattr(a, side), f.name), getattr(getattr(b, side), f.name)
            if isinstance(x, np.ndarray):
                assert x.dtype == y.dtype, (side, f.name)
                assert np.array_equal(x, y), (side, f.name)
            else:
                assert x == y, (side, f.name)
    assert a.vocab == b.vocab


@pytest.mark.parametrize("seed", range(40))
def test_columns_build_the_problem_rows_build(tmp_path, seed):
    rng, mentees, mentors = _instance(seed)
    a = _write(tmp_path / "mentees.csv", mentees, rng)
    b = _write(tmp_path / "mentors.csv", mentors, rng)
    by_rows = build_problem(read_table(a).rows, read_table(b).rows)
    by_columns = build_problem_from_columns(read_columns(a), read_columns(b))
    _same_problem(by_columns, by_rows)


@pytest.mark.parametrize("seed", range(40))
def test_bulk_explanations_are_the_pair_by_pair_ones(seed):
    rng, mentees, mentors = _instance(seed)
    p = build_problem(mentees, mentors)
    ii = rng.integers(0, p.n_mentees, 60)
    jj = rng.integers(0, p.n_mentors, 60)
    for lang in ("fr", "en"):
        expected = [explain_pair(p, int(i), int(j)).text(lang) for i, j in zip(ii, jj, strict=True)]
        assert explanation_texts(p, ii, jj, lang) == expected


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(csv_files())
def test_column_reader_reads_the_cells_the_row_reader_reads(tmp_path_factory, raw):
    path = tmp_path_factory.mktemp("cols") / "f.csv"
    path.write_bytes(raw)
    try:
        columns = read_columns(path)
    except NotColumnar:
        return  # read by the row reader
    table = read_table(path, ())  # must not fail where the column reader did not
    assert columns.header == table.header
    assert columns.rows == len(table.rows)
    for name in set(table.header):
        assert columns.get(name).cells() == [row[name] for row in table.rows]


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(csv_files(), csv_files())
def test_column_encoding_fails_only_where_rows_fail_or_builds_the_same(tmp_path_factory, a, b):
    folder = tmp_path_factory.mktemp("enc")
    (folder / "a.csv").write_bytes(a)
    (folder / "b.csv").write_bytes(b)
    try:
        by_columns = build_problem_from_columns(
            read_columns(folder / "a.csv"), read_columns(folder / "b.csv")
        )
    except (NotColumnar, EngineInputError):
        return  # the CLI falls back to the row reader, which reports
    try:
        by_rows = build_problem(
            read_table(folder / "a.csv").rows, read_table(folder / "b.csv").rows
        )
    except (InputFileError, EngineInputError) as exc:  # pragma: no cover - a failure
        raise AssertionError(f"columns accepted what rows reject: {exc}") from exc
    _same_problem(by_columns, by_rows)
    assert (solve(by_columns, "stable").assignment == solve(by_rows, "stable").assignment).all()


def test_the_whitespace_list_is_python_s():
    assert "".join(chr(c) for c in range(0x110000) if chr(c).isspace()) == SPACES


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_column_reader_reads_each_encoding_itself(tmp_path, encoding):
    # The row reader's encodings, read by columns (not left to the row reader), the byte
    # order mark dropped and Windows-1252 read as such; a second mark is a cell's text.
    path = tmp_path / "f.csv"
    text = "id;nom;région\r\nE1;Zoé N'Diaye;Île-de-France\r\nE2;Œuvre « x »;\ufeffCorse\r\n"
    if encoding == "cp1252":
        text = text.replace("\ufeff", "")
    path.write_bytes(text.encode(encoding))
    table = read_columns(path)
    assert table.header == ("id", "nom", "région")
    assert table.get("nom").cells() == ["Zoé N'Diaye", "Œuvre « x »"]
    corse = "Corse" if encoding == "cp1252" else "\ufeffCorse"
    assert table.get("région").cells() == ["Île-de-France", corse]
    assert [table.get(c).cells() for c in table.header] == [
        [row[c] for row in read_table(path, ()).rows] for c in table.header
    ]


@pytest.mark.parametrize(
    "text",
    [
        'id,name\nE1,"unterminated\n',  # the row reader reports it
        'id,name\nE1,ab"c\n',  # a quote inside an unquoted cell
        'id,name\nE1,"a" b\n',  # text after a closing quote
        "id,name\nE1,a\x00b\n",  # NUL
        "id,name\nE1\n",  # a short row
        "id,name\n",  # no data row
        "  \n",  # nothing
        "id,x\nE1," + "a" * 200_000 + "\n",  # beyond the csv module's field size limit
    ],
)
def test_column_reader_leaves_doubtful_files_to_the_row_reader(tmp_path, text):
    path = tmp_path / "f.csv"
    path.write_bytes(text.encode("utf-8"))
    with pytest.raises(NotColumnar):
        read_columns(path)


def test_bad_values_are_reported_by_the_row_reader_with_line_and_column(tmp_path, capsys):
    mentees = tmp_path / "e.csv"
    mentees.write_text("id,remote\nE1,oui\nE2,peut-être\n", encoding="utf-8")
    mentors = tmp_path / "m.csv"
    mentors.write_text("id,capacity\nM1,2\n", encoding="utf-8")
    assert cli.run(["match", str(mentees), str(mentors), "--lang", "en"]) == 2
    assert "e.csv, line 3, column 2 (remote)" in capsys.readouterr().err
