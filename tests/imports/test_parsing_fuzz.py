"""Fuzzing the import parser: whatever bytes are uploaded, the parser gives a table or its
own translated error (FileProblem), never another exception; a well-formed file is read
back exactly, whatever its encoding, separator and line endings; and through the preview
and import services a refused file leaves nothing behind.

Bounded (a few hundred examples, no deadline: the first examples load the translation
catalogues) so that the suite stays fast; `HYPOTHESIS_MAX_EXAMPLES` raises the count for a
longer local run."""

import io
import os
import zipfile
from collections.abc import Callable
from typing import TypeVar

import pytest
from django.db import transaction
from django.utils import translation
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from mentorat.accounts.models import User
from mentorat.applications.imports import services
from mentorat.applications.imports.columns import COLUMNS
from mentorat.applications.imports.models import ImportBatch, ImportStatus
from mentorat.applications.imports.parsing import MAX_ROWS, FileProblem, Table, read_table
from mentorat.applications.models import Application
from mentorat.audit.models import AuditEntry
from mentorat.lib.errors import DomainError
from mentorat.organizations.models import Invitation, Membership
from mentorat.participants.models import Profile
from tests.imports.files import people, xlsx_bytes

T = TypeVar("T")
EXAMPLES = int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "150"))

# Building blocks -----------------------------------------------------------------------------

