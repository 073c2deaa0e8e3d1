"""The fixed cast used across the suite: two organisations (A and B) and one person per
role. Permission tests run every URL against every persona."""

from dataclasses import dataclass

import pytest

from mentorat.accounts.models import User
from mentorat.organizations.models import Organization, OrganizationKind, Role
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory, with_totp


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SECURE_SSL_REDIRECT = False
    settings.LANGUAGE_CODE = "fr"


@dataclass
class Cast:
    org_a: Organization
    org_b: Organization
    admin_a: User
    coordinator_a: User
    coordinator_b: User
    mentor: User
    mentee: User
    outsider: User
    platform_admin: User

    def persona(self, name: str) -> User | None:
        return None if name == "anonymous" else getattr(self, name)


PERSONAS = [
    "anonymous",
    "outsider",
    "mentee",
    "mentor",
    "coordinator_a",
    "coordinator_b",
    "admin_a",
    "platform_admin",
]


@pytest.fixture
def cast(db) -> Cast:
    org_a = OrganizationFactory(name="Université A", slug="org-a")
    org_b = OrganizationFactory(
        name="Lycée B", slug="org-b", kind=OrganizationKind.VOCATIONAL_SCHOOL
    )

    def member(email: str, org: Organization, role: Role) -> User:
        user = UserFactory(email=email)
        MembershipFactory(user=user, organization=org, role=role)
        return user

    admin_a = with_totp(member("admin-a@example.org", org_a, Role.ADMIN))
    coordinator_a = with_totp(member("coord-a@example.org", org_a, Role.COORDINATOR))
    coordinator_b = with_totp(member("coord-b@example.org", org_b, Role.COORDINATOR))
    mentor = member("mentor-a@example.org", org_a, Role.MENTOR)
    mentee = member("mentee-a@example.org", org_a, Role.MENTEE)
    outsider = UserFactory(email="outsider@example.org")
    platform_admin = with_totp(
        UserFactory(email="platform@example.org", is_staff=True, is_superuser=True)
    )
    return Cast(
        org_a,
        org_b,
        admin_a,
        coordinator_a,
        coordinator_b,
        mentor,
        mentee,
        outsider,
        platform_admin,
    )


@pytest.fixture
def client_for(client):
    """`client_for(user)` returns the test client signed in as `user` (None: anonymous)."""

    def _login(user: User | None):
        client.logout()
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login
