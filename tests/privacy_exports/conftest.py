import pytest


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    """Export files go to a folder of the test, never to the project's `private/`."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "mentorat.lib.private_storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    return tmp_path / "private"
