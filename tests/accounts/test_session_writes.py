"""The session is written only when its idle deadline needs moving.

SessionActivityMiddleware renews a session (new expiry in its row, cache entry and
cookie) at most once every SESSION_REFRESH_SECONDS; other requests write nothing, so a
busy page costs no session UPDATE. The idle timeout itself is tested in
test_signup_and_login.py (test_sessions_end_after_thirty_idle_minutes_but_not_while_active).
"""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.contrib.sessions.models import Session
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentorat.accounts.middleware import SessionActivityMiddleware

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _session_writes(queries: CaptureQueriesContext) -> list[str]:
    """Statements writing a session, to its table or to the database cache table."""
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and ("django_session" in q["sql"] or "mentorat_cache" in q["sql"])
    ]


def _expiry(client) -> dt.datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


@pytest.mark.parametrize(
    "engine",
    ["django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"],
)
def test_a_session_is_written_only_when_its_deadline_needs_moving(
    client_for, cast, settings, engine
):
    settings.SESSION_ENGINE = engine
    refresh = settings.SESSION_REFRESH_SECONDS
    with time_machine.travel(START, tick=False) as traveller:
        client = client_for(cast.mentee)
        page = reverse("organizations:list")
        renewed = _expiry(client)  # signing in saved the session, marked renewed
        with CaptureQueriesContext(connection) as queries:
            client.get(page)
        assert _session_writes(queries) == []

        traveller.shift(dt.timedelta(seconds=refresh - 1))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page)
        assert response.status_code == 200
        assert _session_writes(queries) == []
        assert settings.SESSION_COOKIE_NAME not in response.cookies  # cookie not re-sent
        assert _expiry(client) == renewed

        traveller.shift(dt.timedelta(seconds=1))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page)
        assert any("django_session" in sql for sql in _session_writes(queries))
        assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == (
            settings.SESSION_COOKIE_AGE
        )
        assert _expiry(client) == renewed + dt.timedelta(seconds=refresh)


def test_a_request_that_changes_the_session_saves_it_with_a_new_deadline(client_for, cast):
    def view(request: HttpRequest) -> HttpResponse:
        request.session["choice"] = "changed"
        return HttpResponse("ok")

    chain = SessionMiddleware(SessionActivityMiddleware(view))
    with time_machine.travel(START, tick=False) as traveller:
        client = client_for(cast.mentee)
        client.get(reverse("organizations:list"))
        renewed = _expiry(client)
        traveller.shift(dt.timedelta(seconds=5))
        request = RequestFactory().get("/")
        request.COOKIES[settings.SESSION_COOKIE_NAME] = client.session.session_key
        chain(request)
        assert _expiry(client) == renewed + dt.timedelta(seconds=5)
        assert client.session["choice"] == "changed"


def test_visitors_get_no_session(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("web:home"))
    assert response.status_code == 200
    assert _session_writes(queries) == []
    assert settings.SESSION_COOKIE_NAME not in response.cookies
