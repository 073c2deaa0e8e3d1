"""The fixed cast used across the suite: organisations A and B (strangers to each other),
C (A's partner), and one person per role. Permission tests run every URL against every
persona."""

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Generic, TypeVar

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.test import override_settings
from django.utils import timezone, translation

from mentorat.accounts.models import User
from mentorat.organizations.models import (
    Organization,
    OrganizationKind,
    Partnership,
    PartnershipKind,
    Role,
)
from mentorat.participants.models import Profile
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory, with_totp

# What every test runs with (`_fast_and_quiet`, and the permission matrix's scenes).
TEST_SETTINGS = {
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "SECURE_SSL_REDIRECT": False,
    "LANGUAGE_CODE": "fr",
    # Static files looked up when asked for, as `runserver` does (DEBUG is on when the
    # settings load; pytest-django turns it off, and WhiteNoise would then list and stat
    # every static file each time a test client loads its middleware: ~50 ms a test).
    "WHITENOISE_AUTOREFRESH": True,
}


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings):
    for name, value in TEST_SETTINGS.items():
        setattr(settings, name, value)


def _storages_with_private_files_in(location) -> dict:
    private = django_settings.STORAGES["private"]
    return {
        **django_settings.STORAGES,
        "private": {**private, "OPTIONS": {**private["OPTIONS"], "location": location}},
    }


@pytest.fixture(autouse=True)
def _private_files(request, settings, tmp_path):
    """Files no URL serves (data exports) go to the test's own folder, never the checkout's.
    A test on a shared scene (`shared_scene`) starts with a copy of the scene's files:
    what it writes there, the next test never sees."""
    location = tmp_path / "private"
    if "class_scene" in request.fixturenames:
        shutil.copytree(request.getfixturevalue("class_scene").private_files, location)
    settings.STORAGES = _storages_with_private_files_in(location)


Value = TypeVar("Value")


@dataclass
class SharedScene(Generic[Value]):
    value: Value
    private_files: Path


def shared_scene(
    build: Callable[[], Value], django_db_blocker, tmp_path_factory
) -> Iterator[SharedScene[Value]]:
    """For a class-scoped fixture named `class_scene` (`yield from`): what `build` makes in the
    database, kept for the class's tests, then rolled back. Each test's `db` runs in a
    savepoint of the scene's transaction, rolled back after the test: what one test
    writes, the next never sees (its files too: `_private_files`). `build` runs with the
    tests' settings."""
    outer = transaction.atomic()

    def roll_back() -> None:
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)

    private_files = tmp_path_factory.mktemp("private")
    storages = _storages_with_private_files_in(private_files)
    with django_db_blocker.unblock():
        outer.__enter__()
        try:
            with override_settings(**TEST_SETTINGS, STORAGES=storages):
                value = build()
        except BaseException:
            roll_back()
            raise
    yield SharedScene(value, private_files)
    with django_db_blocker.unblock():
        roll_back()


def _member(email: str, org: Organization, role: Role) -> User:
    user = UserFactory(email=email)
    MembershipFactory(user=user, organization=org, role=role)
    return user


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

    # The personas below are made on first use, so that a test which does not ask for
    # them sees organisation A as it always was (its members, its partners).

    @cached_property
    def org_c(self) -> Organization:
        """A's partner organisation (a current partnership): A's programs may be shared
        with it (the permission matrix shares them all)."""
        org_c = OrganizationFactory(
            name="Association C", slug="org-c", kind=OrganizationKind.ASSOCIATION
        )
        Partnership.objects.create(
            organization=self.org_a, partner=org_c, kind=PartnershipKind.JOINT_PROGRAM
        )
        return org_c

    @cached_property
    def partner_coordinator(self) -> User:
        """Coordinator of C: follows C's own people in A's programs shared with C."""
        return with_totp(_member("coord-c@example.org", self.org_c, Role.COORDINATOR))

    @cached_property
    def minor(self) -> User:
        """A mentee of A aged 14: a minor (contact through the platform only) whose
        applications wait for a guardian's consent (under 15)."""
        minor = _member("minor-a@example.org", self.org_a, Role.MENTEE)
        today = timezone.localdate()
        Profile.objects.create(user=minor, birth_date=today.replace(year=today.year - 14, day=1))
        return minor

    @cached_property
    def other_side(self) -> User:
        """A mentor of A in another pair than the cast's mentor and mentee: the
        permission matrix pairs them with the minor wherever the cast's pair exists."""
        return _member("other-side-a@example.org", self.org_a, Role.MENTOR)

    @cached_property
    def member_no_role(self) -> User:
        """A member of A (mentor) with no application, pair or staff role anywhere."""
        return _member("member-a@example.org", self.org_a, Role.MENTOR)

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
    "partner_coordinator",
    "minor",
    "other_side",
    "member_no_role",
]


def make_cast() -> Cast:
    """The cast in the database; `cast` for a test, the permission matrix for a scene
    shared by its personas."""
    org_a = OrganizationFactory(name="Université A", slug="org-a")
    org_b = OrganizationFactory(
        name="Lycée B", slug="org-b", kind=OrganizationKind.VOCATIONAL_SCHOOL
    )

    admin_a = with_totp(_member("admin-a@example.org", org_a, Role.ADMIN))
    coordinator_a = with_totp(_member("coord-a@example.org", org_a, Role.COORDINATOR))
    coordinator_b = with_totp(_member("coord-b@example.org", org_b, Role.COORDINATOR))
    mentor = _member("mentor-a@example.org", org_a, Role.MENTOR)
    mentee = _member("mentee-a@example.org", org_a, Role.MENTEE)
    outsider = UserFactory(email="outsider@example.org")
    platform_admin = with_totp(
        UserFactory(email="platform@example.org", is_staff=True, is_superuser=True)
    )
    return Cast(
        org_a=org_a,
        org_b=org_b,
        admin_a=admin_a,
        coordinator_a=coordinator_a,
        coordinator_b=coordinator_b,
        mentor=mentor,
        mentee=mentee,
        outsider=outsider,
        platform_admin=platform_admin,
    )


@pytest.fixture
def cast(db) -> Cast:
    return make_cast()


@pytest.fixture
def client_for(client):
    """`client_for(user)` returns the test client signed in as `user` (None: anonymous)."""

    def _login(user: User | None):
        client.logout()
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


@pytest.fixture
def in_english(settings):
    """The whole test in English: services' messages and pages without a language
    cookie, so that assertions on wording do not depend on the French catalogue."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
