"""Erasure keeps the statistics and leaves no trace of the person (issue 16, point 3).

The marker test seeds one marker string into every personal value of a person that the
data map says to erase, in a row of every declared model about them, erases the
person, then scans every column of every table of the database for the marker."""

from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone

from mentorat.accounts.models import User
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.audit.models import AuditEntry
from mentorat.audit.pseudonyms import pseudonym_for
from mentorat.audit.services import record
from mentorat.lib.personal_data import TARGET, Erasure, ModelData
from mentorat.mentorships.models import (
    CheckIn,
    EndReason,
    Mentorship,
    MentorshipStatus,
    Outcome,
    PrivateNote,
    SessionLog,
)
from mentorat.organizations.models import OrganizationKind, Role
from mentorat.participants.models import Profile, SensitiveDataConsent
from mentorat.participants.services import ProfileData, update_profile
from mentorat.privacy.datamap import declarations
from mentorat.privacy.erasure.services import erase_person, erase_rows
from mentorat.privacy.exports.models import ExportRequest
from mentorat.reports.organization import contribution_table
from mentorat.reports.report import program_report
from mentorat.reports.scope import Scope
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.mentorships.factories import MentorshipFactory
from tests.privacy_erasure.scenario import MARKER, World, build_world

# Models whose rows about a person no lookup finds: the session (its data is encoded)
# and the security log (found by the account's pseudonym); the scenario builds them.
NOT_BY_LOOKUP = {"sessions.Session", "audit.SecurityEvent"}


def _about_person(declaration: ModelData, model: type[models.Model], person: User) -> Q:
    condition = Q(pk__in=[])
    lookups = set(declaration.subjects) | {
        f.subject for f in declaration.fields.values() if f.subject not in (None, TARGET)
    }
    for lookup in lookups:
        condition |= Q(pk=person.pk) if lookup == "" else Q(**{lookup: person.pk})
    for name in declaration.email_fields:
        if isinstance(model._meta.get_field(name), models.JSONField):
            condition |= Q(**{f"{name}__icontains": person.email})
        else:
            condition |= Q(**{f"{name}__iexact": person.email})
    return condition


def _field_rows(declaration: ModelData, model: type[models.Model], name: str, person: User) -> Q:
    """Rows where the declared field `name` is about the person."""
    subject = declaration.fields[name].subject
    if subject is None:
        condition = Q(pk__in=[])
        for lookup in declaration.subjects:
            condition |= Q(pk=person.pk) if lookup == "" else Q(**{lookup: person.pk})
        for email_field in declaration.email_fields:
            if not isinstance(model._meta.get_field(email_field), models.JSONField):
                condition |= Q(**{f"{email_field}__iexact": person.email})
        return condition
    return Q(pk=person.pk) if subject == "" else Q(**{subject: person.pk})


def _marked(field: models.Field[Any, Any], current: Any) -> Any:
    """A value of the field's kind holding the marker."""
    if isinstance(field, models.JSONField):
        return [MARKER, "seeded"] if isinstance(current, list) else {"seeded": MARKER}
    if isinstance(field, models.URLField):
        return f"https://seeded.example/{MARKER}"
    value = f"{MARKER} seeded"
    return value[: field.max_length] if field.max_length else value


def _seedable(field: models.Field[Any, Any]) -> bool:
    """Text and JSON fields that can hold the marker (coded values cannot)."""
    if isinstance(field, models.JSONField):
        return True
    if not isinstance(field, models.CharField | models.TextField) or field.choices:
        return False
    if isinstance(field, models.EmailField) or field.name == "password":
        return False  # addresses are the person's own, which hold the marker already
    return field.max_length is None or field.max_length >= len(MARKER) + 2


