"""Erasure pages in the permission matrix (tests/test_permissions.py): a person's own
request page is for anyone signed in; an organisation's requests are for its admins
(coordinators and other members: 403), and cannot be told to exist elsewhere (404)."""

from datetime import timedelta

from django.utils import timezone

from mentorat.organizations.models import Role
from mentorat.privacy.erasure.models import ErasureRequest
from tests.conftest import PERSONAS, Cast
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.permissions import ADMIN_OF_A, LOGIN, Case, everyone, org_a


def request_of_a(cast: Cast) -> dict[str, str]:
    """A pending request of A's mentee, handled by A."""
    erasure_request = ErasureRequest.objects.create(
        person=cast.mentee, deadline=timezone.now() + timedelta(days=30)
    )
    erasure_request.organizations.add(cast.org_a)
    return {"slug": cast.org_a.slug, "pk": str(erasure_request.pk)}


CASES: dict[str, Case] = {
    "privacy:erasure_request": Case(everyone(200) | {"anonymous": LOGIN}),
    "privacy:erasure_requests": Case(ADMIN_OF_A, kwargs=org_a),
    "privacy:erasure_request_detail": Case(ADMIN_OF_A, kwargs=request_of_a),
}

# Every signed-in persona may open their own page.
assert set(CASES["privacy:erasure_request"].expected) == set(PERSONAS)


def erasure_request_world(cast: Cast, n: int) -> dict[str, str]:
    """World n for the mismatch test: an organisation A's admin runs (A itself, then a
    second one) and a pending request it handles."""
    if n == 1:
        return request_of_a(cast)
    organization = OrganizationFactory(name=f"Organisation {n}", slug=f"erasure-{n}")
    MembershipFactory(user=cast.admin_a, organization=organization, role=Role.ADMIN)
    person = UserFactory()
    MembershipFactory(user=person, organization=organization, role=Role.MENTEE)
    erasure_request = ErasureRequest.objects.create(
        person=person, deadline=timezone.now() + timedelta(days=30)
    )
    erasure_request.organizations.add(organization)
    return {"slug": organization.slug, "pk": str(erasure_request.pk)}


# The confirmation a binding mistake would run.
CONFIRM = {"decision": "confirm"}
