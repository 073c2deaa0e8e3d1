"""The downloadable file to fill in: the column names in the current language and one
example row, as CSV (`mentorat.lib.csv_export`: UTF-8 with a byte order mark, semicolons
in French, which Excel opens correctly) or as an Excel workbook with a second sheet
describing the columns."""

import io

from django.utils.translation import gettext as _

from mentorat.applications.imports.columns import COLUMNS, Column, Kind, template_header
from mentorat.applications.imports.validation import vocabularies
from mentorat.lib.csv_export import csv_bytes
from mentorat.programs.models import Program


def example_value(column: Column, *, program: Program) -> str:
    """The example of the column, with coded values written as their label."""
    if column.code == "organization":
        return program.organization.name
    if column.kind not in (Kind.CHOICE, Kind.CHOICES) or not column.example:
        return column.example
    vocabulary = vocabularies()[column.code]
    labels = [vocabulary.label(code.strip()) for code in column.example.split(";")]
    return "; ".join(labels)


def accepted_values(column: Column) -> list[str]:
    """Labels accepted in a coded column, in the current language (for the help page)."""
    if column.kind not in (Kind.CHOICE, Kind.CHOICES):
        return []
    return vocabularies()[column.code].labels()


def template_csv(*, program: Program) -> bytes:
    """The file to fill in, as CSV in the active language's format (`;` in French, `,` in
    English; see `mentorat.lib.csv_export`): the importer reads both."""
    return csv_bytes(
        [
            [template_header(c) for c in COLUMNS],
            [example_value(c, program=program) for c in COLUMNS],
        ]
    )


def template_xlsx(*, program: Program) -> bytes:
    # openpyxl is heavy: loaded only when the template is downloaded.
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Participants")[:31]
    sheet.append([template_header(c) for c in COLUMNS])
    sheet.append([example_value(c, program=program) for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(
            14, len(template_header(column)) + 2
        )
    sheet.freeze_panes = "A2"
    # Dates typed into the example row stay text, so that Excel does not reformat them.
    help_sheet = workbook.create_sheet(_("Help")[:31])
    help_sheet.append([_("Column"), _("Required"), _("What to write"), _("Accepted values")])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        help_sheet.append(
            [
                template_header(column),
                _("yes") if column.required else "",
                str(column.help),
                ", ".join(accepted_values(column)),
            ]
        )
    help_sheet.column_dimensions["A"].width = 32
    help_sheet.column_dimensions["C"].width = 80
    help_sheet.column_dimensions["D"].width = 80
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
