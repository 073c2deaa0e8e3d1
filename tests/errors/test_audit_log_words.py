"""The organisation's audit log reads in words, in the reader's language and time zone."""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from mentorat.audit.actions import SENTENCES, describe
from mentorat.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _entry(cast, action: str) -> AuditEntry:
    entry = AuditEntry.objects.create(
        action=action, actor=cast.coordinator_a, organization=cast.org_a, target_label="Inès"
    )
    # 14:30 UTC on a winter day: 09:30 in New York, 15:30 in Paris.
    AuditEntry.objects.filter(pk=entry.pk).update(
        created_at=datetime(2026, 1, 15, 14, 30, tzinfo=UTC)
    )
    return entry


def _log(client_for, cast, *, language: str, zone: str) -> str:
    reader = cast.admin_a
    reader.language, reader.time_zone = language, zone
    reader.save(update_fields=["language", "time_zone"])
    client = client_for(reader)
    client.cookies["django_language"] = language
    response = client.get(reverse("audit:organization_log", kwargs={"slug": cast.org_a.slug}))
    assert response.status_code == 200
    return response.content.decode()


def test_actions_read_as_sentences_in_the_readers_time_zone(client_for, cast):
    _entry(cast, "applications.application.accepted")
    page = _log(client_for, cast, language="en", zone="America/New_York")
    assert "Application accepted" in page
    assert "09:30" in page
    assert "14:30" not in page
    assert "America/New_York" in page
    assert "<code>applications.application.accepted</code>" not in page


def test_paris_reader_sees_paris_time(client_for, cast):
    _entry(cast, "mentorships.meeting.proposed")
    page = _log(client_for, cast, language="en", zone="Europe/Paris")
    assert "Meeting proposed" in page
    assert "15:30" in page


def test_unknown_action_still_reads(client_for, cast):
    _entry(cast, "reports.export.made_up")
    page = _log(client_for, cast, language="en", zone="Europe/Paris")
    assert "Other action (reports.export.made_up)" in page


def test_french_reader_gets_the_french_sentence(client_for, cast):
    _entry(cast, "applications.application.accepted")
    page = _log(client_for, cast, language="fr", zone="Europe/Paris")
    with translation.override("fr"):
        assert describe("applications.application.accepted") in page


def test_every_action_the_services_write_has_a_sentence():
    # The dotted names written in the code (literal ones, and the pair and application
    # families built from a suffix), read from the sources so a new one is noticed.
    root = Path(__file__).resolve().parents[2] / "mentorat"
    literal = re.compile(r'action="([a-z_]+\.[a-z_]+\.[a-z_]+)"')
    pair = re.compile(r'audit_pair\(\s*"([a-z_]+\.[a-z_]+)"')
    found: set[str] = set()
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found.update(literal.findall(text))
        found.update(f"mentorships.{name}" for name in pair.findall(text))
    missing = sorted(found - set(SENTENCES))
    assert not missing, missing
