"""An organisation's report: its programs, and a company's contribution to a partner's."""

import io
from datetime import UTC, datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from mentorat.mentorships.models import Outcome
from mentorat.organizations.models import OrganizationKind, Role
from tests.applications.factories import ApplicationFactory
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory, with_totp
from tests.mentorships.factories import MentorshipFactory, SessionLogFactory


def company_with_mentors(program, edition, *, mentors: int):
    """A company whose `mentors` people each mentor one mentee of `program` for 2 hours;
    every mentee is in a permanent job at the end."""
    company = OrganizationFactory(name="Entreprise C", kind=OrganizationKind.COMPANY)
    admin = UserFactory()
    MembershipFactory(user=admin, organization=company, role=Role.ADMIN)
    with_totp(admin)  # staff must set up two-factor authentication
    program.shared_with.add(company)
    for _ in range(mentors):
        mentor = UserFactory()
        MembershipFactory(user=mentor, organization=company, role=Role.MENTOR)
        ApplicationFactory(
            edition=edition, user=mentor, role="mentor", status="accepted", organization=company
        )
        pair = MentorshipFactory(edition=edition, mentor=mentor, mentee=UserFactory())
        SessionLogFactory(meeting__mentorship=pair, mentorship=pair, duration_minutes=120)
        Outcome.objects.create(
            mentorship=pair,
            stage="end",
            situation="cdi",
            recorded_at=datetime(2026, 6, 1, tzinfo=UTC),
        )
    return company, admin


def test_company_sees_its_contribution_to_a_partner_program(dataset, client_for):
    company, admin = company_with_mentors(dataset.program, dataset.edition, mentors=5)
    url = reverse("reports:organization", kwargs={"slug": company.slug})
    response = client_for(admin).get(url)
    assert response.status_code == 200
    contribution = response.context["tables"][1]
    row = [cell if isinstance(cell, str) else cell.display() for cell in contribution.rows[0]]
    assert row == ["Programme rapport", "Université A", "5", "5", "10 h", "100\u202f%"]
    # The company has no program of its own.
    assert response.context["tables"][0].rows == []


def test_small_contribution_is_hidden_in_the_export(dataset, client_for):
    company, admin = company_with_mentors(dataset.program, dataset.edition, mentors=2)
    response = client_for(admin).get(
        reverse(
            "reports:organization_export",
            kwargs={"slug": company.slug, "table": "contribution", "fmt": "xlsx"},
        )
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows == [("Programme rapport", "Université A", "< 5", "< 5", "< 5", "< 5")]


def test_owner_sees_its_programs_side_by_side(dataset, cast, client_for):
    response = client_for(cast.admin_a).get(
        reverse("reports:organization", kwargs={"slug": cast.org_a.slug})
    )
    row = response.context["tables"][0].rows[0]
    shown = [cell if isinstance(cell, str) else cell.display() for cell in row]
    # 12 accepted mentees, 10 with a mentor, 8 active pairs, 26 hours, 6 of 8 employed.
    assert shown == ["Programme rapport", "12", "83\u202f%", "8", "26 h", "75\u202f%"]


def test_organization_report_queries_do_not_grow_with_programs(dataset, cast, client_for):
    client = client_for(cast.admin_a)
    url = reverse("reports:organization", kwargs={"slug": cast.org_a.slug})
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    from tests.programs.factories import ProgramFactory

    for _ in range(3):
        ProgramFactory(organization=cast.org_a)
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)
