"""The data map is complete and well-formed: every personal-looking field of every
installed model (libraries included) is declared in an app's `personal_data.py`, or
named there as not personal, with the reason; every declaration names real fields and
subject lookups that lead to the user model."""

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from mentorat.lib.personal_data import TARGET, Erasure, ModelData
from mentorat.privacy.datamap import declarations, models_without_personal_data

# Types that can hold a name, an address, a free text or a file.
PERSONAL_TYPES: tuple[type[models.Field], ...] = (
    models.CharField,  # with EmailField, URLField, SlugField
    models.TextField,
    models.JSONField,
    models.GenericIPAddressField,
    models.FileField,
    models.BinaryField,
)
# Names that look personal whatever the type; "ip" as a whole word only.
PERSONAL_NAME = re.compile(
    r"name|email|phone|address|birth|note|comment|reason|text|agent|label|answer|message"
    r"|(^|_)ip(_|$)"
)


def _exempt_by_rule(field: models.Field) -> bool:
    """Fields that cannot hold personal data whatever their type, by explicit rules:
    primary keys (ids), and choice fields (a code from a fixed list, never free text)
    unless their name looks personal (a gender, an answer, a reason: declared)."""
    if field.primary_key:
        return True
    return bool(field.choices) and not PERSONAL_NAME.search(field.name)


def _points_to_user(field: models.Field) -> bool:
    return field.is_relation and field.related_model is get_user_model()


def personal_looking(field: models.Field) -> bool:
    """Whether the completeness test asks a declaration for `field`."""
    if _points_to_user(field):
        return True
    if _exempt_by_rule(field):
        return False
    if isinstance(field, PERSONAL_TYPES) or PERSONAL_NAME.search(field.name):
        return True
    return isinstance(field, models.DateField) and "birth" in field.name


def _own_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in model._meta.get_fields()
        if isinstance(f, models.Field) and (f.concrete or f.many_to_many) and not f.auto_created
    ]


def _resolve(model: type[models.Model], lookup: str) -> type[models.Model] | None:
    """The model `lookup` leads to from `model`, or None if it leads nowhere."""
    target = model
    if not lookup:
        return target
    for part in lookup.split("__"):
        try:
            field = target._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        if not field.is_relation or field.related_model is None:
            return None
        target = field.related_model
    return target


def _accounted(declaration: ModelData) -> set[str]:
    lookups = [*declaration.subjects]
    lookups += [f.subject for f in declaration.fields.values() if f.subject not in (None, TARGET)]
    firsts = {lookup.split("__")[0] for lookup in lookups if lookup}
    generic = set(declaration.generic_target or ())
    return set(declaration.fields) | set(declaration.not_personal) | firsts | generic


def undeclared(
    declared: Iterable[ModelData], without_personal_data: Mapping[str, str]
) -> list[str]:
    """Personal-looking fields of installed models that the map does not account for."""
    by_model = {d.model: d for d in declared}
    missing = []
    for model in apps.get_models():
        label = model._meta.label
        declaration = by_model.get(label)
        accounted = _accounted(declaration) if declaration else set()
        for field in _own_fields(model):
            if not personal_looking(field) or field.name in accounted:
                continue
            if label in without_personal_data and not _points_to_user(field):
                continue
            missing.append(f"{label}.{field.name}")
    return missing


def _lookup_problems(d: ModelData, model: type[models.Model]) -> list[str]:
    user_model = get_user_model()
    problems = []
    if d.generic_target is not None:
        problems += [
            f"{d.model}.{name}: say whom it is about (a lookup or TARGET)"
            for name, f in d.fields.items()
            if f.subject is None
        ]
    if "" in d.subjects and model is not user_model:
        problems.append(f"{d.model}: the empty subject is for the user model only")
    for lookup in [*d.subjects, *(f.subject for f in d.fields.values() if f.subject)]:
        if lookup == TARGET:
            if d.generic_target is None:
                problems.append(f"{d.model}: a TARGET subject needs a generic_target")
        elif _resolve(model, lookup) is not user_model:
            problems.append(f"{d.model}: subject {lookup!r} does not lead to the user")
    return problems


def _field_problems(d: ModelData, model: type[models.Model]) -> list[str]:
    problems = []
    for name in [*d.fields, *d.not_personal, *d.email_fields, *(d.generic_target or ())]:
        try:
            model._meta.get_field(name)
        except FieldDoesNotExist:
            problems.append(f"{d.model}.{name}: no such field")
    problems += [
        f"{d.model}.{name}: both personal and not personal"
        for name in set(d.fields) & set(d.not_personal)
    ]
    problems += [
        f"{d.model}.{name}: an email field must be declared"
        for name in d.email_fields
        if name not in d.fields
    ]
    return problems


