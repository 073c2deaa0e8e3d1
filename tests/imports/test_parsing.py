"""Reading files as schools and companies send them: encodings, separators, Excel, and
files that are not what they claim to be. Every problem is a readable message, never a
traceback."""

import io
import zipfile

import pytest
from django.utils import translation
from openpyxl import Workbook

from mentorat.applications.imports.parsing import MAX_FILE_BYTES, MAX_ROWS, FileProblem, read_table
from tests.imports.files import csv_bytes, people, xlsx_bytes


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def problems(content: bytes) -> list[str]:
    with pytest.raises(FileProblem) as caught:
        read_table(content)
    return caught.value.messages


ROWS = [["lea.martin@example.org", "Léa", "Martin-Çelik", "mentorée", "14/03/2004"]]


@pytest.mark.parametrize(
    ("encoding", "label"),
    [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8"), ("cp1252", "Windows-1252"), ("utf-16", "UTF-16")],
)
def test_accented_names_survive_every_usual_encoding(encoding, label):
    table = read_table(csv_bytes(ROWS, encoding=encoding))
    assert table.encoding == label
    assert table.rows[0].cells["first_name"] == "Léa"
    assert table.rows[0].cells["last_name"] == "Martin-Çelik"


@pytest.mark.parametrize("separator", [";", ",", "\t"])
def test_the_separator_is_found_from_the_column_names(separator):
    table = read_table(csv_bytes(ROWS, separator=separator))
    assert table.separator == separator
    assert table.rows[0].cells["email"] == "lea.martin@example.org"


def test_french_headers_of_a_school_export_are_recognised():
    header = ["Nom", "Prénom", "Courriel", "Date de naissance", "Rôle", "Classe"]
    table = read_table(
        csv_bytes(
            [["Martin", "Léa", "lea@example.org", "14/03/2004", "Mentoré·e", "T2"]], header=header
        )
    )
    assert table.codes == {"last_name", "first_name", "email", "birth_date", "role"}
    assert table.ignored == ["Classe"]
    assert table.headers["email"] == "Courriel"


def test_xlsx_is_recognised_by_its_content_and_typed_cells_become_text():
    from datetime import datetime

    content = xlsx_bytes(
        [["lea@example.org", "Léa", "Martin", "mentee", datetime(2004, 3, 14)]],
        header=["email", "first_name", "last_name", "role", "birth_date"],
    )
    table = read_table(content)
    assert table.format == "xlsx"
    assert table.rows[0].cells["birth_date"] == "2004-03-14"


def test_line_numbers_are_the_spreadsheet_rows_and_blank_lines_are_skipped():
    content = csv_bytes([people(1)[0], ["", "", "", "", ""], people(2, start=2)[0]])
    table = read_table(content)
    assert [r.line for r in table.rows] == [2, 4]


def test_unclosed_quote_names_the_line():
    content = b'email;first_name\r\na@example.org;Jean\r\n"b@example.org;Paul\r\n'
    assert problems(content) == [
        "Line 3: this line cannot be read (a quotation mark is probably not closed)."
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "The file is empty."),
        (b"  \r\n \r\n", "The file is empty."),
        (b"email;first_name\r\n", "The file has column names but no rows of people."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "neither a CSV text file nor an Excel"),
        (bytes(range(256)) * 4, "neither a CSV text file nor an Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old Excel format (.xls)"),
        (b"PK\x03\x04 this is not really a zip", "This Excel file cannot be read"),
    ],
)
def test_files_that_are_not_lists_of_people_are_refused_with_a_reason(content, expected):
    assert expected in " ".join(problems(content))


def test_an_opendocument_spreadsheet_is_asked_to_be_saved_as_xlsx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    assert "OpenDocument" in problems(buffer.getvalue())[0]


def test_missing_email_column_is_named():
    content = csv_bytes([["Léa", "Martin"]], header=["first_name", "last_name"])
    assert problems(content) == [
        "Line 1: the column “email” is missing. The first line must hold the column names "
        "of the template."
    ]


def test_a_wrong_separator_is_explained():
    content = "email|first_name|last_name\r\na@example.org|Léa|Martin\r\n".encode()
    assert "Separate the columns with semicolons, commas or tabs" in problems(content)[0]


def test_the_same_column_twice_is_refused():
    content = csv_bytes([["a@example.org", "b@example.org"]], header=["email", "Courriel"])
    assert problems(content) == ["Line 1: columns 1 and 2 are both “email”."]


def test_size_and_row_limits():
    too_big = b"email\r\n" + b"a@example.org\r\n" * (MAX_FILE_BYTES // 15 + 1)
    assert "larger than 5 MB" in problems(too_big)[0]
    too_long = csv_bytes([[f"p{n}@example.org"] for n in range(MAX_ROWS + 1)], header=["email"])
    assert problems(too_long) == [
        f"The file has more than {MAX_ROWS} rows: split it into several files."
    ]


def test_excel_rows_padded_with_empty_cells_and_formatted_empty_rows_are_ignored():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["email", "first_name", None, None])
    sheet.append(["a@example.org", "Léa", None, None])
    sheet.cell(row=5000, column=30).number_format = "0.00"  # formatting far below the data
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_table(buffer.getvalue())
    assert [r.cells for r in table.rows] == [{"email": "a@example.org", "first_name": "Léa"}]


def test_a_zip_bomb_is_refused_before_being_opened():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (70 * 1024 * 1024))
    assert "too large once opened" in problems(buffer.getvalue())[0]