def seed_marker_everywhere(person: User) -> set[str]:
    """Put the marker into every personal text or JSON value the map erases, in every
    row about the person; returns the models that have such rows (or nothing to
    erase: only links to the people who did things, kept)."""
    seen: set[str] = set()
    for declaration in declarations():
        model = _model(declaration)
        rows = model._base_manager.filter(_about_person(declaration, model, person))
        erasable = any(f.erasure != Erasure.KEEP for f in declaration.fields.values())
        if rows.exists() or not erasable:
            seen.add(declaration.model)
        for name, declared in declaration.fields.items():
            field = model._meta.get_field(name)
            if declared.erasure == Erasure.KEEP or declared.subject == TARGET:
                continue
            if field.many_to_many or not _seedable(field):
                continue
            for row in model._base_manager.filter(_field_rows(declaration, model, name, person)):
                current = getattr(row, field.attname)
                if MARKER not in str(current).lower():
                    model._base_manager.filter(pk=row.pk).update(
                        **{field.attname: _marked(field, current)}
                    )
    return seen


def _model(declaration: ModelData) -> type[models.Model]:
    from django.apps import apps  # test helper: the map names models by label

    return apps.get_model(declaration.model)


def marker_hits() -> list[str]:
    """Every `table.column` of the database holding the marker, whatever its type."""
    hits = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quote(table)} "  # noqa: S608 - names from introspection
                    f"WHERE LOWER(CAST({quote(column.name)} AS TEXT)) LIKE %s",
                    [f"%{MARKER}%"],
                )
                if cursor.fetchone()[0]:
                    hits.append(f"{table}.{column.name}")
    return hits


def figures(world: World) -> list[tuple[str, str]]:
    """Every figure of the program's report, as shown."""
    report = program_report(Scope(program=world.program, now=NOW))
    found = [
        (value.indicator.code, repr(value.figure))
        for _section, values in report.sections
        for value in values
    ]
    found += [(str(p.objective.pk), repr(p.figure)) for p in report.objectives]
    for code, table in report.tables.items():
        found += [(code, repr(row[1:])) for row in table.rows]
    return found


NOW = timezone.now()


@pytest.mark.django_db
def test_erasure_leaves_no_marker_and_keeps_the_figures():
    world = build_world()
    seen = seed_marker_everywhere(world.person)
    declared = {d.model for d in declarations()}
    missing = declared - seen - NOT_BY_LOOKUP
    assert not missing, f"the scenario has no row about the person in {sorted(missing)}"
    assert marker_hits(), "the marker was seeded"
    before = figures(world)
    assert len(before) > 10

    erase_person(person=world.person, actor=world.admin, reason="request")

    assert marker_hits() == []
    assert figures(world) == before
    # The statistics' rows stay, pseudonymous.
    person = User.objects.get(pk=world.person.pk)
    assert person.email == f"erased-{person.pk}@invalid"
    assert (person.first_name, person.last_name, person.is_active) == ("", "", False)
    assert not person.has_usable_password()
    application = Application.objects.get(pk=world.application.pk)
    assert (application.status, application.role) == (ApplicationStatus.ACCEPTED, "mentee")
    assert application.organization_id == world.organization.pk
    assert Mentorship.objects.filter(pk=world.mentorship.pk).exists()
    assert Outcome.objects.filter(mentorship=world.mentorship, situation="cdi").exists()
    assert CheckIn.objects.filter(respondent=person, satisfaction=4).exists()
    # The other side keeps their own note; the person's is gone.
    assert PrivateNote.objects.filter(pk=world.mentor_note.pk).exists()
    assert not PrivateNote.objects.filter(author=person).exists()
    assert SessionLog.objects.filter(mentorship=world.mentorship).exists()
    assert not Session.objects.exists()
    # The audit entry names nobody.
    entry = AuditEntry.objects.get(action="privacy.person.erased")
    assert entry.organization_id == world.organization.pk
    assert entry.data["person"] == pseudonym_for(person.pk)
    assert (entry.target_type, entry.target_label) == ("", "")


