"""Issue 14, point 4: two mentors accepting requests of the same mentee at the same moment,
through real HTTP requests to a live server (one thread and one database connection per
request): never a 500 (PostgreSQL deadlock), exactly one pair, and the other mentor is told
why in plain words. Every pairing service takes its row locks in one order
(`publication.LOCK_ORDER`); the publication's share of it is tested here too."""

import html
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta
from http.cookies import SimpleCookie

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mentorat.lib.errors import DomainError
from mentorat.matching.models import MentorRequest, RequestStatus
from mentorat.matching.services import publication
from mentorat.matching.services import requests as request_services
from mentorat.mentorships.models import Mentorship
from mentorat.programs.models import MatchingSettings
from tests.matching.factories import cohort, finished_run

ROUNDS = 5
TIMEOUT = 30


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A mentor's browser against the live server: their session cookie, the CSRF cookie
    and token read from a real page, no automatic redirect."""

    def __init__(self, base_url: str, user) -> None:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        self.base_url = base_url
        self.cookies = {
            django_settings.SESSION_COOKIE_NAME: client.cookies[
                django_settings.SESSION_COOKIE_NAME
            ].value
        }
        self.opener = urllib.request.build_opener(_NoRedirect)
        page = self.get(reverse("matching:my_requests"))
        self.token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]

    def _open(self, request: urllib.request.Request) -> tuple[int, str]:
        assert request.full_url.startswith("http://")
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        try:
            response = self.opener.open(request, timeout=TIMEOUT)
        except urllib.error.HTTPError as error:  # 3xx (no redirect followed), 4xx, 5xx
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.read().decode()

    def get(self, path: str) -> str:
        status, body = self._open(urllib.request.Request(self.base_url + path))  # noqa: S310
        assert status == 200, (path, status)
        return body

    def post(self, path: str, data: dict[str, str]) -> int:
        body = urllib.parse.urlencode(data | {"csrfmiddlewaretoken": self.token}).encode()
        request = urllib.request.Request(self.base_url + path, data=body, method="POST")  # noqa: S310
        status, _body = self._open(request)
        return status

    def messages(self) -> list[str]:
        page = self.get(reverse("matching:my_requests"))
        return [
            html.unescape(m)
            for m in re.findall(r'<p class="message message-\w+">([^<]*)</p>', page)
        ]


def _accept(browser: Browser, found: MentorRequest, barrier, statuses: list[int], k: int) -> None:
    """Both mentors click "accept" at the same moment (a barrier releases both threads)."""
    barrier.wait()
    statuses[k] = browser.post(
        reverse("matching:request_answer", args=[found.pk]), {"decision": "accept"}
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_mentors_accepting_the_same_mentee_at_once(cast, live_server):
    if connection.vendor != "postgresql":
        pytest.skip("row locks and deadlocks need PostgreSQL")
    c = cohort(cast.org_a, mentees=ROUNDS, mentors=2, capacity=ROUNDS)
    MatchingSettings.objects.filter(program=c.program).update(mode="self_matching")
    browsers = [Browser(live_server.url, mentor.user) for mentor in c.mentors]
    for mentee in c.mentees:
        asked = [
            MentorRequest.objects.create(
                edition=c.edition,
                mentee=mentee,
                mentor=mentor,
                expires_at=timezone.now() + timedelta(days=14),
            )
            for mentor in c.mentors
        ]
        barrier = threading.Barrier(2)
        statuses: list[int] = [0, 0]
        threads = [
            threading.Thread(target=_accept, args=(browsers[k], found, barrier, statuses, k))
            for k, found in enumerate(asked)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(TIMEOUT)
        assert statuses == [302, 302], "an acceptance failed (500: deadlock)"
        pairs = Mentorship.objects.filter(mentee_application=mentee)
        assert pairs.count() == 1
        winner = 0 if pairs.get().mentor_application_id == c.mentors[0].pk else 1
        by_status = {r.mentor_id: r.status for r in MentorRequest.objects.filter(mentee=mentee)}
        assert by_status == {
            c.mentors[winner].pk: RequestStatus.ACCEPTED,
            c.mentors[1 - winner].pk: RequestStatus.CANCELLED,
        }
        assert browsers[winner].messages() == ["Réponse envoyée."]
        assert browsers[1 - winner].messages() == [
            "Cette personne a trouvé un·e autre mentor entre-temps : sa demande est retirée."
        ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_acceptance_during_a_publication_waits_and_is_refused_clearly(cast, monkeypatch):
    """The same lock order in the publication: it locks the applications of its mentees
    before looking for who is already paired, so a self-matching acceptance of one of them
    waits for the publication and is then refused in plain words; the publication is not
    undone by a pair created behind its back ("already has a mentor", the whole run)."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    c = cohort(cast.org_a, mentees=1, mentors=2)
    run = finished_run(c)  # the mentee with the first mentor
    asked = MentorRequest.objects.create(
        edition=c.edition,
        mentee=c.mentees[0],
        mentor=c.mentors[1],
        expires_at=timezone.now() + timedelta(days=14),
    )
    real_load = publication.pairs.active_load
    looked = threading.Event()

    def slow_load(**kwargs):
        # Widen the window between reading who is paired and creating the pairs.
        found = real_load(**kwargs)
        looked.set()
        time.sleep(0.5)
        return found

    monkeypatch.setattr(publication.pairs, "active_load", slow_load)
    outcomes: dict[str, str] = {}

    def publish() -> None:
        try:
            publication.publish_run(run=run, actor=cast.coordinator_a, notify=False)
            outcomes["publication"] = "published"
        except DomainError as error:
            outcomes["publication"] = error.message
        finally:
            connection.close()

    def accept() -> None:
        looked.wait(10)
        try:
            request_services.answer_request(
                mentor_request=asked, accept=True, actor=c.mentors[1].user, notify=False
            )
            outcomes["acceptance"] = "accepted"
        except DomainError as error:
            outcomes["acceptance"] = error.message
        finally:
            connection.close()

    threads = [threading.Thread(target=publish), threading.Thread(target=accept)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT)
    assert outcomes["publication"] == "published"
    assert (
        outcomes["acceptance"]
        == f"{c.mentees[0].user.display_name} a déjà un·e mentor·e dans cette promotion."
    )
    assert Mentorship.objects.get(mentee_application=c.mentees[0]).mentor == c.mentors[0].user
