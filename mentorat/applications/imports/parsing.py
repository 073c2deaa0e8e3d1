"""Bytes of an uploaded file → a table of text cells, or the reasons it cannot be read.

CSV or XLSX is told from the content, not the file name. CSV text is decoded as UTF-8
(with or without a byte order mark), UTF-16 with a byte order mark (Excel's "Unicode
text"), or else Windows-1252 (Excel's default "CSV" on French Windows); the separator
(comma, semicolon or tab) is the one that makes the first line split into known column
names. Lines may end in CR LF (Windows), LF (Unix) or CR alone (Excel's "CSV (Macintosh)"),
even mixed in one file. Rows are numbered as a spreadsheet shows them: the header is line 1.
Whatever the bytes, reading ends in a Table or a FileProblem, never another exception."""

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from mentorat.applications.imports.columns import Column, header_index, loose_key
from mentorat.lib.errors import DomainError

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
MAX_COLUMNS = 60
# An XLSX file is a zip archive; refuse archives that would inflate past this.
MAX_XLSX_UNCOMPRESSED_BYTES = 60 * 1024 * 1024
SEPARATORS = (";", ",", "\t")
_XLSX_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls (and .doc) files


class FileProblem(DomainError):
    """The file as a whole cannot be read; `messages` are translated and name a line
    when there is one."""

    def __init__(self, *messages: str) -> None:
        super().__init__(" ".join(messages))
        self.messages = list(messages)


@dataclass
class Row:
    """One non-empty line. `read` is how many cells it had; `overflow` how many non-empty
    cells it had beyond the last named column."""

    line: int
    cells: dict[str, str]
    read: int = 0
    overflow: int = 0


@dataclass
class Table:
    """Text cells by column code. `ignored` lists unrecognised headers, kept out of the
    import and shown in the preview so that a misspelt column does not go unnoticed."""

    format: str
    columns: list[Column]
    rows: list[Row]
    headers: dict[str, str] = field(default_factory=dict)  # column code → header as written
    ignored: list[str] = field(default_factory=list)
    encoding: str = ""
    separator: str = ""  # CSV only

    @property
    def codes(self) -> set[str]:
        return {c.code for c in self.columns}

    @property
    def separator_label(self) -> str:
        return _("tab") if self.separator == "\t" else f"“{self.separator}”"


