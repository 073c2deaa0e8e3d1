"""Every CSV the platform produces opens as it is in a spreadsheet of the reader's
language: UTF-8 with a byte order mark, `;` and a decimal comma in French, `,` and a
decimal point in English, formulas neutralised (`mentorat.lib.csv_export`)."""

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from mentorat.lib.csv_export import CONTENT_TYPE, csv_bytes, csv_response, csv_text
from mentorat.lib.formatting import format_number, format_percent
from mentorat.reports.exports import table_csv
from mentorat.reports.figures import share
from mentorat.reports.tables import Table

ROOT = Path(__file__).resolve().parent.parent
BOM = b"\xef\xbb\xbf"
ROWS = [["Name", "Share", "Count"], ["Inès", 44.4, 1234], ["=SUM(A1)", Decimal("0.5"), None]]


def _read(content: bytes, separator: str) -> list[list[str]]:
    assert content.startswith(BOM)
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=separator))


def test_french_files_use_semicolons_and_decimal_commas():
    content = csv_bytes(ROWS, language="fr")
    assert _read(content, ";") == [
        ["Name", "Share", "Count"],
        ["Inès", "44,4", "1234"],
        ["'=SUM(A1)", "0,5", ""],
    ]
    assert b"\r\n" in content


def test_english_files_use_commas_and_decimal_points():
    assert _read(csv_bytes(ROWS, language="en"), ",") == [
        ["Name", "Share", "Count"],
        ["Inès", "44.4", "1234"],
        ["'=SUM(A1)", "0.5", ""],
    ]


def test_the_active_language_decides_when_none_is_given():
    with translation.override("en"):
        assert csv_text([["a", 1.5]]) == "\ufeffa,1.5\r\n"
    with translation.override("fr"):
        assert csv_text([["a", 1.5]]) == "\ufeffa;1,5\r\n"


def test_a_cell_holding_the_separator_is_quoted():
    assert _read(csv_bytes([["a; b", "c"]], language="fr"), ";") == [["a; b", "c"]]


def test_every_formula_start_is_neutralised():
    cells = ["=1+1", "+33 6", "-1", "@SUM(A1)", "\tx", "\rx", "ordinary"]
    row = _read(csv_bytes([cells], language="en"), ",")[0]
    assert row == ["'=1+1", "'+33 6", "'-1", "'@SUM(A1)", "'\tx", "'\rx", "ordinary"]


def test_the_download_response():
    response = csv_response(csv_bytes(ROWS), filename="t.csv")
    assert response["Content-Type"] == CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="t.csv"'


def test_no_csv_is_written_outside_the_shared_writer():
    """One writer for every export: a `csv.writer` elsewhere would forget the BOM or the
    language's separator."""
    writers = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "mentorat").rglob("*.py")
        if re.search(r"csv\.(writer|DictWriter)\(", path.read_text(encoding="utf-8"))
    ]
    assert writers == ["mentorat/lib/csv_export.py"]


def test_numbers_and_percentages_follow_the_language():
    with translation.override("fr"):
        assert format_percent(44.44, 1) == "44,4\u202f%"
        assert format_percent(12.5) == "13\u202f%"
        assert format_number(2.5, 1) == "2,5"
    with translation.override("en"):
        assert format_percent(44.44, 1) == "44.4%"
        assert format_number(1234.5, 1) == "1,234.5"
    assert format_percent(None) == "—"


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "separator"), [("fr", ";"), ("en", ",")])
def test_the_processing_register_downloads_in_the_readers_format(
    client_for, cast, language, separator
):
    client = client_for(cast.admin_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("privacy:register_csv", kwargs={"slug": cast.org_a.slug}))
    assert response.status_code == 200
    rows = _read(response.content, separator)
    assert len(rows) > 1
    assert len({len(row) for row in rows}) == 1  # every line split into the same columns


@pytest.mark.parametrize(
    ("language", "separator", "shown"), [("fr", ";", "44,4"), ("en", ",", "44.4")]
)
def test_report_tables_write_figures_as_numbers_of_the_language(language, separator, shown):
    table = Table("t", "T", ["Group", "Share"])
    table.rows = [["A", share(4, 9)]]
    with translation.override(language):
        rows = _read(table_csv(table), separator)
    assert rows == [["Group", "Share"], ["A", shown]]


def test_french_elides_de_before_a_vowel():
    page = Template(
        "{% load i18n %}{% filter elide %}"
        "{% blocktranslate %}Programs of {{ name }}{% endblocktranslate %}{% endfilter %}"
    )
    with translation.override("fr"):
        assert page.render(Context({"name": "Inès & Co"})) == "Programmes d'Inès &amp; Co"
        assert page.render(Context({"name": "Lycée B"})) == "Programmes de Lycée B"
    with translation.override("en"):
        assert page.render(Context({"name": "Inès"})) == "Programs of Inès"