CODES = [c.code for c in COLUMNS]
HEADER_NAMES = [*CODES, "Courriel", "Prénom", "Nom", "Date de naissance", "Rôle", "Classe", ""]
VALUES = [
    *(c.example for c in COLUMNS),
    "",
    " ",
    "lea@example.org",
    "LEA@EXAMPLE.ORG",
    "jean.dupont@",
    "31/02/2004",
    "2004-03-14",
    "1e23",
    "-1",
    "mentor",
    "mentee",
    "Mentoré·e",
    "oui",
    '=HYPERLINK("x")',
]
# Pieces that break CSV in every known way: quotes, separators, line endings of the three
# families, NUL and other control characters, byte order marks, lone surrogates.
NASTY = ['"', '""', '"a"b', ";", ",", "\t", "\r", "\n", "\r\n", "\x00", "\x0b", "\ufeff", "\ud800"]
LINE_ENDINGS = ["\r\n", "\n", "\r"]
SEPARATORS = [";", ",", "\t"]
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "utf-16"]
BOMS = [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00"]
# Past csv's default field limit of 131,072 characters, and a file holding it is
# still under the 5 MB upload limit.
LONG_CELL = "x" * 131_073

cell = st.one_of(
    st.sampled_from(VALUES),
    st.sampled_from(NASTY),
    st.text(max_size=12),
    st.lists(st.sampled_from(["a", "é", " ", *NASTY]), max_size=6).map("".join),
)


@st.composite
def text_files(draw: st.DrawFn) -> bytes:
    """A CSV-like file: a header of known and unknown names, rows of plausible and
    nasty cells, any separator and line endings (mixed in one file too), any encoding,
    maybe a byte order mark, a cell past the csv limit, or random bytes spliced in."""
    separator = draw(st.sampled_from(SEPARATORS))
    endings = draw(st.lists(st.sampled_from(LINE_ENDINGS), min_size=1, max_size=3))
    header = draw(st.lists(st.sampled_from(HEADER_NAMES), min_size=0, max_size=6))
    rows = draw(st.lists(st.lists(cell, max_size=7), max_size=6))
    lines = [header, *rows]
    if draw(st.integers(0, 9)) == 0:
        where = draw(st.integers(0, len(lines) - 1))
        lines[where] = [*lines[where], LONG_CELL]
    text = "".join(
        separator.join(line) + endings[number % len(endings)] for number, line in enumerate(lines)
    )
    encoding = draw(st.sampled_from(ENCODINGS))
    content = text.encode(encoding, errors="surrogatepass" if "utf" in encoding else "replace")
    content = draw(st.sampled_from(BOMS)) + content
    if draw(st.booleans()):
        splice = draw(st.binary(max_size=8))
        at = draw(st.integers(0, len(content)))
        content = content[:at] + splice + content[at:]
    if draw(st.integers(0, 5)) == 0:
        content = content[: draw(st.integers(0, len(content)))]
    return content


@st.composite
def workbooks(draw: st.DrawFn) -> bytes:
    """A real .xlsx, then truncated or with bytes overwritten, or junk after the zip magic."""
    if draw(st.booleans()):
        return b"PK\x03\x04" + draw(st.binary(max_size=200))
    content = bytearray(XLSX)
    if draw(st.booleans()):
        del content[draw(st.integers(1, len(content) - 1)) :]
    for _ in range(draw(st.integers(0, 6))):
        content[draw(st.integers(0, len(content) - 1))] = draw(st.integers(0, 255))
    return bytes(content)


def _small_xlsx() -> bytes:
    return xlsx_bytes(people(3))


XLSX = _small_xlsx()


@st.composite
def people_files(draw: st.DrawFn) -> bytes:
    """Mostly valid lists of people, as CSV (any separator, line endings, encoding) or
    XLSX, some with a bad cell or a damaged byte: what reaches the import proper."""
    emails = st.one_of(
        st.integers(0, 30).map(lambda n: f"p{n}@example.org"),
        st.sampled_from(["LEA@example.org", "lea@example.org", "jean.dupont@", "", "zoé@é.fr"]),
    )
    printable = st.characters(blacklist_categories=("Cs", "Cc"))
    names = st.one_of(
        st.sampled_from(["Léa", "O'Brien", "Ça & Co", '"Jo"', "<b>", ""]),
        st.text(printable, max_size=8),
    )
    roles = st.sampled_from(["mentee", "mentor", "Mentoré·e", "", "boss"])
    dates = st.sampled_from(["14/03/2004", "2004-03-14", "31/02/2004", "", "1e23", "01/01/2020"])
    rows = draw(
        st.lists(st.tuples(emails, names, names, roles, dates).map(list), min_size=1, max_size=8)
    )
    header = ["email", "first_name", "last_name", "role", "birth_date"]
    if draw(st.integers(0, 3)) == 0:
        # A workbook cannot hold control characters.
        clean = [[ILLEGAL_CHARACTERS_RE.sub("", v) for v in row] for row in rows]
        return xlsx_bytes(clean, header=header)
    separator = draw(st.sampled_from(SEPARATORS))
    endings = draw(st.lists(st.sampled_from(LINE_ENDINGS), min_size=1, max_size=3))
    text = "".join(
        separator.join(_quoted(v, separator) for v in line) + endings[n % len(endings)]
        for n, line in enumerate([header, *rows])
    )
    content = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    if draw(st.integers(0, 5)) == 0:
        at = draw(st.integers(0, len(content)))
        content = content[:at] + draw(st.binary(min_size=1, max_size=4)) + content[at:]
    return content


class Upload(bytes):
    """Bytes whose repr stays short when Hypothesis reports a failing example."""

    def __repr__(self) -> str:
        head = bytes(self[:300])
        return f"Upload({head!r}{' + ...' if len(self) > 300 else ''}, {len(self)} bytes)"


uploads = st.one_of(text_files(), workbooks(), st.binary(max_size=300)).map(Upload)


def parse(content: bytes) -> Table | FileProblem:
    """The table, or the FileProblem raised: any other exception fails the test."""
    try:
        return read_table(content)
    except FileProblem as problem:
        return problem


# The parser alone ----------------------------------------------------------------------------


@settings(max_examples=EXAMPLES, deadline=None)
@given(uploads)
def test_any_upload_gives_a_table_or_a_translated_file_problem(content):
    with translation.override("en"):
        english = parse(content)
    with translation.override("fr"):
        french = parse(content)
    assert type(english) is type(french)
    if isinstance(english, FileProblem):
        assert isinstance(french, FileProblem)
        assert english.messages
        assert all(m.strip() for m in english.messages)
        # Every message exists in French: none is left as its English source.
        assert all(f != e for f, e in zip(french.messages, english.messages, strict=True))
        return
    assert isinstance(english, Table)
    assert "email" in english.codes
    assert 1 <= len(english.rows) <= MAX_ROWS
    lines = [row.line for row in english.rows]
    assert lines == sorted(set(lines))
    assert lines[0] >= 2
    for row in english.rows:
        assert set(row.cells) <= english.codes
        assert all(isinstance(v, str) and v == v.strip() for v in row.cells.values())


plain_cell = st.text(alphabet="abcéÇ-@.' ;,\t\"\r\n", max_size=10)


def _quoted(value: str, separator: str) -> str:
    """A cell as Excel writes it: quoted when it holds the separator, a quotation mark or
    a line break (Python's csv.writer does not quote a LF when lines end in CR)."""
    if any(c in value for c in (separator, '"', "\r", "\n")):
        return '"' + value.replace('"', '""') + '"'
    return value


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    columns=st.permutations(CODES[1:]).map(lambda codes: ["email", *codes[:3]]),
    rows=st.lists(st.lists(plain_cell, min_size=4, max_size=4), min_size=1, max_size=6),
    separator=st.sampled_from(SEPARATORS),
    endings=st.lists(st.sampled_from(LINE_ENDINGS), min_size=1, max_size=3),
    encoding=st.sampled_from(ENCODINGS),
    blank_lines_first=st.integers(0, 2),
)
def test_a_well_formed_file_is_read_back_exactly_whatever_its_line_endings(
    columns, rows, separator, endings, encoding, blank_lines_first
):
    lines = [columns, *rows]
    text = endings[0] * blank_lines_first + "".join(
        separator.join(_quoted(v, separator) for v in line) + endings[n % len(endings)]
        for n, line in enumerate(lines)
    )
    # A file only of blank rows has no rows of people: another test's business.
    assume(any(v.strip() for row in rows for v in row))
    table = read_table(text.encode(encoding))
    assert table.separator == separator
    expected = [
        (blank_lines_first + n, dict(zip(columns, (v.strip() for v in row), strict=True)))
        for n, row in enumerate(rows, start=2)
        if any(v.strip() for v in row)
    ]
    assert [(r.line, r.cells) for r in table.rows] == expected


