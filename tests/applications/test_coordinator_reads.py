"""The coordinator's applications list and review page read through statements compiled
once per process (mentorat.lib.compiled_sql): what they give is what the ORM gave, they
never freeze the clock, and the pages no longer build them on every request (issue 23:
building the guardian warning's eight subqueries was a third of the review page's CPU).
"""

from datetime import UTC, datetime, timedelta

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from mentorat.applications import selectors
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.organizations.models import Organization
from tests.applications.factories import ApplicationFactory, ProfileFactory
from tests.applications.test_apply import years_ago
from tests.factories import OrganizationFactory, UserFactory
from tests.programs.factories import EditionFactory
from tests.queries import compilations
from tests.web.test_home_compiled import _compiled_at

pytestmark = pytest.mark.django_db

COMPILED = [
    selectors._ONE_WARNING,
    selectors._STATUS_COUNTS,
    selectors._PROGRAM_ORGANIZATIONS,
    selectors._PROGRAM_EDITIONS,
]


def _minor(email: str):
    user = UserFactory(email=email)
    ProfileFactory(user=user, birth_date=years_ago(14))
    return user


@pytest.fixture
def program(cast):
    """A program of A shared with C and another partner, two editions, applications with
    every kind of guardian warning (and none), in several statuses and organisations."""
    edition = EditionFactory(program__organization=cast.org_a, program__slug="college")
    program = edition.program
    second = EditionFactory(program=program, name="Rentrée 2027")
    other_partner = OrganizationFactory(name="Lycée Voisin", slug="voisin")
    program.shared_with.add(cast.org_c, other_partner)
    EditionFactory(program__organization=cast.org_a)  # another program's edition

    def apply(user, **fields):
        values = {"edition": edition, "user": user, "organization": cast.org_a} | fields
        return ApplicationFactory(**values)

    pupil = _minor("eleve@example.org")
    EmailAddress.objects.create(user=pupil, email="moi.aussi@example.org")
    apply(pupil, is_minor=True, guardian_email="moi.aussi@example.org")
    _minor("autre.eleve@example.org")
    apply(_minor("eleve2@example.org"), is_minor=True, guardian_email="autre.eleve@example.org")
    UserFactory(email="parent@example.org")
    apply(
        _minor("eleve3@example.org"),
        is_minor=True,
        guardian_email="parent@example.org",
        organization=cast.org_c,
        status=ApplicationStatus.AWAITING_GUARDIAN_CONSENT,
    )
    apply(_minor("eleve4@example.org"), is_minor=True, guardian_email="inconnu@example.org")
    for n, status in enumerate(ApplicationStatus.values):
        apply(
            UserFactory(),
            status=status,
            edition=second if n % 2 else edition,
            organization=(cast.org_a, cast.org_c, other_partner, None)[n % 4],
            submitted_at=timezone.now() - timedelta(days=n),
        )
    return program


def test_one_applications_warning_is_that_of_the_orm(program):
    applications = Application.objects.filter(edition__program=program)
    expected = dict(
        selectors.with_guardian_warning(applications).values_list("pk", "guardian_warning")
    )
    assert {a.pk: selectors.guardian_address_warning(application=a) for a in applications} == (
        expected
    )
    assert set(expected.values()) == {"", *selectors.GuardianAddressWarning}


def test_the_lists_counts_and_choices_are_those_of_the_orm(cast, program):
    for scope in (None, {cast.org_c.pk}, {cast.org_c.pk, cast.org_b.pk}, set()):
        applications = Application.objects.filter(edition__program=program)
        if scope is not None:
            applications = applications.filter(organization_id__in=scope)
        counts = {}
        for status in applications.values_list("status", flat=True):
            counts[status] = counts.get(status, 0) + 1
        assert selectors.status_counts(program=program, scope=scope) == counts
        organizations, editions = selectors.filter_choices(program=program, scope=scope)
        owner_and_partners = Organization.objects.filter(
            pk__in=[program.organization_id, *program.shared_with.values_list("pk", flat=True)]
        )
        if scope is not None:
            owner_and_partners = owner_and_partners.filter(pk__in=scope)
        assert organizations == list(owner_and_partners)
        assert editions == list(program.editions.all())
        assert all(e.program is program for e in editions)  # their labels name it
    assert len(selectors.filter_choices(program=program, scope=None)[0]) == 3


@pytest.mark.parametrize("query", COMPILED, ids=lambda q: q.build.__name__)
def test_a_compiled_read_does_not_depend_on_the_time_it_was_compiled(query):
    assert _compiled_at(query, datetime(2026, 1, 5, 9, tzinfo=UTC)) == _compiled_at(
        query, datetime(2027, 6, 20, 23, tzinfo=UTC)
    )


def _page_compilations(client, url: str) -> tuple[str, list[str]]:
    response, built = compilations(client, url)
    return response.content.decode(), built


def test_the_review_page_builds_no_warning_statement(cast, client_for, program):
    minors = Application.objects.filter(edition__program=program, is_minor=True)
    for application in minors:
        url = reverse("applications:review", kwargs={"slug": program.slug, "pk": application.pk})
        page, built = _page_compilations(client_for(cast.coordinator_a), url)
        warning = selectors.guardian_address_warning(application=application)
        assert ('id="guardian-warning"' in page) == bool(warning)
        assert [sql for sql in built if "account_emailaddress" in sql] == []


def test_the_list_builds_neither_its_counts_nor_its_choices(cast, client_for, program):
    """For the program's staff; partners' staff (a scope of their own) keep the ORM's."""
    url = reverse("applications:list", kwargs={"slug": program.slug})
    page, built = _page_compilations(client_for(cast.coordinator_a), url)
    assert "Lycée Voisin" in page
    assert "Rentrée 2027" in page
    for read in (
        'FROM "organizations_organization"',
        'FROM "programs_edition"',
        'COUNT("applications_application"."id")',
    ):
        assert [sql for sql in built if read in sql] == [], read
    page, _built = _page_compilations(client_for(cast.partner_coordinator), url)
    assert "Lycée Voisin" not in page
    assert "Rentrée 2027" in page
