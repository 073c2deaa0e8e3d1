"""Organisation admins manage members in the app: change roles, remove, never the last admin."""

import pytest
from django.urls import reverse

from mentorat.audit.models import AuditEntry
from mentorat.lib.errors import DomainError
from mentorat.organizations.models import Membership, Role
from mentorat.organizations.services import remove_member, set_member_roles
from tests.organizations.permission_cases import NOT_MEMBER_CASES
from tests.permissions import set_the_scene

pytestmark = pytest.mark.django_db


def _roles(user, organization) -> set[str]:
    return set(
        Membership.objects.filter(user=user, organization=organization).values_list(
            "role", flat=True
        )
    )


def test_admin_changes_a_members_roles_from_the_member_list(client_for, cast):
    client = client_for(cast.admin_a)
    members = client.get(reverse("organizations:members", args=[cast.org_a.slug]))
    edit_url = reverse("organizations:member_edit", args=[cast.org_a.slug, cast.mentor.pk])
    assert edit_url in members.content.decode()

    response = client.post(edit_url, {"roles": [Role.MENTOR, Role.COORDINATOR]})

    assert response.status_code == 302
    assert _roles(cast.mentor, cast.org_a) == {Role.MENTOR, Role.COORDINATOR}
    entry = AuditEntry.objects.get(action="organizations.membership.roles_changed")
    assert entry.actor == cast.admin_a
    assert entry.organization == cast.org_a
    assert entry.data["after"] == ["coordinator", "mentor"]


def test_coordinators_see_members_but_cannot_manage_them(client_for, cast):
    client = client_for(cast.coordinator_a)
    members = client.get(reverse("organizations:members", args=[cast.org_a.slug]))
    assert "member_edit" not in members.content.decode()
    assert (
        reverse("organizations:member_edit", args=[cast.org_a.slug, cast.mentor.pk])
        not in members.content.decode()
    )
    response = client.post(
        reverse("organizations:member_edit", args=[cast.org_a.slug, cast.mentor.pk]),
        {"roles": [Role.ADMIN]},
    )
    assert response.status_code == 403
    response = client.post(
        reverse("organizations:member_remove", args=[cast.org_a.slug, cast.mentor.pk])
    )
    assert response.status_code == 403
    assert _roles(cast.mentor, cast.org_a) == {Role.MENTOR}
    assert _roles(cast.coordinator_a, cast.org_a) == {Role.COORDINATOR}


def test_no_role_chosen_is_an_error_on_the_field(client_for, cast):
    client = client_for(cast.admin_a)
    url = reverse("organizations:member_edit", args=[cast.org_a.slug, cast.mentor.pk])
    response = client.post(url, {"roles": []}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.context["form"].errors["roles"]
    response = client.post(url, {"roles": ["boss"]})
    assert response.status_code == 200
    assert response.context["form"].errors["roles"]
    assert _roles(cast.mentor, cast.org_a) == {Role.MENTOR}


def test_admin_removes_a_member_after_confirming(client_for, cast):
    client = client_for(cast.admin_a)
    url = reverse("organizations:member_remove", args=[cast.org_a.slug, cast.mentee.pk])
    assert client.get(url).status_code == 200
    assert _roles(cast.mentee, cast.org_a) == {Role.MENTEE}  # GET changes nothing

    response = client.post(url)

    assert response.status_code == 302
    assert _roles(cast.mentee, cast.org_a) == set()
    entry = AuditEntry.objects.get(action="organizations.membership.removed")
    assert entry.data["roles"] == ["mentee"]
    # The person is no longer a member: their page is gone for the admin too.
    assert client.get(url).status_code == 404


def test_the_last_admin_keeps_the_role(client_for, cast):
    client = client_for(cast.admin_a)
    edit = reverse("organizations:member_edit", args=[cast.org_a.slug, cast.admin_a.pk])
    response = client.post(edit, {"roles": [Role.COORDINATOR]}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "at least one admin" in str(response.context["form"].errors)
    remove = reverse("organizations:member_remove", args=[cast.org_a.slug, cast.admin_a.pk])
    response = client.post(remove, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "at least one admin" in response.content.decode()
    assert _roles(cast.admin_a, cast.org_a) == {Role.ADMIN}
    assert not AuditEntry.objects.filter(action__startswith="organizations.membership.r")


def test_an_admin_may_step_down_once_another_admin_exists(cast):
    set_member_roles(
        organization=cast.org_a,
        user=cast.coordinator_a,
        roles=[Role.COORDINATOR, Role.ADMIN],
        actor=cast.admin_a,
    )
    remove_member(organization=cast.org_a, user=cast.admin_a, actor=cast.admin_a)
    assert _roles(cast.admin_a, cast.org_a) == set()
    with pytest.raises(DomainError):
        remove_member(organization=cast.org_a, user=cast.coordinator_a, actor=cast.coordinator_a)


def test_services_refuse_non_members_and_change_nothing_when_roles_are_the_same(cast):
    with pytest.raises(DomainError):
        set_member_roles(
            organization=cast.org_a, user=cast.outsider, roles=[Role.MENTOR], actor=cast.admin_a
        )
    with pytest.raises(DomainError):
        remove_member(organization=cast.org_a, user=cast.coordinator_b, actor=cast.admin_a)
    set_member_roles(
        organization=cast.org_a, user=cast.mentor, roles=[Role.MENTOR], actor=cast.admin_a
    )
    assert not AuditEntry.objects.filter(action="organizations.membership.roles_changed")


def test_admin_of_a_cannot_manage_members_of_b(client_for, cast):
    client = client_for(cast.admin_a)
    url = reverse("organizations:member_remove", args=[cast.org_b.slug, cast.coordinator_b.pk])
    assert client.post(url).status_code == 404
    assert _roles(cast.coordinator_b, cast.org_b) == {Role.COORDINATOR}


@pytest.mark.parametrize("url_name", sorted(NOT_MEMBER_CASES))
@pytest.mark.parametrize("persona", ["admin_a", "platform_admin", "coordinator_a", "outsider"])
def test_a_person_outside_the_organisation_has_no_member_page(cast, client_for, url_name, persona):
    case = NOT_MEMBER_CASES[url_name]
    set_the_scene(cast)
    response = client_for(cast.persona(persona)).get(reverse(url_name, kwargs=case.kwargs(cast)))
    assert response.status_code == case.expected[persona]


def test_organisation_page_lists_partnerships_linking_only_to_readable_ones(client_for, cast):
    org_c = cast.org_c
    page = client_for(cast.coordinator_a).get(
        reverse("organizations:detail", args=[cast.org_a.slug])
    )
    body = page.content.decode()
    assert org_c.name in body
    assert reverse("organizations:detail", args=[org_c.slug]) not in body
    page = client_for(cast.platform_admin).get(
        reverse("organizations:detail", args=[cast.org_a.slug])
    )
    assert reverse("organizations:detail", args=[org_c.slug]) in page.content.decode()