def read_table(content: bytes) -> Table:
    """Parse an uploaded file; raises FileProblem with user-facing reasons."""
    if not content.strip():
        raise FileProblem(_("The file is empty."))
    if len(content) > MAX_FILE_BYTES:
        raise FileProblem(
            _("The file is larger than %(size)s MB: split it into several files.")
            % {"size": MAX_FILE_BYTES // (1024 * 1024)}
        )
    if content.startswith(_XLSX_MAGIC):
        return _read_xlsx(content)
    if content.startswith(_OLE2_MAGIC):
        raise FileProblem(
            _("Files in the old Excel format (.xls) cannot be read: save it as .xlsx or CSV.")
        )
    text, encoding = _decode(content)
    return _read_csv(text, encoding)


# Decoding ------------------------------------------------------------------------------------


def _decode(content: bytes) -> tuple[str, str]:
    """The text and the name of its encoding. A few NUL characters are kept, for
    `_records` to name the cell that holds them; more mean that this is not text (UTF-32,
    UTF-16 without its byte order mark, a picture...)."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text, encoding = content.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as exc:
            raise _not_text() from exc
    else:
        try:
            text, encoding = content.decode("utf-8-sig"), "UTF-8"
        except UnicodeDecodeError:
            try:
                text, encoding = content.decode("cp1252"), "Windows-1252"
            except UnicodeDecodeError as exc:
                raise _not_text() from exc
            if _looks_binary(text):
                raise _not_text() from None
    if text.count("\x00") * 100 > len(text):
        raise _not_text()
    # Old DOS programs end their text files with Ctrl-Z.
    return text.removesuffix("\x1a"), encoding


def _looks_binary(text: str) -> bool:
    """Control characters other than line breaks, tabs, NUL (see `_decode`) and a final
    Ctrl-Z: anything decodes as Windows-1252, but text has none of them."""
    sample = text[:20_000].removesuffix("\x1a")
    return any(ord(c) < 32 and c not in "\r\n\t\x00" for c in sample)


def _not_text() -> FileProblem:
    return FileProblem(
        _(
            "This file is neither a CSV text file nor an Excel (.xlsx) workbook. Save it "
            "from your spreadsheet as “CSV UTF-8” or “Excel workbook”."
        )
    )


# CSV -----------------------------------------------------------------------------------------


def _read_csv(text: str, encoding: str) -> Table:
    text = text.lstrip("\ufeff")
    separator = _sniff_separator(_first_line(text))
    # newline="" lets the csv module see every line ending (CR LF, LF, CR) and keep line
    # breaks inside quoted cells, as its documentation asks.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    records = _records(reader)
    table = _build_table("csv", records)
    table.encoding, table.separator = encoding, separator
    return table


def _records(reader: Any) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of each record; a malformed line becomes a FileProblem naming it."""
    number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _unreadable_line(number + 1, exc) from exc
        number += 1
        for column, cell in enumerate(cells, start=1):
            if "\x00" in cell:
                raise FileProblem(
                    _(
                        "Line %(line)s, column %(column)s: this cell holds a NUL character, "
                        "which is not text. Delete it, or save the file again from your "
                        "spreadsheet as “CSV UTF-8”."
                    )
                    % {"line": number, "column": column}
                )
        yield number, cells


def _unreadable_line(line: int, error: csv.Error) -> FileProblem:
    # The csv module tells its errors apart only by their text; the one worth its own
    # message is a cell past its size limit, which an unclosed quotation mark also causes
    # (the cell then runs to the end of the file).
    if "field limit" in str(error):
        return FileProblem(
            _(
                "Line %(line)s: a cell has more than %(n)s characters: is a quotation mark "
                "not closed?"
            )
            % {"line": line, "n": number_format(csv.field_size_limit(), force_grouping=True)}
        )
    return FileProblem(
        _("Line %(line)s: this line cannot be read (a quotation mark is probably not closed).")
        % {"line": line}
    )


def _first_line(text: str) -> str:
    """The first line that is not blank (the header), whatever its line ending."""
    for line in io.StringIO(text, newline=""):
        if line.strip():
            return line.rstrip("\r\n")
    return ""


def _sniff_separator(first_line: str) -> str:
    """The separator that splits the header into the most recognised column names."""
    known = header_index()

    def recognised(separator: str) -> int:
        try:
            cells = next(csv.reader([first_line], delimiter=separator), [])
        except csv.Error:  # read again by the reader proper, which names the line
            return 0
        return sum(1 for cell in cells if loose_key(cell) in known)

    return max(SEPARATORS, key=lambda s: (recognised(s), first_line.count(s)))


# XLSX ----------------------------------------------------------------------------------------


def _read_xlsx(content: bytes) -> Table:
    # openpyxl is heavy: loaded only when a spreadsheet is read.
    from openpyxl import load_workbook

    unreadable = FileProblem(
        _("This Excel file cannot be read. Open it and save it again as .xlsx or CSV.")
    )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
            inflated = sum(info.file_size for info in archive.infolist())
    # A damaged archive raises more than BadZipFile: NotImplementedError for a version
    # byte it does not know, EOFError, OSError, UnicodeDecodeError for a garbled name...
    except Exception as exc:
        raise unreadable from exc
    if "xl/workbook.xml" not in names:
        raise FileProblem(
            _(
                "This archive is not an Excel workbook (an OpenDocument .ods file?). Save it "
                "as .xlsx or CSV."
            )
        )
    if inflated > MAX_XLSX_UNCOMPRESSED_BYTES:
        raise FileProblem(_("This workbook is too large once opened: split it into several files."))
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        values = sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)
        records = list(_until_blank_run(enumerate(values, start=1)))
        workbook.close()
    # openpyxl raises many kinds of errors on damaged workbooks; any of them means the same.
    except Exception as exc:
        raise unreadable from exc
    return _build_table("xlsx", iter(records))


