"""The organisation's API key pages: create (the key shown once, stored hashed), use,
revoke; and the interactive documentation served from the project's own files."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mentorat.api.models import ApiKey
from mentorat.audit.models import AuditEntry
from tests.api.helpers import call

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def _create(client, cast, **data):
    url = reverse("api:key_list", kwargs={"slug": cast.org_a.slug})
    in_a_month = (timezone.localdate() + timedelta(days=30)).isoformat()
    form = {"name": "Student records", "scopes": ["read"], "expires_on": in_a_month} | data
    return client.post(url, form)


def test_an_admin_creates_a_key_sees_it_once_and_it_works(client_for, cast):
    client = client_for(cast.admin_a)
    detail = client.get(reverse("organizations:detail", kwargs={"slug": cast.org_a.slug}))
    assert reverse("api:key_list", kwargs={"slug": cast.org_a.slug}) in detail.text
    response = _create(client, cast)
    assert response.status_code == 200
    secret = re.search(r'value="(mtr_[^"]+)"', response.text).group(1)
    assert response["Cache-Control"] == "no-store"
    key = ApiKey.objects.get()
    # Stored hashed: the secret is nowhere in the row.
    assert key.secret_hash == hashlib.sha256(secret.split(".", 1)[1].encode()).hexdigest()
    assert secret.split(".", 1)[1] not in str(ApiKey.objects.values().get())
    assert key.scopes == ["read"]
    assert AuditEntry.objects.filter(action="api.key.created", actor=cast.admin_a).exists()
    # Shown once: the list page shows the prefix only.
    listing = client.get(reverse("api:key_list", kwargs={"slug": cast.org_a.slug}))
    assert secret not in listing.text
    assert f"mtr_{key.prefix}" in listing.text
    assert call(client_for(None), "get", "/organization", key=secret).status_code == 200


def test_a_key_needs_a_scope_and_a_future_expiry(client_for, cast):
    client = client_for(cast.admin_a)
    assert "This field is required" in _create(client, cast, scopes=[]).text
    past = _create(client, cast, expires_on="2020-01-01")
    assert "Expiry: choose a date in the future." in past.text
    assert not ApiKey.objects.exists()


def test_revoking_a_key_refuses_its_calls_at_once(client_for, cast):
    client = client_for(cast.admin_a)
    secret = re.search(r'value="(mtr_[^"]+)"', _create(client, cast).text).group(1)
    key = ApiKey.objects.get()
    url = reverse("api:key_revoke", kwargs={"slug": cast.org_a.slug, "pk": key.pk})
    assert client.post(url).status_code == 302
    key.refresh_from_db()
    assert key.revoked_by == cast.admin_a
    assert AuditEntry.objects.filter(action="api.key.revoked").exists()
    assert call(client_for(None), "get", "/organization", key=secret).status_code == 401


def test_a_key_of_another_organisation_cannot_be_revoked_from_here(client_for, cast):
    other = ApiKey.objects.create(
        organization=cast.org_b,
        name="B",
        prefix="other001",
        secret_hash="0" * 64,
        scopes=["read"],
        created_by=cast.coordinator_b,
        expires_at="2099-01-01T00:00:00Z",
    )
    url = reverse("api:key_revoke", kwargs={"slug": cast.org_a.slug, "pk": other.pk})
    assert client_for(cast.admin_a).post(url).status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None


def test_the_documentation_uses_only_the_projects_own_files(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', response.text)
    assert sources
    assert all(s.startswith("/static/") for s in sources), sources
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "cdn" not in response.text.lower()
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
