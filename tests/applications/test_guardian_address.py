"""The coordinator is warned when a guardian's address is one the minor has used (or
another minor's account), on the review page and with a badge on the list."""

from datetime import date, timedelta

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentorat.applications.models import Application, ApplicationStatus
from mentorat.applications.selectors import (
    GuardianAddressWarning,
    addresses_used_by,
    guardian_address_warning,
    with_guardian_warning,
)
from mentorat.audit.services import record
from tests.applications.factories import ApplicationFactory, ProfileFactory
from tests.applications.test_apply import apply_url, mentee_data, years_ago
from tests.factories import UserFactory
from tests.programs.factories import CharterFactory, EditionFactory

OWN_ADDRESS = (
    "L'adresse du ou de la représentant·e légal·e est une adresse déjà utilisée par le ou la "
    "mineur·e."
)
MINOR_ACCOUNT = (
    "L'adresse du ou de la représentant·e légal·e est celle du compte d'un·e autre mineur·e."
)
OTHER_ACCOUNT = "L'adresse du ou de la représentant·e légal·e est celle d'un autre compte"
BADGE = "adresse du ou de la représentant·e légal·e à vérifier"


def born_years_ago(years: int) -> date:
    return date.fromisoformat(years_ago(years))


@pytest.fixture
def program(cast):
    edition = EditionFactory(program__organization=cast.org_a, program__slug="college")
    CharterFactory(program=edition.program)
    return edition.program


@pytest.fixture
def pupil(db):
    user = UserFactory(email="eleve@example.org", first_name="Léa", last_name="Martin")
    ProfileFactory(user=user, birth_date=born_years_ago(14))
    return user


def pupil_application(program, user, guardian_email="parent@example.org") -> Application:
    return ApplicationFactory(
        edition=program.editions.first(),
        user=user,
        status=ApplicationStatus.SUBMITTED,
        guardian_email=guardian_email,
        guardian_consent_at=timezone.now(),
        is_minor=True,
        contact_through_platform_only=True,
    )


def review_page(client_for, cast, application) -> str:
    url = reverse(
        "applications:review",
        kwargs={"slug": application.edition.program.slug, "pk": application.pk},
    )
    response = client_for(cast.coordinator_a).get(url)
    assert response.status_code == 200
    return response.content.decode()


def list_page(client_for, cast, program) -> str:
    url = reverse("applications:list", kwargs={"slug": program.slug})
    response = client_for(cast.coordinator_a).get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_no_warning_for_an_address_nobody_on_the_platform_uses(cast, client_for, program, pupil):
    application = pupil_application(program, pupil)
    assert guardian_address_warning(application=application) == ""
    page = review_page(client_for, cast, application)
    assert "guardian-warning" not in page
    assert BADGE not in list_page(client_for, cast, program)


def test_warning_when_the_guardian_address_is_the_minors_account_email(
    cast, client_for, program, pupil
):
    application = pupil_application(program, pupil)
    # The pupil changed their account's email to the address given for the guardian.
    type(pupil).objects.filter(pk=pupil.pk).update(email="Parent@example.org")
    assert guardian_address_warning(application=application) == (
        GuardianAddressWarning.APPLICANT_ADDRESS
    )
    assert OWN_ADDRESS in review_page(client_for, cast, application)
    assert BADGE in list_page(client_for, cast, program)


def test_warning_when_the_minor_holds_the_address_in_their_account(
    cast, client_for, program, pupil
):
    application = pupil_application(program, pupil)
    EmailAddress.objects.create(user=pupil, email="PARENT@example.org", verified=False)
    assert OWN_ADDRESS in review_page(client_for, cast, application)
    assert BADGE in list_page(client_for, cast, program)


def test_warning_when_the_minor_used_the_address_before(cast, client_for, program):
    """They applied once under that address, then changed their email and removed it."""
    user = UserFactory(email="parent@example.org")
    ProfileFactory(user=user, birth_date=born_years_ago(14))
    old = ApplicationFactory(edition=EditionFactory(program=program), user=user)
    record(action="applications.application.submitted", actor=user, target=old)
    EmailAddress.objects.filter(user=user).update(email="eleve@example.org")
    type(user).objects.filter(pk=user.pk).update(email="eleve@example.org")
    user.refresh_from_db()
    application = pupil_application(program, user)
    assert "parent@example.org" in addresses_used_by(user=user)
    assert OWN_ADDRESS in review_page(client_for, cast, application)


