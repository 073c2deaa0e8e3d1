"""Acceptance: the cache is shared by every server process. A TOTP code accepted by one
process is refused by another (allauth remembers used codes in the cache), as it would be
by the same process. Two real gunicorn servers run against the test database, with the
default database cache and, when a Redis server is reachable, with REDIS_URL."""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError, URLError

import pytest
import redis
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.db import connection
from django.urls import reverse

from tests.factories import PASSWORD, TOTP_SECRET, UserFactory, with_totp

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _redis_reachable() -> bool:
    parts = urllib.parse.urlsplit(REDIS_URL)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), 1):
            return True
    except OSError:
        return False


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A browser session against one server: cookies, CSRF token, no redirect following."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect
        )

    def request(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            request = urllib.request.Request(self.base + path, body)  # noqa: S310 (http only)
            response = self.opener.open(request, timeout=30)
        except HTTPError as error:
            response = error
        with response:
            response.read()
            return response.status, response.headers.get("Location", "")

    def submit(self, path: str, data: dict[str, str]) -> tuple[int, str]:
        self.request(path)  # sets the CSRF cookie
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        return self.request(path, data | {"csrfmiddlewaretoken": token})

    def sign_in(self, email: str, code: str) -> bool:
        status, location = self.submit(
            reverse("account_login"), {"login": email, "password": PASSWORD}
        )
        assert (status, location) == (302, reverse("mfa_authenticate"))
        status, _ = self.submit(reverse("mfa_authenticate"), {"code": code})
        return status == 302


@contextmanager
def _server(cache_url: str, log: Path) -> Iterator[str]:
    port = _free_port()
    env = os.environ | {
        "DATABASE_URL": _database_url(),
        "REDIS_URL": cache_url,
        "DEBUG": "1",
        "CONN_MAX_AGE": "0",
    }
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "mentorat.wsgi",
                "--workers",
                "1",
                "--bind",
                f"127.0.0.1:{port}",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if Browser(base).request("/healthz")[0] == 200:
                    break
            except URLError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"server did not start:\n{log.read_text()}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def _code_with_time_left(seconds: int) -> tuple[int, str]:
    """The current TOTP code, waiting for the next 30-second window if this one ends
    within `seconds`."""
    if 30 - time.time() % 30 < seconds:
        time.sleep(30 - time.time() % 30 + 0.1)
    counter = int(time.time()) // 30
    return counter, format_hotp_value(hotp_value(TOTP_SECRET, counter))


@pytest.mark.parametrize("cache", ["database", "redis"])
def test_a_totp_code_is_accepted_once_across_server_processes(cache, settings):
    if connection.vendor != "postgresql":
        pytest.skip("the server processes must share the test database (PostgreSQL)")
    if cache == "redis" and not _redis_reachable():
        pytest.skip(f"no Redis server at {REDIS_URL}")
    # The servers check passwords with the production hashers.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    first = with_totp(UserFactory(email="first@example.org"))
    second = with_totp(UserFactory(email="second@example.org"))  # same TOTP secret

    with (
        tempfile.TemporaryDirectory() as logs,
        _server(REDIS_URL if cache == "redis" else "", Path(logs) / "one.log") as one,
        _server(REDIS_URL if cache == "redis" else "", Path(logs) / "two.log") as two,
    ):
        for base in (one, two):  # warm up, so the steps below fit in one TOTP window
            Browser(base).request(reverse("account_login"))
        counter, code = _code_with_time_left(20)

        assert Browser(one).sign_in(first.email, code)
        # The same code for the same account, on the other process, in another session.
        assert not Browser(two).sign_in(first.email, code)
        # The code itself is still valid there: the refusal is the replay protection.
        assert Browser(two).sign_in(second.email, code)
        assert int(time.time()) // 30 == counter, "the TOTP window ended during the test"

    # The used-code marker is in the backend under test and not in the other one, so the
    # Redis variant cannot pass on the database cache (Django's key: version and prefix).
    marker = f":1:allauth.mfa.totp.used?user={first.pk}&code={code}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM mentorat_cache WHERE cache_key = %s", [marker])
        (in_database,) = cursor.fetchone()
    assert in_database == (1 if cache == "database" else 0)
    if cache == "redis":
        assert redis.Redis.from_url(REDIS_URL).exists(marker) == 1
