"""The attendee list of an event as CSV (`lib.csv_export`), XLSX (openpyxl) and a PDF
sign-in sheet to print for the door (weasyprint). Times in the active time zone."""

import io

from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from weasyprint import HTML

from mentorat.events.models import Event, Registration
from mentorat.events.selectors import attendees
from mentorat.lib.csv_export import Cell, csv_bytes, escape_text

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _columns() -> list[str]:
    return [
        _("Last name"),
        _("First name"),
        _("Email"),
        _("Status"),
        _("Attended"),
        _("Checked in at"),
    ]


def _row(registration: Registration) -> list[Cell]:
    user = registration.user
    checked = registration.checked_in_at
    return [
        user.last_name,
        user.first_name,
        user.email,
        str(registration.get_status_display()),
        _("yes") if registration.attended else _("no"),
        formats.date_format(timezone.localtime(checked), "SHORT_DATETIME_FORMAT")
        if checked
        else "",
    ]


def attendees_csv(event: Event) -> bytes:
    return csv_bytes([_columns(), *(_row(r) for r in attendees(event=event))])


def attendees_xlsx(event: Event) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Attendees")[:31]
    sheet.append(_columns())
    for registration in attendees(event=event):
        sheet.append(
            [
                escape_text(str(cell)) if isinstance(cell, str) else cell
                for cell in _row(registration)
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sign_in_sheet(event: Event) -> bytes:
    """A printable list with a column to sign, people with a place first."""
    html = render_to_string(
        "events/sign_in_sheet.html",
        {"event": event, "registrations": attendees(event=event)},
    )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
