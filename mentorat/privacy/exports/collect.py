"""What an export contains, read from the data map: for every declaration
(`mentorat.privacy.datamap.declarations`), the rows whose subject lookups point to the
person, with each declared field whose own `subject` — when set — is the person too.

Nothing here names an app's model: a model declared in the map is exported, a model
that is not is not. So the other side's reason on a pair (`subject` the other person)
and the other side's private note (a row about its author) never reach the file.

Values are kept as Python values here; `archive` turns them into JSON, CSV and the
readable summary."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from mentorat.accounts.models import User
from mentorat.lib.personal_data import TARGET, ModelData, PersonalField
from mentorat.privacy.datamap import declarations

# The rows about a person are found exactly as the erasure finds them (one definition).
from mentorat.privacy.erasure.selectors import (
    Identity,
    email_pks,
    identity_of,
    model_of,
    subject_pks,
    target_pks,
)

# Credentials are declared in the map (they are personal data, erased with the account)
# but never copied into a file that travels: a password hash, a token or a second-factor
# secret in a downloaded ZIP only helps whoever steals it. Such a value is exported as
# this placeholder, so the file still says the platform holds it.
WITHHELD = "[withheld: security credential]"
_SECRET_NAME_PARTS = ("password", "token", "secret", "session_key", "session_data")
_SECRET_FIELDS = frozenset({("mfa.Authenticator", "data"), ("account.EmailConfirmation", "key")})
# Rows read per query (well under SQLite's limit on query parameters).
_CHUNK = 500


def is_withheld(model_label: str, field_name: str) -> bool:
    """A credential whose value the export replaces by `WITHHELD`."""
    lowered = field_name.lower()
    return (model_label, field_name) in _SECRET_FIELDS or any(
        part in lowered for part in _SECRET_NAME_PARTS
    )


@dataclass(frozen=True)
class Column:
    """One declared field of a table."""

    name: str
    model_field: Any  # a field of the model (a column, a relation or many-to-many)
    personal: PersonalField

    @property
    def verbose_name(self) -> str:
        """The field's name in words (translated in the active language)."""
        return str(getattr(self.model_field, "verbose_name", self.name))

    @property
    def many(self) -> bool:
        """A many-to-many field: its value is a list of related rows."""
        return bool(getattr(self.model_field, "many_to_many", False))


@dataclass
class Row:
    """One row about the person: its id and the values of the columns they may see
    (a column whose `subject` is someone else is absent from `values`)."""

    pk: Any
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class Table:
    """The rows of one declared model about the person."""

    label: str  # "app_label.ModelName", as in the map
    model: type[models.Model]
    columns: list[Column]
    rows: list[Row]

    @property
    def verbose_name_plural(self) -> str:
        """The model's plural name in words (active language)."""
        return str(self.model._meta.verbose_name_plural)

    @property
    def file_stem(self) -> str:
        """Base name of the table's CSV file: `app_label.ModelName` in lower case."""
        return self.model._meta.label_lower


def _columns(model: type[models.Model], declaration: ModelData) -> list[Column]:
    return [
        Column(name=name, model_field=model._meta.get_field(name), personal=personal)
        for name, personal in declaration.fields.items()
    ]


def _row_sets(declaration: ModelData, identity: Identity) -> tuple[set[Any], dict[str, set[Any]]]:
    """(rows about the person, {field subject: rows where that subject is the person}).

    Rows about the person are those their subjects, email fields or generic target tie
    to them, as the erasure finds them; a field with its own `subject` is about the
    person on the rows where that subject is them, whatever the row's subjects."""
    model = model_of(declaration)
    about: set[Any] = set()
    for lookup in declaration.subjects:
        about |= subject_pks(model, lookup, identity.user_id)
    about |= email_pks(declaration, identity.addresses)
    targets = (
        target_pks(declaration, identity.keys) if declaration.generic_target is not None else set()
    )
    about |= targets
    by_subject: dict[str, set[Any]] = {}
    for personal in declaration.fields.values():
        subject = personal.subject
        if subject is None or subject in by_subject:
            continue
        by_subject[subject] = (
            targets if subject == TARGET else subject_pks(model, subject, identity.user_id)
        )
    return about, by_subject


def _visible(column: Column, pk: Any, about: set[Any], by_subject: dict[str, set[Any]]) -> bool:
    subject = column.personal.subject
    return pk in about if subject is None else pk in by_subject[subject]


def _instances(
    model: type[models.Model], pks: set[Any], columns: list[Column]
) -> Iterator[models.Model]:
    single = [c.name for c in columns if not c.many and c.model_field.many_to_one]
    many = [c.name for c in columns if c.many]
    ordered = sorted(pks)
    for start in range(0, len(ordered), _CHUNK):
        yield from (
            model._base_manager.filter(pk__in=ordered[start : start + _CHUNK])
            .order_by("pk")
            .select_related(*single)
            .prefetch_related(*many)
        )


def _table(declaration: ModelData, identity: Identity) -> Table | None:
    if not declaration.fields:
        return None
    model = model_of(declaration)
    about, by_subject = _row_sets(declaration, identity)
    pks = about.union(*by_subject.values())
    if not pks:
        return None
    columns = _columns(model, declaration)
    rows: list[Row] = []
    for instance in _instances(model, pks, columns):
        row = Row(pk=instance.pk)
        for column in columns:
            if not _visible(column, instance.pk, about, by_subject):
                continue
            if is_withheld(declaration.model, column.name):
                row.values[column.name] = WITHHELD
            elif column.many:
                row.values[column.name] = list(getattr(instance, column.name).all())
            else:
                row.values[column.name] = getattr(instance, column.name)
        if row.values:
            rows.append(row)
    if not rows:
        return None
    return Table(label=declaration.model, model=model, columns=columns, rows=rows)


def collect(person: User) -> list[Table]:
    """Every declared table with at least one row about `person`, in the map's order."""
    identity = identity_of(person)
    tables = (_table(declaration, identity) for declaration in declarations())
    return [table for table in tables if table is not None]
