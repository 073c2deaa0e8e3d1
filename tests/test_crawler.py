"""No link leads to an error page: signed in as each demo role, follow every same-site link.

The crawl loads the demo data once (one test, so they stay inside its transaction), then,
per role, walks breadth-first from the home page, GET only, skipping sign-out and
downloads. To stay fast it opens at most a few pages per URL pattern (one program page
tells as much as fifteen), and opens the Django admin's pages linked from the site without
crawling the admin itself. A 403, 404, 405 or 500 (or an exception) on a page reached by a
link fails the test, naming the page that linked to it.
"""

from collections import deque
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from mentorat.accounts.models import User
from mentorat.demo.loader import load_demo

pytestmark = pytest.mark.django_db

ROLES = {
    "platform admin": "admin@mentorat.demo",
    "organisation admin": "direction@universite.demo",
    "coordinator": "coordination@universite.demo",
    "partner coordinator": "rh@nexalis.demo",
    "mentor": "mentor@banque.demo",
    "mentee": "mentoree@universite.demo",
}
PAGES_PER_PATTERN = 2
MAX_PAGES_PER_ROLE = 250
# Links that end the session, download a file or change something even when followed.
SKIPPED_PREFIXES = ("/accounts/logout/", "/static/", "/media/")
SKIPPED_WORDS = ("export", "download", ".csv", ".xlsx", ".pdf", ".ics")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _links(html: str) -> Iterator[str]:
    parser = _Links()
    parser.feed(html)
    for href in parser.hrefs:
        url, _fragment = urldefrag(href)
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        if parts.path.startswith(SKIPPED_PREFIXES) or any(w in url for w in SKIPPED_WORDS):
            continue
        yield url


def _pattern(path: str) -> str:
    try:
        match = resolve(path)
    except Resolver404:
        return path
    # The Django admin's change pages all go through one view: tell them apart by model.
    return f"{match.view_name}|{match.route if match.namespace == 'admin' else ''}"


def _crawl(client: Client) -> tuple[int, list[str]]:
    """Pages opened and the errors found, breadth-first from the home page."""
    errors: list[str] = []
    seen: set[str] = {"/"}
    opened: dict[str, int] = {}
    queue: deque[tuple[str, str]] = deque([("/", "(start)")])
    pages = 0
    while queue and pages < MAX_PAGES_PER_ROLE:
        url, referrer = queue.popleft()
        path = urlsplit(url).path
        pattern = _pattern(path)
        if opened.get(pattern, 0) >= PAGES_PER_PATTERN:
            continue
        opened[pattern] = opened.get(pattern, 0) + 1
        pages += 1
        try:
            response = client.get(url)
        except Exception as exc:  # any exception is the finding
            errors.append(f"{url} (linked from {referrer}): {type(exc).__name__}: {exc}")
            continue
        if response.status_code in (403, 404, 405, 500):
            errors.append(f"{url} (linked from {referrer}): {response.status_code}")
            continue
        if response.status_code in (301, 302) and response.get("Location", "").startswith("/"):
            target = response["Location"]
            if target not in seen:
                seen.add(target)
                queue.append((target, url))
            continue
        # The Django admin is checked page by page, not crawled: its own tests cover it.
        if "text/html" not in response.get("Content-Type", "") or path.startswith("/admin/"):
            continue
        for link in _links(response.content.decode()):
            if link not in seen:
                seen.add(link)
                queue.append((link, url))
    return pages, errors


def test_no_link_leads_to_an_error_page() -> None:
    """One test for all roles: the demo data are loaded once, inside its transaction."""
    load_demo()
    failures: list[str] = []
    for role, email in ROLES.items():
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(User.objects.get(email=email))
        pages, errors = _crawl(client)
        if pages < 10:
            failures.append(f"{role}: only {pages} pages reached")
        failures += [f"{role}: {error}" for error in errors]
    assert not failures, "\n".join(failures)
