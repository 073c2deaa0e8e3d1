"""Permission cases of the member management pages and of "My account" (web:account)."""

from mentorat.organizations.models import Role
from tests.conftest import Cast
from tests.permissions import ADMIN_OF_A, LOGIN, Case, everyone


def member_of_a(cast: Cast) -> dict[str, str]:
    return {"slug": cast.org_a.slug, "pk": str(cast.mentor.pk)}


def outsider_at_a(cast: Cast) -> dict[str, str]:
    """A person who is not a member of A: the page does not exist for anyone."""
    return {"slug": cast.org_a.slug, "pk": str(cast.outsider.pk)}


NOT_A_MEMBER = ADMIN_OF_A | {"admin_a": 404, "platform_admin": 404}

CASES: dict[str, Case] = {
    "web:account": Case(everyone(200) | {"anonymous": LOGIN}),
    "organizations:member_edit": Case(ADMIN_OF_A, kwargs=member_of_a),
    "organizations:member_remove": Case(ADMIN_OF_A, kwargs=member_of_a),
}

# The same pages for someone outside A (not part of the matrix's one case per URL).
NOT_MEMBER_CASES: dict[str, Case] = {
    "organizations:member_edit": Case(NOT_A_MEMBER, kwargs=outsider_at_a),
    "organizations:member_remove": Case(NOT_A_MEMBER, kwargs=outsider_at_a),
}


def member_world(cast: Cast, n: int) -> dict[str, str]:
    """For tests/test_permission_mismatch.py: organisation n, run by A's admin, and one
    of its mentors."""
    # Imported here: the factories need the database, this module is read at collection.
    from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

    organization = OrganizationFactory(slug=f"membres-{n}")
    MembershipFactory(user=cast.admin_a, organization=organization, role=Role.ADMIN)
    member = UserFactory()
    MembershipFactory(user=member, organization=organization, role=Role.MENTOR)
    return {"slug": organization.slug, "pk": str(member.pk)}
