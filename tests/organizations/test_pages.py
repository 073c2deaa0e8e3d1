import pytest
from django.urls import reverse

from mentorat.organizations.models import Role
from mentorat.organizations.services import create_partnership
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def _add_members(org, n):
    for _ in range(n):
        MembershipFactory(organization=org, role=Role.MENTEE)


def test_member_list_query_count_does_not_grow(client_for, cast, django_assert_num_queries):
    client = client_for(cast.coordinator_a)
    url = reverse("organizations:members", kwargs={"slug": cast.org_a.slug})
    client.get(url)  # warm caches (sessions, content types)
    _add_members(cast.org_a, 3)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url)
    _add_members(cast.org_a, 30)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(large) == len(small)
    assert response.context["page"].paginator.count == 4 + 33


def test_member_list_filters_by_role_and_search(client_for, cast):
    client = client_for(cast.coordinator_a)
    url = reverse("organizations:members", kwargs={"slug": cast.org_a.slug})
    page = client.get(url, {"role": Role.MENTOR}).context["page"]
    assert [p.email for p in page] == [cast.mentor.email]
    page = client.get(url, {"q": cast.mentee.last_name}).context["page"]
    assert cast.mentee.email in [p.email for p in page]
    # Other organisations' members never show up.
    assert cast.coordinator_b.email not in client.get(url).content.decode()


def test_member_list_answers_htmx_with_rows_only(client_for, cast):
    client = client_for(cast.coordinator_a)
    url = reverse("organizations:members", kwargs={"slug": cast.org_a.slug})
    response = client.get(url, {"q": "mentor"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<table" in body
    assert "<html" not in body


def test_person_in_two_organisations_sees_both(client_for, cast):
    MembershipFactory(user=cast.mentor, organization=cast.org_b, role=Role.MENTOR)
    response = client_for(cast.mentor).get(reverse("organizations:list"))
    names = [o.name for o in response.context["organizations"]]
    assert names == ["Lycée B", "Université A"]
    detail = client_for(cast.mentor).get(
        reverse("organizations:detail", kwargs={"slug": cast.org_b.slug})
    )
    assert detail.status_code == 200


def test_organisation_page_lists_partnerships(client_for, cast):
    company = OrganizationFactory(name="Banque Horizon", kind="company")
    create_partnership(organization=company, partner=cast.org_a, kind="mentor_commitment")
    response = client_for(cast.mentee).get(
        reverse("organizations:detail", kwargs={"slug": cast.org_a.slug})
    )
    body = response.content.decode()
    assert "Banque Horizon" in body
    # Mentees see the organisation but not the member list link.
    assert reverse("organizations:members", kwargs={"slug": cast.org_a.slug}) not in body


def test_audit_log_shows_the_organisation_entries_only(client_for, cast):
    client_for(cast.coordinator_a).post(
        reverse("organizations:invite", kwargs={"slug": cast.org_a.slug}),
        {"email": "x@example.org", "role": Role.MENTEE},
    )
    client_for(cast.coordinator_b).post(
        reverse("organizations:invite", kwargs={"slug": cast.org_b.slug}),
        {"email": "y@example.org", "role": Role.MENTEE},
    )
    response = client_for(cast.admin_a).get(
        reverse("audit:organization_log", kwargs={"slug": cast.org_a.slug})
    )
    body = response.content.decode()
    assert "organizations.invitation.sent" in body
    assert cast.coordinator_a.email in body
    assert cast.coordinator_b.email not in body