# Formatted but empty rows can make a sheet report a million rows: this many empty rows in
# a row end the data.
_BLANK_RUN_END = 1000


def _until_blank_run(
    rows: Iterable[tuple[int, tuple[Any, ...]]],
) -> Iterator[tuple[int, list[str]]]:
    blank = 0
    for number, values in rows:
        cells = [_cell_text(v) for v in values]
        if any(c.strip() for c in cells):
            blank = 0
        else:
            blank += 1
            if blank >= _BLANK_RUN_END:
                return
        yield number, cells


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# Both formats --------------------------------------------------------------------------------


def _trimmed(cells: list[str]) -> list[str]:
    """Cells without the empty ones at the end (spreadsheets pad rows with them)."""
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return cells[:end]


def _too_many_rows() -> FileProblem:
    return FileProblem(
        _("The file has more than %(n)s rows: split it into several files.") % {"n": MAX_ROWS}
    )


def _build_table(kind: str, records: Iterator[tuple[int, list[str]]]) -> Table:
    header, header_line = _read_header(records)
    columns, ignored = _map_columns(header, header_line)
    rows = _read_rows(records, columns, width=len(header))
    present = [c for c in columns if c is not None]
    headers = {
        column.code: header[i].strip() for i, column in enumerate(columns) if column is not None
    }
    return Table(format=kind, columns=present, rows=rows, headers=headers, ignored=ignored)


def _read_header(records: Iterator[tuple[int, list[str]]]) -> tuple[list[str], int]:
    """The first non-blank line, trimmed, and its line number."""
    for number, cells in records:
        if any(c.strip() for c in cells):
            header = _trimmed(cells)
            if len(header) > MAX_COLUMNS:
                raise FileProblem(
                    _("The file has more than %(n)s columns; is it the right file?")
                    % {"n": MAX_COLUMNS}
                )
            return header, number
    raise FileProblem(_("The file is empty."))


def _map_columns(header: list[str], header_line: int) -> tuple[list[Column | None], list[str]]:
    """The template column of each header cell (None for an unknown one) and the names
    ignored; every problem of the header at once (duplicates, no email column)."""
    known = header_index()
    columns: list[Column | None] = []
    seen: dict[str, int] = {}
    ignored: list[str] = []
    problems: list[str] = []
    for position, raw in enumerate(header, start=1):
        name = raw.strip()
        column = known.get(loose_key(name)) if name else None
        if column is None:
            if name:
                ignored.append(name)
            columns.append(None)
            continue
        if column.code in seen:
            problems.append(
                _("Line %(line)s: columns %(first)s and %(second)s are both “%(name)s”.")
                % {
                    "line": header_line,
                    "first": seen[column.code],
                    "second": position,
                    "name": column.code,
                }
            )
        seen[column.code] = position
        columns.append(column)
    if "email" not in seen:
        problems.append(_missing_email(header, header_line))
    if problems:
        raise FileProblem(*problems)
    return columns, ignored


def _missing_email(header: list[str], header_line: int) -> str:
    if len(header) == 1 and any(s in header[0] for s in "|:"):
        return _(
            "Line %(line)s: the first line is read as a single column “%(name)s”. "
            "Separate the columns with semicolons, commas or tabs."
        ) % {"line": header_line, "name": header[0][:80]}
    return _(
        "Line %(line)s: the column “%(name)s” is missing. The first line must "
        "hold the column names of the template."
    ) % {"line": header_line, "name": "email"}


def _read_rows(
    records: Iterator[tuple[int, list[str]]], columns: list[Column | None], *, width: int
) -> list[Row]:
    """The non-blank lines after the header, as cells by column code."""
    rows: list[Row] = []
    for number, cells in records:
        if not any(c.strip() for c in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise _too_many_rows()
        rows.append(
            Row(
                line=number,
                cells={
                    column.code: cells[i].strip() if i < len(cells) else ""
                    for i, column in enumerate(columns)
                    if column is not None
                },
                read=len(_trimmed(cells)),
                overflow=sum(1 for c in cells[width:] if c.strip()),
            )
        )
    if not rows:
        raise FileProblem(_("The file has column names but no rows of people."))
    return rows
