"""Building import files in the shapes schools and companies send them."""

import csv
import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook

HEADER = ["email", "first_name", "last_name", "role", "birth_date"]


def csv_bytes(
    rows: Iterable[Sequence[object]],
    *,
    header: Sequence[str] = HEADER,
    separator: str = ";",
    encoding: str = "utf-8",
    line_ending: str = "\r\n",
) -> bytes:
    """A CSV file as a spreadsheet writes it; `line_ending="\\r"` is Excel's "CSV
    (Macintosh)"."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator=line_ending)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: Iterable[Sequence[object]], *, header: Sequence[str] = HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def person(n: int, role: str = "mentee") -> list[str]:
    return [f"personne{n}@ecole.example.org", f"Prénom{n}", f"Nom{n}", role, "14/03/2004"]


def people(count: int, start: int = 1) -> list[list[str]]:
    return [person(n, "mentor" if n % 3 == 0 else "mentee") for n in range(start, start + count)]
