"""The API's HTTP behaviour a client relies on: ETag and 304, idempotent writes,
cursor pagination, problem+json in French and English, rate limit, key validity, and
the audit trail of writes."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from mentorat.api.models import ApiKey, IdempotentResponse
from mentorat.api.services import revoke_api_key
from mentorat.applications.models import Application
from mentorat.audit.models import AuditEntry
from tests.api.helpers import call, key_for, key_row
from tests.matching.factories import cohort, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(cast):
    return cohort(cast.org_a, slug="api-http")


@pytest.fixture
def key(cast):
    return key_for(cast.admin_a, cast.org_a)


def _import(program, rows):
    return {"edition_id": program.edition.pk, "default_role": "mentee", "rows": rows}


ROW = {"email": "lea.roux@example.org", "first_name": "Léa", "last_name": "Roux"}


# ETag ----------------------------------------------------------------------------------


def test_a_read_carries_an_etag_and_answers_304_while_it_holds(client, program, key):
    first = call(client, "get", "/programs/api-http/applications", key=key)
    assert first.status_code == 200
    etag = first["ETag"]
    again = call(
        client, "get", "/programs/api-http/applications", key=key, headers={"If-None-Match": etag}
    )
    assert again.status_code == 304
    assert again.content == b""
    person(program.edition, "mentee", program.program.organization)
    changed = call(
        client, "get", "/programs/api-http/applications", key=key, headers={"If-None-Match": etag}
    )
    assert changed.status_code == 200
    assert changed["ETag"] != etag


# Idempotency ---------------------------------------------------------------------------


def test_the_same_idempotency_key_and_body_replays_the_first_answer(client, program, key):
    headers = {"Idempotency-Key": "batch-2026-12-07"}
    body = _import(program, [ROW])
    first = call(
        client, "post", "/programs/api-http/applications", key=key, body=body, headers=headers
    )
    assert first.status_code == 201
    assert first.json()["created"] == 1
    second = call(
        client, "post", "/programs/api-http/applications", key=key, body=body, headers=headers
    )
    assert second.status_code == 201
    assert second.content == first.content
    assert second["Idempotent-Replayed"] == "true"
    # Done once: one application, one import recorded, the answer stored in the database.
    assert Application.objects.filter(user__email="lea.roux@example.org").count() == 1
    assert AuditEntry.objects.filter(action="applications.import.completed").count() == 1
    assert IdempotentResponse.objects.filter(key="batch-2026-12-07").count() == 1


def test_the_same_idempotency_key_with_another_body_is_refused(client, program, key):
    headers = {"Idempotency-Key": "k-1"}
    call(
        client,
        "post",
        "/programs/api-http/applications",
        key=key,
        body=_import(program, [ROW]),
        headers=headers,
    )
    other = dict(ROW, email="other@example.org")
    response = call(
        client,
        "post",
        "/programs/api-http/applications",
        key=key,
        body=_import(program, [other]),
        headers=headers,
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert not Application.objects.filter(user__email="other@example.org").exists()


def test_a_batch_with_one_bad_row_imports_nothing_and_lists_the_errors(client, program, key):
    rows = [ROW, {"email": "not-an-address", "first_name": "A", "last_name": "B"}]
    response = call(
        client,
        "post",
        "/programs/api-http/applications",
        key=key,
        body=_import(program, rows),
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422
    problem = response.json()
    assert "nothing was imported" in problem["detail"]
    assert list(problem["errors"]) == ["rows.1"]
    assert "not-an-address" in problem["errors"]["rows.1"][0]
    assert not Application.objects.filter(user__email="lea.roux@example.org").exists()
    # The refused batch left no trace (the preview is rolled back with the rest).
    assert not AuditEntry.objects.filter(action__startswith="applications.import").exists()


# Pagination ----------------------------------------------------------------------------


def test_cursor_pages_cover_every_row_once_even_when_rows_are_added(client, program, key):
    for _k in range(7):
        person(program.edition, "mentee", program.program.organization)
    seen: list[int] = []
    url = "/programs/api-http/applications?limit=4"
    page = call(client, "get", url, key=key).json()
    seen += [a["id"] for a in page["items"]]
    # Added between two pages: it comes later (stable order by id), nothing is repeated.
    added = person(program.edition, "mentee", program.program.organization)
    while page["next_cursor"]:
        page = call(client, "get", f"{url}&cursor={page['next_cursor']}", key=key).json()
        seen += [a["id"] for a in page["items"]]
    expected = list(
        Application.objects.filter(edition__program=program.program)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    assert seen == expected
    assert added.pk in seen


def test_a_forged_cursor_is_a_clear_error(client, program, key):
    response = call(
        client,
        "get",
        "/programs/api-http/applications?cursor=eyJwIjoxfQ",
        key=key,
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert "cursor" in response.json()["detail"]


def test_filters(client, program, key):
    response = call(client, "get", "/programs/api-http/applications?role=mentor", key=key)
    assert {a["role"] for a in response.json()["items"]} == {"mentor"}
    assert len(response.json()["items"]) == len(program.mentors)


# Problems in both languages ------------------------------------------------------------


def test_problems_speak_the_language_of_the_request(client, cast, program, key):
    url = "/programs/does-not-exist"
    french = call(client, "get", url, key=key, headers={"Accept-Language": "fr"})
    english = call(client, "get", url, key=key, headers={"Accept-Language": "en"})
    assert french.status_code == english.status_code == 404
    assert french["Content-Type"] == english["Content-Type"] == "application/problem+json"
    assert english.json()["title"] == "Page not found"
    assert french.json()["title"] == "Page introuvable"
    assert english.json()["status"] == 404


def test_a_domain_error_carries_the_pages_message(client, program, key):
    body = {"weights": {"field": 99}}
    url = f"/programs/api-http/editions/{program.edition.pk}/runs"
    english = call(client, "post", url, key=key, body=body, headers={"Accept-Language": "en"})
    french = call(client, "post", url, key=key, body=body, headers={"Accept-Language": "fr"})
    assert english.status_code == french.status_code == 422
    assert "must be from 0 to 10" in english.json()["detail"]
    assert "doit être compris entre 0 et 10" in french.json()["detail"]


# Keys ----------------------------------------------------------------------------------


def test_an_expired_or_revoked_key_is_401(client, cast, program, key):
    assert call(client, "get", "/programs", key=key).status_code == 200
    row = key_row(key)
    ApiKey.objects.filter(pk=row.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    expired = call(client, "get", "/programs", key=key)
    assert expired.status_code == 401
    assert expired["WWW-Authenticate"] == "Bearer"
    fresh = key_for(cast.admin_a, cast.org_a)
    revoke_api_key(key=key_row(fresh), actor=cast.admin_a)
    assert call(client, "get", "/programs", key=fresh).status_code == 401


def test_a_wrong_secret_with_a_real_prefix_is_401(client, program, key):
    forged = key.rsplit(".", 1)[0] + ".not-the-secret"
    assert call(client, "get", "/programs", key=forged).status_code == 401


def test_a_signed_in_session_is_not_enough(client_for, cast, program):
    client = client_for(cast.admin_a)
    assert call(client, "get", "/programs").status_code == 401


def test_the_rate_limit_is_per_key_and_answers_429(client, cast, program, key, settings):
    settings.API_RATE_LIMIT = "3/m"
    cache.clear()
    statuses = [call(client, "get", "/organization", key=key).status_code for _k in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = call(client, "get", "/organization", key=key)
    assert limited["Content-Type"] == "application/problem+json"
    assert int(limited["Retry-After"]) >= 1
    # Another key has its own count.
    other = key_for(cast.admin_a, cast.org_a)
    assert call(client, "get", "/organization", key=other).status_code == 200
    cache.clear()


# Audit ---------------------------------------------------------------------------------


def test_writes_are_recorded_in_the_audit_log_as_the_keys_creator(client, cast, program, key):
    url = f"/programs/api-http/editions/{program.edition.pk}/runs"
    response = call(client, "post", url, key=key, body={"mode": "stable"})
    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    entry = AuditEntry.objects.get(action="api.call.write")
    assert entry.actor == cast.admin_a
    assert entry.organization == cast.org_a
    assert entry.data == {"operation": "matching.run.start", "status": 202}
    assert AuditEntry.objects.filter(action="matching.run.started", actor=cast.admin_a).exists()
    # Reads write nothing.
    call(client, "get", "/programs/api-http/runs", key=key)
    assert AuditEntry.objects.filter(action="api.call.write").count() == 1
