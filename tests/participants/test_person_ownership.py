"""Who may change a person's data outside the bulk import: the per-row services
(`upsert_person`, `update_profile`, `import_application`) apply the same rule as the import
(`mentorat.permissions.people`): the person, or for a record nobody has claimed yet, the
staff of the organisation it was first registered with."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone, translation

from mentorat.applications.models import Application, ApplicationStatus
from mentorat.applications.services.bulk_import import import_application
from mentorat.lib.errors import DomainError
from mentorat.organizations.models import Role
from mentorat.participants.models import Profile
from mentorat.participants.services import ProfileData, update_profile, upsert_person
from mentorat.permissions.people import can_change_person, owning_organization_ids
from tests.applications.factories import ApplicationFactory
from tests.factories import MembershipFactory
from tests.programs.factories import EditionFactory


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def edition_b(cast):
    return EditionFactory(program__organization=cast.org_b)


@pytest.fixture
def edition_a(cast):
    return EditionFactory(program__organization=cast.org_a)


@pytest.fixture
def b_record(cast, edition_b):
    """A person organisation B registered (first application in B) and who has not
    claimed their record."""
    person, created = upsert_person(
        email="lea@ecole-b.example.org",
        first_name="Léa",
        last_name="Martin",
        actor=cast.coordinator_b,
    )
    assert created
    import_application(
        edition=edition_b, user=person, role="mentee", organization=cast.org_b,
        actor=cast.coordinator_b,
    )  # fmt: skip
    update_profile(
        user=person,
        data=ProfileData(birth_date=date(2004, 3, 14), occupation="Lycéenne"),
        actor=cast.coordinator_b,
    )
    return person


def test_the_owner_is_the_organisation_of_the_first_application_or_membership(
    cast, b_record, edition_a
):
    assert owning_organization_ids([b_record.pk]) == {b_record.pk: cast.org_b.pk}
    # Later applications and memberships elsewhere change nothing.
    later = timezone.now() + timedelta(minutes=5)
    ApplicationFactory(
        edition=edition_a, user=b_record, organization=cast.org_a, submitted_at=later
    )
    MembershipFactory(user=b_record, organization=cast.org_a, role=Role.MENTEE)
    assert owning_organization_ids([b_record.pk]) == {b_record.pk: cast.org_b.pk}
    # A membership older than any application makes its organisation the owner.
    member = MembershipFactory(organization=cast.org_a).user
    ApplicationFactory(user=member, organization=cast.org_b, submitted_at=later)
    assert owning_organization_ids([member.pk])[member.pk] == cast.org_a.pk
    # Nobody owns a record with neither.
    orphan, _created = upsert_person(email="orphan@example.org")
    assert owning_organization_ids([orphan.pk]) == {orphan.pk: None}


def test_who_may_change_an_unclaimed_record(cast, b_record):
    assert can_change_person(cast.coordinator_b, b_record)
    assert can_change_person(cast.platform_admin, b_record)
    for other in (cast.coordinator_a, cast.admin_a, cast.mentor, cast.outsider):
        assert not can_change_person(other, b_record), other
    # Once claimed, the person alone.
    b_record.password = make_password("choisi")
    b_record.save(update_fields=["password"])
    assert not can_change_person(cast.coordinator_b, b_record)
    assert not can_change_person(cast.platform_admin, b_record)
    assert can_change_person(b_record, b_record)


def test_upsert_person_by_another_organisation_leaves_names_alone(cast, b_record):
    person, created = upsert_person(
        email="LEA@ecole-b.example.org",
        first_name="Autre",
        last_name="Nom",
        language="en",
        actor=cast.coordinator_a,
    )
    assert (person.pk, created) == (b_record.pk, False)
    b_record.refresh_from_db()
    assert (b_record.first_name, b_record.last_name, b_record.language) == ("Léa", "Martin", "fr")


def test_upsert_person_by_the_owner_updates_names(cast, b_record):
    upsert_person(email=b_record.email, last_name="Martin-Durand", actor=cast.coordinator_b)
    b_record.refresh_from_db()
    assert b_record.last_name == "Martin-Durand"


def test_update_profile_of_another_organisations_record_is_refused(cast, b_record):
    with pytest.raises(DomainError, match="You cannot change this person's details"):
        update_profile(
            user=b_record,
            data=ProfileData(birth_date=date(1990, 1, 1), occupation="Escroquerie"),
            actor=cast.coordinator_a,
        )
    profile = Profile.objects.get(user=b_record)
    assert (profile.birth_date, profile.occupation) == (date(2004, 3, 14), "Lycéenne")


def test_update_profile_of_someone_elses_account_is_refused(cast):
    with pytest.raises(DomainError, match="You cannot change this person's details"):
        update_profile(user=cast.mentee, data=ProfileData(occupation="X"), actor=cast.mentor)
    # Even by the coordinators of the person's own organisation: it is theirs now.
    with pytest.raises(DomainError):
        update_profile(user=cast.mentee, data=ProfileData(occupation="X"), actor=cast.coordinator_a)
    assert not Profile.objects.filter(user=cast.mentee, occupation="X").exists()
    update_profile(user=cast.mentee, data=ProfileData(occupation="Étudiante"), actor=cast.mentee)
    assert Profile.objects.get(user=cast.mentee).occupation == "Étudiante"


@pytest.fixture
def shared_edition(cast):
    edition = EditionFactory(program__organization=cast.org_a)
    edition.program.shared_with.add(cast.org_b)
    return edition


def test_import_application_keeps_a_partner_off_other_organisations_applications(
    cast, shared_edition
):
    theirs = ApplicationFactory(edition=shared_edition, organization=cast.org_a)
    with pytest.raises(DomainError, match="already registered in this edition by another"):
        import_application(
            edition=shared_edition,
            user=theirs.user,
            role="mentor",
            organization=cast.org_b,
            actor=cast.coordinator_b,
        )
    theirs.refresh_from_db()
    assert (theirs.organization, theirs.role) == (cast.org_a, "mentee")


def test_import_application_only_for_organisations_the_actor_imports_for(cast, shared_edition):
    person, _created = upsert_person(email="new@example.org", first_name="New")
    with pytest.raises(DomainError, match="you cannot import people for Université A"):
        import_application(
            edition=shared_edition,
            user=person,
            role="mentee",
            organization=cast.org_a,
            actor=cast.coordinator_b,
        )
    with pytest.raises(DomainError, match="only the program's coordinators"):
        import_application(
            edition=shared_edition,
            user=person,
            role="mentee",
            organization=cast.org_b,
            status=ApplicationStatus.ACCEPTED,
            actor=cast.coordinator_b,
        )
    assert not Application.objects.filter(user=person).exists()
    application, created = import_application(
        edition=shared_edition,
        user=person,
        role="mentee",
        organization=cast.org_b,
        actor=cast.coordinator_b,
    )
    assert created
    assert application.organization == cast.org_b


def test_import_application_refuses_people_outside_the_program(cast, edition_a):
    person, _created = upsert_person(email="new@example.org", first_name="New")
    with pytest.raises(DomainError):
        import_application(
            edition=edition_a,
            user=person,
            role="mentee",
            organization=cast.org_a,
            actor=cast.coordinator_b,
        )
    assert not Application.objects.filter(user=person).exists()


def test_answering_an_information_request_writes_the_profile_only_for_the_applicant(cast):
    from mentorat.applications.services.submission import respond_to_info_request

    application = ApplicationFactory(
        user=cast.mentee, organization=cast.org_a, status=ApplicationStatus.INFO_REQUESTED
    )
    with pytest.raises(DomainError, match="You cannot change this person's details"):
        respond_to_info_request(
            application=application,
            answers={},
            profile=ProfileData(occupation="Écrit par quelqu'un d'autre"),
            actor=cast.coordinator_a,
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.INFO_REQUESTED
    assert not Profile.objects.filter(user=cast.mentee, occupation__startswith="Écrit").exists()
    respond_to_info_request(
        application=application,
        answers={},
        profile=ProfileData(occupation="Étudiante"),
        actor=cast.mentee,
    )
    assert Profile.objects.get(user=cast.mentee).occupation == "Étudiante"