# Through the services ------------------------------------------------------------------------


def _state() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (ImportBatch, AuditEntry, User, Profile, Application, Invitation, Membership)
    }


def attempt(action: Callable[[], T]) -> tuple[T | None, str]:
    """(result, "") or (None, the message of the DomainError it raised)."""
    try:
        return action(), ""
    except DomainError as error:
        return None, error.message


@pytest.mark.django_db
@settings(
    max_examples=max(EXAMPLES // 3, 20),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    content=st.integers(0, 3)
    .flatmap(lambda kind: people_files() if kind else st.one_of(text_files(), workbooks()))
    .map(Upload)
)
def test_a_refused_upload_or_import_leaves_nothing_half_written(cast, program, content):
    """Preview then import: each either completes or raises a DomainError (FileProblem,
    rows with errors...) having written nothing. Each example is rolled back."""
    edition = program.editions.get()
    actor = cast.coordinator_a
    with transaction.atomic():
        before = _state()
        preview, refusal = attempt(
            lambda: services.preview_import(
                program=program,
                edition=edition,
                organization=program.organization,
                default_role="mentee",
                filename="fuzz.csv",
                content=content,
                actor=actor,
            )
        )
        if preview is None:
            event("file refused")
            assert refusal
            assert _state() == before
        else:
            batch, report = preview
            previewed = _state()
            assert previewed == before | {
                "ImportBatch": before["ImportBatch"] + 1,
                "AuditEntry": before["AuditEntry"] + 1,
            }
            assert batch.row_count == len(report.rows)
            imported, refusal = attempt(
                lambda: services.run_import(batch=batch, sha256=batch.sha256, actor=actor)
            )
            batch.refresh_from_db()
            if imported is None:
                event("previewed, import refused")
                assert refusal
                assert _state() == previewed
                assert batch.status == ImportStatus.PREVIEWED
                assert bytes(batch.content) == content
            else:
                event("imported")
                assert not report.error_rows
                assert batch.status == ImportStatus.IMPORTED
        transaction.set_rollback(True)


def test_the_spliced_workbook_strategy_starts_from_a_readable_file():
    # Guards the fuzz above against testing only garbage: the unmodified workbook parses.
    assert zipfile.is_zipfile(io.BytesIO(XLSX))
    assert [r.cells["email"] for r in read_table(XLSX).rows] == [p[0] for p in people(3)]
