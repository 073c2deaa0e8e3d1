"""Pages one click away: "My account", the platform admin's home, the public programs from
the landing page, and breadcrumbs that never lead to a page the reader cannot open."""

import pytest
from django.urls import reverse

from mentorat.organizations.models import Invitation, Role
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def _links(response) -> str:
    return response.content.decode()


def test_landing_page_links_to_the_public_programs(client):
    response = client.get(reverse("web:home"))
    assert reverse("programs:public_list") in _links(response)


@pytest.mark.parametrize("persona", ["mentee", "mentor", "coordinator_a", "admin_a"])
def test_my_account_is_in_the_menu_and_gathers_every_setting(cast, client_for, persona):
    client = client_for(cast.persona(persona))
    home = client.get(reverse("web:home"))
    assert reverse("web:account") in _links(home)

    page = _links(client.get(reverse("web:account"), HTTP_ACCEPT_LANGUAGE="en"))

    for name in (
        "account_email",
        "account_change_password",
        "mfa_index",
        "participants:profile",
        "privacy:my_data",
        "web:set_language",
    ):
        assert reverse(name) in page, name


def test_roles_that_need_two_factor_find_it_and_their_recovery_codes(cast, client_for):
    page = client_for(cast.coordinator_a).get(reverse("web:account"), HTTP_ACCEPT_LANGUAGE="en")
    body = _links(page)
    assert "enabled" in body  # the cast's coordinator has an authenticator app
    assert reverse("mfa_index") in body
    assert (
        reverse("mfa_view_recovery_codes") in body or reverse("mfa_generate_recovery_codes") in body
    )


def test_mentee_without_two_factor_is_told_it_is_optional(cast, client_for):
    page = client_for(cast.mentee).get(reverse("web:account"), HTTP_ACCEPT_LANGUAGE="en")
    body = _links(page)
    assert "Recommended" in body
    assert reverse("mfa_view_recovery_codes") not in body


def test_platform_admin_gets_a_home_of_their_own(cast, client_for):
    Invitation.objects.create(
        organization=cast.org_a,
        email="someone@example.org",
        role=Role.MENTOR,
        invited_by=cast.admin_a,
        expires_at="2099-01-01T00:00:00Z",
    )
    response = client_for(cast.platform_admin).get(reverse("web:home"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.templates[0].name == "web/home_platform_admin.html"
    body = _links(response)
    assert reverse("organizations:detail", args=[cast.org_a.slug]) in body
    assert reverse("organizations:detail", args=[cast.org_b.slug]) in body
    assert reverse("admin:index") in body
    assert "1 invitation not yet accepted" in body
    # Nobody else gets it.
    other = client_for(cast.admin_a).get(reverse("web:home"))
    assert "web/home_platform_admin.html" not in [t.name for t in other.templates]


def test_platform_home_query_count_does_not_grow_with_organisations(cast, client_for):
    # Only this test counts queries or makes extra organisations.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import OrganizationFactory

    client = client_for(cast.platform_admin)
    client.get(reverse("web:home"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("web:home"))
    for _ in range(5):
        OrganizationFactory()
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("web:home"))
    assert len(large) == len(small)


def test_shared_program_breadcrumb_does_not_link_a_partner_to_the_owner(cast, client_for):
    program = ProgramFactory(organization=cast.org_a)
    program.shared_with.add(cast.org_c)
    url = reverse("programs:manage", args=[program.slug])
    owner_programs = reverse("programs:list", args=[cast.org_a.slug])

    partner_page = client_for(cast.partner_coordinator).get(url)
    assert partner_page.status_code == 200
    assert owner_programs not in _links(partner_page)
    assert cast.org_a.name in _links(partner_page)

    owner_page = client_for(cast.coordinator_a).get(url)
    assert owner_programs in _links(owner_page)
    assert client_for(cast.coordinator_a).get(owner_programs).status_code == 200


def test_program_page_links_to_the_pairs_follow_up_and_the_menu_highlights_programs(
    cast, client_for
):
    program = ProgramFactory(organization=cast.org_a)
    client = client_for(cast.coordinator_a)
    page = client.get(reverse("programs:manage", args=[program.slug]))
    dashboard = reverse("mentorships:dashboard", args=[program.slug])
    assert dashboard in _links(page)

    body = _links(client.get(dashboard))
    programs_link = f'<a href="{reverse("programs:public_list")}" aria-current="page"'
    mentorships_link = f'<a href="{reverse("mentorships:my_list")}" aria-current="page"'
    assert programs_link in body
    assert mentorships_link not in body
