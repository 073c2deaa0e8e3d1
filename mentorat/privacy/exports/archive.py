"""The export file: a ZIP with `data.json` (every table's rows, by field name, for
machines), one CSV per table and `summary.html`, a readable summary in the person's
language and time zone, grouped by category of data.

The same tables and the same `generated_at` give the same bytes (sorted entries, fixed
member dates), so a task run again after its worker died writes the same file."""

import io
import json
import zipfile
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db import models
from django.db.models.fields.files import FieldFile
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from mentorat.accounts.models import User
from mentorat.lib.csv_export import csv_text, escape_text
from mentorat.lib.personal_data import Category
from mentorat.lib.timezones import user_zone
from mentorat.privacy.exports.collect import WITHHELD, Column, Table

FORMAT = "mentorat-personal-data-export/1"


def _in_zone(value: datetime, person: User) -> datetime:
    return timezone.localtime(value, user_zone(person)) if timezone.is_aware(value) else value


def machine_value(value: Any, person: User) -> Any:
    """A value as JSON holds it: ids for related rows, ISO 8601 dates (date-times with
    the person's UTC offset), raw choice values."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list):
        return [machine_value(item, person) for item in value]
    if isinstance(value, datetime):
        return _in_zone(value, person).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, dict):
        return {str(k): machine_value(v, person) for k, v in value.items()}
    return value


def csv_value(value: Any, person: User) -> str:
    """A value in one CSV cell: empty for none, JSON for lists and dictionaries, and a
    text a spreadsheet would run as a formula quoted with `'` (as the reports do)."""
    machine = machine_value(value, person)
    if machine is None:
        return ""
    if isinstance(machine, list | dict):
        return json.dumps(machine, ensure_ascii=False, sort_keys=True)
    if isinstance(machine, bool):
        return "true" if machine else "false"
    text = str(machine)
    return escape_text(text) if isinstance(machine, str) else text


def _structure_text(value: Any) -> str:
    """A JSON value (answers to questions, an explanation) as readable lines."""
    if isinstance(value, dict):
        if "question" in value and "answer" in value:
            return f"{value['question']}: {_structure_text(value['answer'])}"
        lines = []
        for key, item in value.items():
            text = _structure_text(item)
            lines.append(text if isinstance(item, dict) else f"{key}: {text}")
        return "\n".join(lines)
    if isinstance(value, list):
        return ", ".join(_structure_text(item) for item in value)
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    return "" if value is None else str(value)


def readable_value(column: Column, value: Any, person: User) -> str:
    """A value in words, in the active language: choices by their label, dates in the
    person's time zone, yes/no, related rows by name."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if value == WITHHELD:
        return _("Held by the platform, not included in the file for security reasons")
    choices = dict(getattr(column.model_field, "flatchoices", None) or [])
    if choices and not isinstance(value, list | dict):
        return str(choices.get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return formats.date_format(_in_zone(value, person), "DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, list) and all(isinstance(item, models.Model) for item in value):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict | list):
        return _structure_text(value)
    if isinstance(value, FieldFile):
        return value.name or "—"
    return str(value)


def data_document(tables: Iterable[Table], person: User, generated_at: datetime) -> dict[str, Any]:
    """The content of `data.json`."""
    return {
        "format": FORMAT,
        "generated_at": _in_zone(generated_at, person).isoformat(),
        "person_id": person.pk,
        "tables": {
            table.label: {
                "name": table.verbose_name_plural,
                "fields": {
                    column.name: {
                        "name": column.verbose_name,
                        "category": str(column.personal.category),
                        "purpose": str(column.personal.purpose),
                        "legal_basis": str(column.personal.basis),
                    }
                    for column in table.columns
                },
                "rows": [
                    {"id": machine_value(row.pk, person)}
                    | {name: machine_value(value, person) for name, value in row.values.items()}
                    for row in table.rows
                ],
            }
            for table in tables
        },
    }


def table_csv(table: Table, person: User) -> str:
    """One table as CSV: a header of field names, one line per row; a field the person
    may not see on a row (another person's side) is left empty."""
    header = ["id", *(column.name for column in table.columns)]
    rows = [
        [
            csv_value(row.pk, person),
            *(csv_value(row.values.get(column.name), person) for column in table.columns),
        ]
        for row in table.rows
    ]
    # In the person's language's format, as every CSV (`mentorat.lib.csv_export`).
    return csv_text([header, *rows], language=person.language)


def _summary_sections(tables: list[Table], person: User) -> list[dict[str, Any]]:
    """Per category of data, in the map's vocabulary order: the tables with fields of
    that category, each row as (field name, value in words) pairs."""
    sections = []
    for category in Category:
        parts = []
        for table in tables:
            columns = [c for c in table.columns if c.personal.category == category]
            if not columns:
                continue
            rows = [
                [
                    (column.verbose_name, readable_value(column, row.values[column.name], person))
                    for column in columns
                    if column.name in row.values
                ]
                for row in table.rows
            ]
            rows = [row for row in rows if row]
            if rows:
                parts.append({"name": table.verbose_name_plural, "rows": rows})
        if parts:
            sections.append({"category": category.label, "tables": parts})
    return sections


def summary_html(tables: list[Table], person: User, generated_at: datetime) -> str:
    """The readable summary, in the person's language and time zone."""
    with translation.override(person.language), timezone.override(user_zone(person)):
        return render_to_string(
            "privacy_exports/summary.html",
            {
                "person": person,
                "generated_at": generated_at,
                "sections": _summary_sections(tables, person),
                "language": person.language,
            },
        )


def _member(archive: zipfile.ZipFile, name: str, text: str, stamp: datetime) -> None:
    info = zipfile.ZipInfo(name, date_time=stamp.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    archive.writestr(info, text.encode("utf-8"))


def build_zip(tables: list[Table], person: User, generated_at: datetime) -> bytes:
    """The ZIP's bytes: `data.json`, `tables/<app_label>.<model>.csv`, `summary.html`."""
    stamp = timezone.localtime(generated_at, user_zone(person))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        with translation.override(person.language):
            document = data_document(tables, person, generated_at)
        _member(
            archive,
            "data.json",
            json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True),
            stamp,
        )
        for table in sorted(tables, key=lambda t: t.file_stem):
            _member(archive, f"tables/{table.file_stem}.csv", table_csv(table, person), stamp)
        _member(archive, "summary.html", summary_html(tables, person, generated_at), stamp)
    return buffer.getvalue()
