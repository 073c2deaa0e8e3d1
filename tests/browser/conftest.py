"""Playwright fixtures: one system Chromium per test session (per xdist worker), a fresh
browser context per test, pointed at pytest-django's live server.

Without Chromium the browser tests are skipped, unless REQUIRE_BROWSER=1 (set by CI), in
which case they fail: CI must never pass with its browser tests silently skipped.
"""

import os
import shutil
from collections.abc import Callable, Iterator

import pytest
from django.core.cache import cache
from playwright.sync_api import Browser, Page, sync_playwright
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


def chromium_executable() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = chromium_executable()
    if executable is None:
        reason = "Chromium is not installed (apt-get install chromium, or set CHROMIUM_PATH)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason}, and REQUIRE_BROWSER=1 forbids skipping", pytrace=False)
        pytest.skip(reason)
    with pytest.MonkeyPatch.context() as patch:
        # Playwright's sync API keeps an event loop in the test thread; the ORM calls made
        # by fixtures and tests in that thread are still synchronous and safe.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
            yield browser
            browser.close()


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
