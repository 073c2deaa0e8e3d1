import pytest

from mentorat.announcements.models import AnnouncementRecipient, AnnouncementStatus
from mentorat.demo.announcements import seed
from tests.announcements.scene import build_scene

pytestmark = pytest.mark.django_db


def test_the_demo_message_is_sent_to_the_mentees_and_partly_read(cast):
    scene = build_scene(cast)
    announcement = seed(coordinator_email=cast.coordinator_a.email)
    assert announcement is not None
    assert announcement.status == AnnouncementStatus.SENT
    rows = AnnouncementRecipient.objects.filter(announcement=announcement)
    assert {r.user for r in rows} == {
        scene.at_risk_mentee,
        scene.met_mentee,
        scene.unmatched_mentee,
        scene.unmatched_partner_mentee,
    }
    assert 0 < rows.filter(read_at__isnull=False).count() < 4
    assert seed(coordinator_email=cast.coordinator_a.email) == announcement  # idempotent
    assert seed(coordinator_email="nobody@example.org") is None
