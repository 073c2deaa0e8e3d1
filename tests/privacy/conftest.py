"""The browser fixtures of tests/browser (Chromium, a live server, pages), for the
processing register's browser test kept beside its other tests. The hooks close the
shared browser after the last browser test, as they do there."""

from tests.browser.conftest import (  # noqa: F401 (fixtures and hooks, found by name)
    browser,
    live_server,
    open_page,
    page,
    pytest_runtest_teardown,
    pytest_sessionfinish,
)
