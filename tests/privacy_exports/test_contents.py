"""The acceptance test of the export (issue 16): the ZIP holds every personal field the
data map declares about the person, row by row, in data.json and in the CSV files; the
other side's private notes and fields about the other side never appear.

Markers: every declared text field of every row of the database gets a unique value, so
that finding a value in the file proves where it came from."""

import itertools
from collections import defaultdict
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from mentorat.lib.personal_data import TARGET, ModelData
from mentorat.mentorships.models import Situation
from mentorat.privacy.datamap import declarations
from mentorat.privacy.exports.archive import build_zip, table_csv
from mentorat.privacy.exports.collect import WITHHELD, collect, is_withheld
from tests.privacy_exports.people import World, build_world
from tests.privacy_exports.zips import Zip

pytestmark = pytest.mark.django_db

_counter = itertools.count(1)


def _seedable(declaration: ModelData, name: str, field: Any) -> bool:
    return (
        isinstance(field, models.CharField | models.TextField)
        and not field.choices
        and not isinstance(field, models.EmailField)
        and name not in declaration.email_fields
        and name not in ("time_zone", "language")
        and not is_withheld(declaration.model, name)
    )


def seed_markers() -> dict[tuple[str, Any, str], str]:
    """A unique marker in every declared text field of every row; (model, pk, field) ->
    marker."""
    markers: dict[tuple[str, Any, str], str] = {}
    for declaration in declarations():
        model = apps.get_model(declaration.model)
        names = [
            name
            for name in declaration.fields
            if _seedable(declaration, name, model._meta.get_field(name))
        ]
        if not names:
            continue
        for row in model._base_manager.all():
            for name in names:
                max_length = model._meta.get_field(name).max_length or 100
                marker = f"mk{next(_counter)}q"
                if isinstance(model._meta.get_field(name), models.URLField):
                    marker = f"https://{marker}.example.org"
                assert len(marker) <= max_length, (declaration.model, name)
                setattr(row, name, marker)
                markers[(declaration.model, row.pk, name)] = marker
            model._base_manager.filter(pk=row.pk).update(**{n: getattr(row, n) for n in names})
    return markers


def expected_cells(world: World) -> dict[str, dict[Any, set[str]]]:
    """(model -> row -> fields) the map says are about the person, computed plainly:
    rows of the subjects, of the email fields and targeting the account; each field whose
    own subject is the person (or, without one, on those rows)."""
    person = world.person
    expected: dict[str, dict[Any, set[str]]] = defaultdict(lambda: defaultdict(set))
    for declaration in declarations():
        model = apps.get_model(declaration.model)
        manager = model._base_manager

        def pks(**lookup: Any) -> set[Any]:
            return set(manager.filter(**lookup).values_list("pk", flat=True))  # noqa: B023

        about: set[Any] = set()
        for subject in declaration.subjects:
            about |= pks(pk=person.pk) if subject == "" else pks(**{subject: person})
        for name in declaration.email_fields:
            if not isinstance(model._meta.get_field(name), models.JSONField):
                about |= pks(**{f"{name}__iexact": person.email})
        targeted: set[Any] = set()
        if declaration.generic_target is not None:
            type_field, id_field = declaration.generic_target
            targeted = pks(**{type_field: "accounts.user", id_field: str(person.pk)})
        about |= targeted
        for name, personal in declaration.fields.items():
            if personal.subject is None:
                rows = about
            elif personal.subject == TARGET:
                rows = targeted
            else:
                rows = pks(**{personal.subject: person})
            for pk in rows:
                expected[declaration.model][pk].add(name)
    return expected


@pytest.fixture
def world() -> World:
    return build_world()


def test_every_declared_field_about_the_person_is_in_the_zip_and_nothing_of_others(world):
    markers = seed_markers()
    world.person.refresh_from_db()
    tables = collect(world.person)
    archive = Zip(build_zip(tables, world.person, world.pair.created_at))

    expected = expected_cells(world)
    checked = 0
    for label, rows in expected.items():
        json_rows, csv_rows = archive.rows(label), archive.csv_rows(label)
        for pk, names in rows.items():
            assert str(pk) in json_rows, f"{label} #{pk} missing from data.json"
            assert str(pk) in csv_rows, f"{label} #{pk} missing from the CSV"
            for name in names:
                assert name in json_rows[str(pk)], f"{label}.{name} of #{pk} not in data.json"
                assert name in csv_rows[str(pk)], f"{label}.{name} has no CSV column"
                marker = markers.get((label, pk, name))
                if marker is not None:
                    assert json_rows[str(pk)][name] == marker, (label, pk, name)
                    assert csv_rows[str(pk)][name] == marker, (label, pk, name)
                    checked += 1
                elif is_withheld(label, name):
                    assert json_rows[str(pk)][name] == WITHHELD
    # The world has data in every part of the follow-up: many text fields were checked.
    assert checked >= 20
    for label in (
        "accounts.User",
        "participants.Profile",
        "participants.SensitiveDataConsent",
        "applications.Application",
        "mentorships.Mentorship",
        "mentorships.Meeting",
        "mentorships.SessionLog",
        "mentorships.PrivateNote",
        "mentorships.CheckIn",
        "mentorships.Goal",
        "mentorships.SkillAssessment",
        "audit.AuditEntry",
        "notifications.EmailDelivery",
    ):
        assert archive.rows(label), f"{label} has no row about the person"

    whole = archive.everything
    # The other side's private note and their side of the pair never appear.
    assert markers[("mentorships.PrivateNote", world.partners_note.pk, "text")] not in whole
    assert markers[("mentorships.PrivateNote", world.own_note.pk, "text")] in whole
    assert markers[("mentorships.Mentorship", world.pair.pk, "mentor_answer_reason")] not in whole
    assert markers[("mentorships.Mentorship", world.pair.pk, "mentee_answer_reason")] in whole
    # Nothing about people the person has nothing to do with.
    strangers = {
        marker
        for (label, pk, name), marker in markers.items()
        if pk not in expected.get(label, {})
        and not (label == "accounts.User" and pk == world.person.pk)
    }
    leaked = [key for key, marker in markers.items() if marker in strangers and marker in whole]
    assert leaked == []
    assert world.stranger.email not in whole


def test_the_summary_is_in_the_persons_language_with_choices_in_words(world):
    world.person.language = "fr"
    world.person.time_zone = "America/Martinique"
    world.person.save()
    archive = Zip(build_zip(collect(world.person), world.person, world.pair.created_at))
    summary = archive.texts["summary.html"]
    assert '<html lang="fr">' in summary
    with translation.override("fr"):
        assert str(world.pair._meta.get_field("end_note").verbose_name) in summary
        # A choice in words, not its code.
        assert f"<td>{Situation.INTERNSHIP.label}</td>" in summary
    assert f"<td>{Situation.INTERNSHIP.value}</td>" not in summary
    # Date-times in the person's time zone (UTC-4): the offset is in data.json.
    assert archive.data["generated_at"].endswith("-04:00")


def test_credentials_are_withheld(world):
    world.person.set_password("a long password")
    world.person.save()
    archive = Zip(build_zip(collect(world.person), world.person, world.pair.created_at))
    (user_row,) = archive.rows("accounts.User").values()
    assert user_row["password"] == WITHHELD
    assert world.person.password not in archive.everything


def test_a_csv_cell_a_spreadsheet_would_run_is_quoted(world):
    world.own_note.text = "=HYPERLINK(1)"
    world.own_note.save()
    (table,) = [t for t in collect(world.person) if t.label == "mentorships.PrivateNote"]
    assert "'=HYPERLINK(1)" in table_csv(table, world.person)
