"""The services the bulk import builds on: people, profiles and applications by email."""

from datetime import date

import pytest
from django.utils import translation

from mentorat.accounts.models import User
from mentorat.applications.models import ApplicationStatus
from mentorat.applications.services.bulk_import import import_application
from mentorat.lib.errors import DomainError
from mentorat.organizations.models import Membership, Role
from mentorat.participants.services import ProfileData, update_profile, upsert_person
from tests.programs.factories import EditionFactory


def test_reimporting_a_person_updates_instead_of_duplicating(cast):
    user, created = upsert_person(email=" Lea.Martin@Example.org ", first_name="Léa", language="en")
    again, created_again = upsert_person(email="lea.martin@example.org", last_name="Martin")
    assert created
    assert not created_again
    assert user.pk == again.pk
    assert User.objects.filter(email__iexact="lea.martin@example.org").count() == 1
    again.refresh_from_db()
    assert (again.first_name, again.last_name, again.language) == ("Léa", "Martin", "en")
    assert not again.has_usable_password()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"email": "not-an-email"}, "Email address"),
        ({"email": "a@b.fr", "language": "de"}, "Language"),
    ],
)
def test_bad_person_values_name_the_column(cast, kwargs, message):
    with translation.override("en"), pytest.raises(DomainError, match=message):
        upsert_person(**kwargs)


def test_profile_update_touches_only_given_values(cast):
    update_profile(
        user=cast.mentee,
        data=ProfileData(
            field="Droit", goals=["first_job"], skills_wanted=["Gestion de projet", "Tricot"]
        ),
    )
    profile = update_profile(user=cast.mentee, data=ProfileData(region="ARA"))
    assert (profile.field, profile.region, profile.goals) == ("Droit", "ARA", ["first_job"])
    assert sorted(s.name for s in profile.skills_wanted.all()) == ["Gestion de projet", "Tricot"]
    # Case-insensitive reuse of the vocabulary.
    profile = update_profile(user=cast.mentee, data=ProfileData(skills_wanted=["tricot"]))
    assert [s.name for s in profile.skills_wanted.all()] == ["Tricot"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (ProfileData(rome_domain="Z"), "Occupation domain"),
        (ProfileData(goals=["fame"]), "Goals"),
        (ProfileData(birth_date=date(1850, 1, 1)), "Date of birth"),
        (ProfileData(region="XXX"), "Region"),
    ],
)
def test_unknown_profile_values_name_the_field(cast, data, message):
    with translation.override("en"), pytest.raises(DomainError, match=message):
        update_profile(user=cast.mentee, data=data)


def test_import_application_creates_then_updates(cast):
    edition = EditionFactory(program__organization=cast.org_a)
    user, _ = upsert_person(email="new@example.org")
    application, created = import_application(
        edition=edition, user=user, role="mentee", actor=cast.coordinator_a
    )
    assert created
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.source == "import"
    application, created = import_application(
        edition=edition,
        user=user,
        role="mentee",
        status=ApplicationStatus.ACCEPTED,
        actor=cast.coordinator_a,
    )
    assert not created
    assert application.status == ApplicationStatus.ACCEPTED
    assert Membership.objects.filter(user=user, organization=cast.org_a, role=Role.MENTEE).exists()
    assert application.charter is None  # they accept it themselves before matching
    with pytest.raises(DomainError, match="Lycée B"):
        import_application(edition=edition, user=user, role="mentee", organization=cast.org_b)
