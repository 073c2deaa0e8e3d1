"""Playwright fixtures: the system Chromium, launched once and shared by consecutive browser
tests, a fresh browser context per test, pointed at pytest-django's live server.

Without Chromium the browser tests are skipped, unless REQUIRE_BROWSER=1 (set by CI), in
which case they fail: CI must never pass with its browser tests silently skipped.
"""

import importlib
import os
import shutil
from collections.abc import Callable, Iterator

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.servers.basehttp import WSGIServer
from playwright.sync_api import Browser, Page, Playwright, sync_playwright
from pytest_django.live_server_helper import LiveServer

LAUNCH_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--disable-extensions",
]
TIMEOUT_MS = 15_000
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


class _SerialWSGIServer(WSGIServer):
    """One request at a time. With in-memory SQLite every request of the live server shares
    the test's single connection; the default threaded server let a page's parallel
    requests (its charts, say) use it at once, which hung a full run for over an hour."""

    def __init__(self, *args: object, connections_override: object = None, **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def live_server(request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    """pytest-django's live server, made serial when the test database is in-memory SQLite
    (PostgreSQL, as in CI, keeps the threaded server)."""
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


def chromium_executable() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Chromium:
    """Playwright's sync API keeps an asyncio loop running in the test thread, which makes
    Django refuse ORM calls there unless DJANGO_ALLOW_ASYNC_UNSAFE is set. Both are confined
    to runs of consecutive browser tests: the browser is closed and the variable restored
    before any other test (nor its subprocesses) runs."""

    def __init__(self) -> None:
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self._saved_flag: str | None = None

    def get(self, executable: str) -> Browser:
        if self._browser is None:
            self._saved_flag = os.environ.get(ASYNC_UNSAFE)
            # The ORM calls made by the tests in that thread are still synchronous, so safe.
            os.environ[ASYNC_UNSAFE] = "true"
            self._playwright = sync_playwright().start()
            try:
                self._browser = self._playwright.chromium.launch(
                    executable_path=executable, args=LAUNCH_ARGS
                )
            except BaseException:
                self.close()
                raise
        return self._browser

    def close(self) -> None:
        if self._browser is not None:
            self._browser.close()
            self._browser = None
        if self._playwright is not None:
            self._playwright.stop()
            self._playwright = None
            if self._saved_flag is None:
                os.environ.pop(ASYNC_UNSAFE, None)
            else:
                os.environ[ASYNC_UNSAFE] = self._saved_flag


_chromium = Chromium()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    # Runs after the test's own fixtures (and the database flush) are torn down.
    result = yield
    if nextitem is None or "browser" not in getattr(nextitem, "fixturenames", ()):
        _chromium.close()
    return result


def pytest_sessionfinish() -> None:
    _chromium.close()


@pytest.fixture
def browser() -> Browser:
    executable = chromium_executable()
    if executable is None:
        reason = "Chromium is not installed (apt-get install chromium, or set CHROMIUM_PATH)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason}, and REQUIRE_BROWSER=1 forbids skipping", pytrace=False)
        pytest.skip(reason)
    return _chromium.get(executable)


@pytest.fixture
def open_page(browser: Browser, live_server: LiveServer) -> Iterator[Callable[..., Page]]:
    """`open_page(locale="fr-FR")` opens a page in a new, isolated browser context (own
    cookies), whose browser asks for `locale` in Accept-Language."""
    # Allauth refuses a TOTP code already used by the same account; the test database
    # recycles ids, so forget those markers between tests.
    cache.clear()
    contexts = []

    def _open(locale: str = "fr-FR") -> Page:
        context = browser.new_context(base_url=live_server.url, locale=locale)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page: Callable[..., Page]) -> Page:
    return open_page()


@pytest.fixture
def legal_pages(transactional_db: None) -> None:
    """The legal pages a new installation publishes through a data migration, which the
    flush after each transactional test removes."""
    migration = importlib.import_module("mentorat.legal.migrations.0002_initial_pages")
    migration.publish(apps, None)
