"""Reading files as schools and companies send them: encodings, separators, Excel, and
files that are not what they claim to be. Every problem is a readable message, never a
traceback."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from mentorat.applications.imports.models import ImportBatch
from mentorat.applications.imports.parsing import MAX_FILE_BYTES, MAX_ROWS, FileProblem, read_table
from tests.imports.files import csv_bytes, people, person, xlsx_bytes


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


# Line endings, oversized cells and the other ways the csv module can fail -----------------


@pytest.mark.parametrize("line_ending", ["\r", "\n", "\r\n"], ids=["mac-cr", "unix-lf", "crlf"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_every_line_ending_is_read_in_every_encoding(line_ending, encoding):
    # Excel's "CSV (Macintosh)" ends lines with CR alone.
    table = read_table(csv_bytes(people(3), encoding=encoding, line_ending=line_ending))
    assert [r.line for r in table.rows] == [2, 3, 4]
    assert [r.cells["first_name"] for r in table.rows] == ["Prénom1", "Prénom2", "Prénom3"]


def test_mixed_line_endings_and_line_breaks_inside_quoted_cells_are_kept_apart():
    content = (
        'email;first_name;field\r"a@example.org";Léa;"Droit\r\nÉconomie"\n'
        "b@example.org;Paul;Chimie\r\n\r"
        'c@example.org;Zoé;"Arts\rplastiques"\r'
    ).encode()
    table = read_table(content)
    assert [(r.line, r.cells["field"]) for r in table.rows] == [
        (2, "Droit\r\nÉconomie"),
        (3, "Chimie"),
        (5, "Arts\rplastiques"),
    ]


def test_the_separator_is_found_when_the_file_starts_with_blank_lines():
    table = read_table(b"\r\r\nemail,first_name\ra@example.org,L\xc3\xa9a\r")
    assert table.separator == ","
    assert [(r.line, r.cells) for r in table.rows] == [
        (4, {"email": "a@example.org", "first_name": "Léa"})
    ]


@pytest.mark.parametrize(
    ("content", "line"),
    [
        (b"email;first_name\r\na@example.org;" + b"x" * 140_000 + b"\r\n", 2),
        (b'email;first_name\r\na@example.org;Jean\r\nb@example.org;"' + b"x" * 140_000, 3),
        (b"email;" + b"x" * 140_000 + b"\r\na@example.org;Jean\r\n", 1),
        (b"email;first_name\r" + b"a@example.org;" + b"x" * 140_000 + b"\r", 2),
    ],
    ids=["unquoted", "quote-never-closed", "in-the-header", "mac-cr"],
)
def test_a_cell_longer_than_the_csv_limit_names_its_line(content, line):
    # csv.Error "field larger than field limit (131072)" gave HTTP 500, even from the
    # separator sniffing when the cell was in the header.
    assert problems(content) == [
        f"Line {line}: a cell has more than 131,072 characters: is a quotation mark not closed?"
    ]


@pytest.mark.parametrize(
    ("content", "line"),
    [
        (b'email;first_name\r\na@example.org;"Jean"Paul\r\n', 2),
        (b'email;first_name\ra@example.org;Jean\rb@example.org;"Paul', 3),
    ],
    ids=["text-after-closing-quote", "quote-open-at-the-end"],
)
def test_misplaced_quotes_name_the_line(content, line):
    assert problems(content) == [
        f"Line {line}: this line cannot be read (a quotation mark is probably not closed)."
    ]


NOT_A_TABLE = (
    "This file is neither a CSV text file nor an Excel (.xlsx) workbook. Save it "
    "from your spreadsheet as “CSV UTF-8” or “Excel workbook”."
)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        # BOM FF FE 00 00 starts like UTF-16's
        ("email\r\na@example.org\r\n".encode("utf-32"), NOT_A_TABLE),
        (b"\xff\xfe" + b"e\x00m\x00" + b"\x00", NOT_A_TABLE),  # odd bytes after a UTF-16 BOM
        (b"\xfe\xff\xd8\x00\x00a", NOT_A_TABLE),  # a lone surrogate
        (b"\xef\xbb\xbf", "The file is empty."),
        (b"\xef\xbb\xbf\xef\xbb\xbf \r\n\r", "The file is empty."),
    ],
    ids=["utf-32", "utf-16-odd", "utf-16-surrogate", "bom-only", "two-boms-and-blanks"],
)
def test_bad_encodings_and_empty_files_with_a_byte_order_mark_are_explained(content, expected):
    assert problems(content) == [expected]


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252", "utf-16"])
def test_a_stray_nul_character_is_named_by_line_and_column(encoding):
    content = csv_bytes(
        [person(1), [*person(2)[:2], "Nom\x002", *person(2)[3:]]], encoding=encoding
    )
    assert problems(content) == [
        "Line 3, column 3: this cell holds a NUL character, which is not text. Delete it, or "
        "save the file again from your spreadsheet as “CSV UTF-8”."
    ]


def test_an_old_dos_end_of_file_mark_is_ignored():
    table = read_table(csv_bytes([person(1)], encoding="cp1252") + b"\x1a")
    assert [r.cells["email"] for r in table.rows] == [person(1)[0]]


def test_a_damaged_zip_archive_of_any_kind_is_an_unreadable_excel_file():
    # A version byte zipfile does not know raised NotImplementedError (HTTP 500).
    content = bytearray(xlsx_bytes(people(2)))
    directory = content.rindex(b"PK\x01\x02")
    content[directory + 6] = 0xFF  # "version needed to extract" of the first entry
    assert problems(bytes(content)) == [
        "This Excel file cannot be read. Open it and save it again as .xlsx or CSV."
    ]


def test_every_message_of_a_refused_file_is_translated():
    samples = [
        b"email;first_name\r\na@example.org;" + b"x" * 140_000 + b"\r\n",
        b'email;first_name\ra@example.org;"Jean',
        b"\xff\xfe\x00\x00",
    ]
    for content in samples:
        english = problems(content)
        with translation.override("fr"):
            french = problems(content)
        assert french != english
        assert french[0].startswith(("Ligne ", "Ce fichier"))


def test_the_upload_page_explains_a_file_the_csv_module_cannot_read(cast, program, english):
    client = english(cast.coordinator_a)
    url = reverse("imports:upload", kwargs={"slug": program.slug})
    form = {
        "edition": program.editions.get().pk,
        "organization": program.organization.pk,
        "default_role": "",
    }
    huge = csv_bytes([["a@example.org", "x" * 140_000]], header=["email", "first_name"])
    response = client.post(url, form | {"file": SimpleUploadedFile("liste.csv", huge)})
    assert response.status_code == 200
    assert "Line 2: a cell has more than 131,072 characters" in response.content.decode()
    assert not ImportBatch.objects.exists()

    mac = csv_bytes(people(2), line_ending="\r", encoding="cp1252")
    response = client.post(url, form | {"file": SimpleUploadedFile("mac.csv", mac)})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert (batch.row_count, batch.error_count) == (2, 0)
