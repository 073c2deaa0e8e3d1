"""CSV files a spreadsheet opens as they are, in the reader's language.

Every CSV the platform produces goes through `csv_bytes` (or `csv_text` for a file put
inside an archive), which guarantees:

- UTF-8 with a byte order mark, so that Excel reads the accents;
- in French, `;` between cells and a decimal comma (`44,4`), what a French Excel expects;
  in English, `,` and a decimal point (`44.4`);
- lines ending with CR LF (RFC 4180);
- text a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a
  carriage return) prefixed with a quote, so that a name cannot run a formula;
- numbers written without thousands separators, so that spreadsheets read them as numbers.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeAlias

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import get_language

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPE = "text/csv; charset=utf-8"

Cell: TypeAlias = str | int | float | Decimal | None


@dataclass(frozen=True)
class CsvFormat:
    """How cells are separated and how decimals are written in one language."""

    separator: str
    decimal_mark: str


FRENCH = CsvFormat(separator=";", decimal_mark=",")
ENGLISH = CsvFormat(separator=",", decimal_mark=".")


def csv_format(language: str | None = None) -> CsvFormat:
    """The format for `language` (the active language when not given): English for
    English, French otherwise (the platform's first language)."""
    code = language or get_language() or settings.LANGUAGE_CODE
    return ENGLISH if code.lower().startswith("en") else FRENCH


def escape_text(text: str) -> str:
    """`text`, quoted with `'` when a spreadsheet would run it as a formula."""
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def number_text(value: int | float | Decimal, fmt: CsvFormat) -> str:
    """A number as a spreadsheet of that language reads it: no grouping, the language's
    decimal mark, integers without decimals."""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    number = float(value)
    text = str(int(number)) if number.is_integer() else format(Decimal(str(value)), "f")
    return text.replace(".", fmt.decimal_mark)


def cell_text(value: Cell, fmt: CsvFormat) -> str:
    """One cell: empty for none, numbers in the language's format, text escaped."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):
        return number_text(value, fmt)
    return escape_text(str(value))


def csv_text(rows: Iterable[Sequence[Cell]], *, language: str | None = None) -> str:
    """The CSV as text, starting with the byte order mark character."""
    fmt = csv_format(language)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=fmt.separator, lineterminator="\r\n")
    for row in rows:
        writer.writerow([cell_text(value, fmt) for value in row])
    return buffer.getvalue()


def csv_bytes(rows: Iterable[Sequence[Cell]], *, language: str | None = None) -> bytes:
    """The CSV file's bytes (UTF-8 with a byte order mark), in `language`'s format."""
    return csv_text(rows, language=language).encode("utf-8")


def csv_response(content: bytes, *, filename: str) -> HttpResponse:
    """A download of `content` (from `csv_bytes`) named `filename`."""
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def import_csv_bytes(rows: Iterable[Sequence[str]]) -> bytes:
    """Rows as the bulk import reads them (UTF-8, `;`), cells exactly as given: to feed
    the importer from another source (the REST API's batches). Never for a file people
    open: nothing is escaped against spreadsheet formulas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")
