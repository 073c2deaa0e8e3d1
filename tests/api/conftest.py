"""A live server for the API tests: pytest-django's, served one request at a time when
the test database is in-memory SQLite (every request then shares the test's one
connection; see tests/browser/conftest.py, which does the same for the browser)."""

import os
from collections.abc import Iterator

import pytest
from django.core.servers.basehttp import WSGIServer
from pytest_django.live_server_helper import LiveServer


class _SerialWSGIServer(WSGIServer):
    def __init__(self, *args: object, connections_override: object = None, **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def live_server(request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    addr = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(addr, start=False)
    if server.thread.connections_override:
        server.thread.server_class = _SerialWSGIServer  # type: ignore[assignment]
    server.start()
    yield server
    server.stop()