def test_warning_when_the_address_is_another_minors_account(cast, client_for, program, pupil):
    other = UserFactory(email="parent@example.org")
    ProfileFactory(user=other, birth_date=born_years_ago(16))
    application = pupil_application(program, pupil)
    assert MINOR_ACCOUNT in review_page(client_for, cast, application)
    assert BADGE in list_page(client_for, cast, program)


def test_an_account_that_applied_as_a_minor_counts_as_a_minor(cast, program, pupil):
    other = UserFactory(email="second@example.org")
    ApplicationFactory(edition=EditionFactory(program=program), user=other, is_minor=True)
    application = pupil_application(program, pupil, guardian_email="second@example.org")
    assert guardian_address_warning(application=application) == (
        GuardianAddressWarning.MINOR_ACCOUNT
    )


def test_an_adults_account_gets_a_note_not_the_minor_warning(cast, client_for, program, pupil):
    parent = UserFactory(email="parent@example.org")
    ProfileFactory(user=parent, birth_date=born_years_ago(42))
    application = pupil_application(program, pupil)
    page = review_page(client_for, cast, application)
    assert OTHER_ACCOUNT in page
    assert OWN_ADDRESS not in page
    assert MINOR_ACCOUNT not in page
    # Nothing says whose account it is.
    assert parent.get_full_name() not in page


def test_the_list_computes_the_warnings_in_a_constant_number_of_queries(
    cast, client_for, program, pupil
):
    pupil_application(program, pupil)
    EmailAddress.objects.create(user=pupil, email="parent@example.org")
    client = client_for(cast.coordinator_a)
    url = reverse("applications:list", kwargs={"slug": program.slug})
    client.get(url)  # warm up sessions and caches
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(6):
        user = UserFactory(email=f"pupil{n}@example.org")
        ProfileFactory(user=user, birth_date=born_years_ago(14))
        EmailAddress.objects.create(user=user, email=f"guardian{n}@example.org")
        pupil_application(program, user, guardian_email=f"guardian{n}@example.org")
    with CaptureQueriesContext(connection) as seven:
        page = client.get(url).content.decode()
    assert page.count(BADGE) == 7
    assert len(seven) == len(one)


def test_applying_with_one_of_ones_own_addresses_as_the_guardians_is_refused(
    cast, client_for, program
):
    pupil = UserFactory(email="eleve@example.org")
    EmailAddress.objects.create(user=pupil, email="maman.pas.vraiment@example.org")
    response = client_for(pupil).post(
        apply_url(program),
        mentee_data(birth_date=years_ago(14), guardian_email="Maman.Pas.Vraiment@example.org"),
    )
    assert response.status_code == 200
    assert "pas la vôtre" in response.content.decode()
    assert not Application.objects.filter(user=pupil).exists()


def test_the_minor_cutoff_follows_birthdays(cast, program, pupil):
    """Born 18 years ago tomorrow: still a minor today; 18 years ago today: an adult."""
    today = timezone.localdate()
    almost = UserFactory(email="almost@example.org")
    ProfileFactory(user=almost, birth_date=born_years_ago(18) + timedelta(days=1))
    adult = UserFactory(email="adult@example.org")
    ProfileFactory(user=adult, birth_date=born_years_ago(18))
    first = pupil_application(program, pupil, guardian_email="almost@example.org")
    second_pupil = UserFactory()
    second = pupil_application(program, second_pupil, guardian_email="adult@example.org")
    rows = dict(
        with_guardian_warning(
            Application.objects.filter(pk__in=[first.pk, second.pk]), today=today
        ).values_list("pk", "guardian_warning")
    )
    assert rows[first.pk] == GuardianAddressWarning.MINOR_ACCOUNT
    assert rows[second.pk] == GuardianAddressWarning.OTHER_ACCOUNT
