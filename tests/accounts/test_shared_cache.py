"""Acceptance (issue 23, point 3): web processes scale out. Two real gunicorn servers on
different ports run against the test database, with the default database cache and, when a
Redis server is reachable, with REDIS_URL, and serve as one: a session signed in on one is
signed in on the other and signing out on either ends it on both; a TOTP code accepted by
one is refused by the other (allauth remembers used codes in the cache), as it would be by
the same process; an API key's rate limit counts the calls made to both."""

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

from mentorat.organizations.models import Role
from tests.api.helpers import key_for
from tests.factories import (
    PASSWORD,
    TOTP_SECRET,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
    with_totp,
)

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
API_CALLS_A_MINUTE = 4

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

    def on(self, base: str) -> "Browser":
        """The same browser (its cookies) sent to another server."""
        other = Browser(base)
        other.jar = self.jar
        other.opener = self.opener
        return other

    def request(
        self, path: str, data: dict[str, str] | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            request = urllib.request.Request(  # noqa: S310 (http only)
                self.base + path, body, headers or {}
            )
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
        "API_RATE_LIMIT": f"{API_CALLS_A_MINUTE}/m",
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


def _wait_for_time_left(period: int, seconds: int) -> None:
    """Wait for the next `period`-second window if this one ends within `seconds`."""
    if period - time.time() % period < seconds:
        time.sleep(period - time.time() % period + 0.1)


def _code_with_time_left(seconds: int) -> tuple[int, str]:
    """The current TOTP code, waiting for the next 30-second window if this one ends
    within `seconds`."""
    _wait_for_time_left(30, seconds)
    counter = int(time.time()) // 30
    return counter, format_hotp_value(hotp_value(TOTP_SECRET, counter))


@pytest.mark.parametrize("cache", ["database", "redis"])
def test_two_servers_share_sessions_one_time_codes_and_rate_limits(cache, settings):
    if connection.vendor != "postgresql":
        pytest.skip("the server processes must share the test database (PostgreSQL)")
    if cache == "redis" and not _redis_reachable():
        pytest.skip(f"no Redis server at {REDIS_URL}")
    # The servers check passwords with the production hashers.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    first = with_totp(UserFactory(email="first@example.org"))
    second = with_totp(UserFactory(email="second@example.org"))  # same TOTP secret
    organization = OrganizationFactory()
    MembershipFactory(user=second, organization=organization, role=Role.ADMIN)
    api_key = key_for(second, organization)
    signed_in_page = reverse("account_email")

    with (
        tempfile.TemporaryDirectory() as logs,
        _server(REDIS_URL if cache == "redis" else "", Path(logs) / "one.log") as one,
        _server(REDIS_URL if cache == "redis" else "", Path(logs) / "two.log") as two,
    ):
        for base in (one, two):  # warm up, so the steps below fit in one TOTP window
            Browser(base).request(reverse("account_login"))
        counter, code = _code_with_time_left(20)

        browser = Browser(one)
        assert browser.sign_in(first.email, code)
        # The same code for the same account, on the other process, in another session.
        assert not Browser(two).sign_in(first.email, code)
        # The code itself is still valid there: the refusal is the replay protection.
        assert Browser(two).sign_in(second.email, code)
        assert int(time.time()) // 30 == counter, "the TOTP window ended during the test"

        # The session opened on one server is open on the other; signing out there ends it.
        assert browser.request(signed_in_page)[0] == 200
        assert browser.on(two).request(signed_in_page)[0] == 200
        assert browser.on(two).submit(reverse("account_logout"), {})[0] == 302
        assert browser.request(signed_in_page) == (
            302,
            f"{reverse('account_login')}?next={signed_in_page}",
        )

        # An API key's calls count together, whichever server answers them.
        _wait_for_time_left(60, 15)
        header = {"Authorization": f"Bearer {api_key}"}
        statuses = [
            Browser(base).request("/api/v1/organization", headers=header)[0]
            for base in ((one, two) * API_CALLS_A_MINUTE)[: API_CALLS_A_MINUTE + 1]
        ]
        assert statuses == [200] * API_CALLS_A_MINUTE + [429]

    # The used-code marker is in the backend under test and not in the other one, so the
    # Redis variant cannot pass on the database cache (Django's key: version and prefix).
    marker = f":1:allauth.mfa.totp.used?user={first.pk}&code={code}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM mentorat_cache WHERE cache_key = %s", [marker])
        (in_database,) = cursor.fetchone()
    assert in_database == (1 if cache == "database" else 0)
    if cache == "redis":
        assert redis.Redis.from_url(REDIS_URL).exists(marker) == 1