def malformed(declared: Iterable[ModelData], without_personal_data: Mapping[str, str]) -> list[str]:
    """Declarations naming fields, models or lookups that do not exist."""
    problems = []
    seen: set[str] = set()
    for d in declared:
        if d.model in seen:
            problems.append(f"{d.model}: declared twice")
        seen.add(d.model)
        if d.model in without_personal_data:
            problems.append(f"{d.model}: both declared and said to hold no personal data")
        try:
            model = apps.get_model(d.model)
        except LookupError:
            problems.append(f"{d.model}: no such model")
            continue
        problems += _field_problems(d, model) + _lookup_problems(d, model)
    for label in without_personal_data:
        try:
            apps.get_model(label)
        except LookupError:
            problems.append(f"{label}: no such model")
    return problems


def test_every_personal_looking_field_is_declared():
    assert undeclared(declarations(), models_without_personal_data()) == []


def test_declarations_name_real_fields_and_subjects():
    assert malformed(declarations(), models_without_personal_data()) == []


# Text kept in the pseudonymous record after erasure: only what the reports count, and
# coarse enough to identify nobody once names, contacts and free texts are gone.
KEPT_TEXT = {
    ("participants.Profile", "field"): "a field of study or sector: reports filter on it",
    ("participants.Profile", "goals"): "a list of goal codes: the career changers' figures",
    ("participants.Profile", "priority_groups"): "a list of group codes: priority figures",
}


def test_erasure_keeps_no_free_text_but_what_the_reports_need():
    kept = set()
    for d in declarations():
        model = apps.get_model(d.model)
        for name, declared in d.fields.items():
            field = model._meta.get_field(name)
            text = isinstance(field, models.CharField | models.TextField | models.JSONField)
            if declared.erasure == Erasure.KEEP and text and not field.choices:
                kept.add((d.model, name))
    assert kept == set(KEPT_TEXT)


def baseline_missing() -> set[str]:
    """What the map misses today (nothing, once the suite passes), so that the tests
    below show what removing one declaration adds."""
    return set(undeclared(declarations(), models_without_personal_data()))


def _without(label: str, field_name: str) -> list[ModelData]:
    result = []
    for d in declarations():
        if d.model == label:
            fields = {k: v for k, v in d.fields.items() if k != field_name}
            d = replace(d, fields=fields)
        result.append(d)
    return result


def test_a_forgotten_declaration_is_caught():
    # The birth date, the guardian's address, a private note, a link to an account.
    for label, name in [
        ("participants.Profile", "birth_date"),
        ("applications.Application", "guardian_email"),
        ("mentorships.PrivateNote", "text"),
        ("applications.Application", "decided_by"),
        ("audit.AuditEntry", "ip_address"),
        ("notifications.EmailDelivery", "recipient"),
    ]:
        missing = undeclared(_without(label, name), models_without_personal_data())
        assert set(missing) - baseline_missing() == {f"{label}.{name}"}


def test_a_model_said_to_hold_no_personal_data_still_may_not_point_to_a_person():
    declared = [d for d in declarations() if d.model != "programs.Charter"]
    not_personal = {**models_without_personal_data(), "programs.Charter": "text only"}
    assert set(undeclared(declared, not_personal)) - baseline_missing() == {
        "programs.Charter.published_by"
    }


def test_an_undeclared_model_is_caught():
    declared = [d for d in declarations() if d.model != "mentorships.Meeting"]
    missing = undeclared(declared, models_without_personal_data())
    assert {"mentorships.Meeting.phone", "mentorships.Meeting.agenda"} <= set(missing)


def test_wrong_names_and_subjects_are_caught():
    bad = ModelData(
        model="mentorships.Goal",
        subjects=("mentorship", "mentorship__mentee_application__user"),
        fields={"titel": next(iter(declarations()[0].fields.values()))},
    )
    declared = [d for d in declarations() if d.model != "mentorships.Goal"] + [bad]
    problems = malformed(declared, models_without_personal_data())
    assert "mentorships.Goal.titel: no such field" in problems
    assert "mentorships.Goal: subject 'mentorship' does not lead to the user" in problems
    assert not any("mentee_application__user" in p for p in problems)
