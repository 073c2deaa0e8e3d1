"""CSV and XLSX files of the report tables.

Text that a spreadsheet would read as a formula (starting with =, +, -, @, or a tab or
carriage return) is prefixed with a quote. Figures are written as numbers, except hidden
ones (small groups), which are written as the text "< 5" exactly as on screen. The CSV is
written by `mentorat.lib.csv_export`, in the active language's format (`;` and `44,4` in
French, `,` and `44.4` in English)."""

import io

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from mentorat.lib.csv_export import csv_bytes, escape_text
from mentorat.reports.figures import Figure, Unit
from mentorat.reports.tables import Cell, Table


def export_value(cell: Cell) -> str | int | float:
    if isinstance(cell, Figure):
        value = cell.shown_value
        if value is None:
            return escape_text(cell.display())
        if cell.unit == Unit.COUNT:
            return round(value)
        return round(value, 1)
    return escape_text(cell)


def table_csv(table: Table) -> bytes:
    """The table as CSV in the active language's format (see `mentorat.lib.csv_export`)."""
    return csv_bytes([table.columns, *([export_value(cell) for cell in row] for row in table.rows)])


def table_xlsx(table: Table) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = table.code[:31]
    sheet.append([escape_text(c) for c in table.columns])
    for row in table.rows:
        sheet.append([export_value(cell) for cell in row])
    for index, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(len(column) + 4, 60))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
