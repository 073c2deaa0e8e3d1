import pytest
from django.conf import settings

from tests.programs.factories import EditionFactory, ProgramFactory


@pytest.fixture
def program(cast):
    """A program of organisation A with an edition taking applications."""
    program = ProgramFactory(organization=cast.org_a, slug="programme-a", name="Programme A")
    EditionFactory(program=program, name="Rentrée 2026")
    return program


@pytest.fixture
def edition(program):
    return program.editions.get()


@pytest.fixture
def english(client_for):
    """`english(user)`: the test client signed in as `user`, with the interface in
    English (so that assertions on messages do not depend on the French catalogue)."""

    def _client(user):
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return _client