@pytest.mark.django_db
def test_erasing_ends_running_pairs_and_withdraws_open_applications():
    mentorship = MentorshipFactory()
    mentee = mentorship.mentee
    other = Application.objects.create(
        edition=mentorship.edition.program.editions.create(
            name="Suivante",
            applications_open_on=timezone.localdate(),
            applications_close_on=timezone.localdate(),
            matching_on=timezone.localdate(),
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate(),
        ),
        user=mentee,
        role="mentee",
        status=ApplicationStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )

    erase_person(person=mentee, actor=None, reason="retention")

    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.ENDED
    assert mentorship.end_reason == EndReason.MENTEE_LEFT
    other.refresh_from_db()
    assert other.status == ApplicationStatus.WITHDRAWN
    # Nobody will answer the final check-in of the erased person; the mentor's stays.
    assert not CheckIn.objects.filter(respondent=mentee).exists()
    assert CheckIn.objects.filter(respondent=mentorship.mentor, occasion="final").exists()


@pytest.mark.django_db
def test_erase_rows_applies_the_map_to_the_given_rows_only():
    world = build_world()
    kept = Application.objects.create(
        edition=world.edition.program.editions.create(
            name="Autre",
            applications_open_on=timezone.localdate(),
            applications_close_on=timezone.localdate(),
            matching_on=timezone.localdate(),
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate(),
        ),
        user=world.person,
        role="mentee",
        status=ApplicationStatus.DECLINED,
        answers={"1": {"question": "Q", "answer": "keep me"}},
        decision_reason="kept",
        submitted_at=timezone.now(),
    )

    changed = erase_rows(
        model_label="applications.Application",
        rows=Application.objects.filter(pk=world.application.pk),
        person=world.person,
    )

    assert changed == 1
    erased = Application.objects.get(pk=world.application.pk)
    assert (erased.answers, erased.decision_reason, erased.guardian_email) == ({}, "", "")
    assert erased.status == ApplicationStatus.ACCEPTED
    kept.refresh_from_db()
    assert kept.decision_reason == "kept"
    assert User.objects.get(pk=world.person.pk).is_active


@pytest.mark.django_db
def test_erasing_a_mentor_keeps_their_organisation_contribution():
    company = OrganizationFactory(kind=OrganizationKind.COMPANY)
    mentorship = MentorshipFactory(ended_on=None)
    mentorship.edition.program.shared_with.add(company)
    MembershipFactory(user=mentorship.mentor, organization=company, role=Role.MENTOR)
    Application.objects.filter(pk=mentorship.mentor_application_id).update(organization=company)
    before = [repr(row[2:]) for row in contribution_table(company).rows]
    assert "1" in before[0]

    erase_person(person=mentorship.mentor, actor=None, reason="retention")

    assert [repr(row[2:]) for row in contribution_table(company).rows] == before


@pytest.mark.django_db
def test_the_files_of_an_erased_person_are_deleted(django_capture_on_commit_callbacks):
    person = UserFactory()
    export = ExportRequest.objects.create(person=person, requested_by=person, status="ready")
    export.file.save("erasure-test.zip", ContentFile(b"PK personal"), save=True)
    storage, name = export.file.storage, export.file.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        erase_person(person=person, actor=None, reason="retention")

    export.refresh_from_db()
    assert export.file.name == ""
    assert not storage.exists(name)


@pytest.mark.django_db
def test_a_namesake_keeps_their_records():
    person = UserFactory(first_name="Marie", last_name="Martin")
    namesake = UserFactory(first_name="Marie", last_name="Martin")
    about_person = record(action="accounts.user.updated", target=person)
    about_namesake = record(action="accounts.user.updated", target=namesake)

    erase_person(person=person, actor=None, reason="retention")

    about_person.refresh_from_db()
    about_namesake.refresh_from_db()
    assert about_person.target_label == f"erased-{person.pk}"
    assert about_namesake.target_label == "Marie Martin"


@pytest.mark.django_db
def test_a_consented_health_value_does_not_survive_in_the_pseudonymous_record():
    person = UserFactory()
    update_profile(
        user=person,
        data=ProfileData(
            priority_groups=["disability", "scholarship_holder"],
            sensitive_consents=["disability"],
        ),
        actor=person,
    )

    erase_person(person=person, actor=None, reason="request")

    # The non-sensitive group stays for the reports; the Art. 9 value and its consent go.
    assert Profile.objects.get(user=person).priority_groups == ["scholarship_holder"]
    assert not SensitiveDataConsent.objects.filter(user=person).exists()
