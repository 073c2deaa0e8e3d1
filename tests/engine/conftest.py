"""Engine tests need neither the database nor Django settings."""

import pytest


@pytest.fixture(autouse=True)
def _fast_and_quiet():
    """Override the root conftest's settings fixture: the engine never touches Django."""
    return
