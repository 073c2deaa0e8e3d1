"""The coordinator's flow (write, preview, send), the partner's restriction, delivery
(inbox rows once, preferences, emails once), the inbox and the list page."""

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from mentorat.announcements import delivery, services
from mentorat.announcements.models import (
    Announcement,
    AnnouncementRecipient,
    AnnouncementStatus,
    Segment,
)
from mentorat.announcements.selectors import EMAILS, unread_count
from mentorat.audit.models import AuditEntry
from mentorat.lib.errors import DomainError
from mentorat.notifications.kinds import EmailKind
from mentorat.notifications.models import DeliveryStatus, EmailDelivery, NotificationPreference
from tests.announcements.scene import build_scene, draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(cast):
    return build_scene(cast)


def english(client):
    client.cookies["django_language"] = "en"
    return client


def test_write_preview_and_send(scene, cast, client_for):
    client = english(client_for(cast.coordinator_a))
    write_url = reverse("announcements:write", args=[scene.program.slug])
    assert client.get(write_url).status_code == 200
    response = client.post(
        write_url,
        {
            "edition": scene.edition.pk,
            "segment": Segment.MENTEES,
            "subject": "Kick-off on 12 January",
            "body": "Hello **everyone** <script>alert(1)</script>",
            "status": "accepted",
        },
    )
    announcement = Announcement.objects.get()
    preview_url = reverse("announcements:preview", args=[scene.program.slug, announcement.pk])
    assert response.status_code == 302
    assert response["Location"] == preview_url
    assert announcement.status == AnnouncementStatus.DRAFT
    assert announcement.organization == cast.org_a

    page = client.get(preview_url).content.decode()
    assert "4 recipients" in page
    # One email, rendered from the real template for the first recipient (escaped
    # inside srcdoc; Markdown rendered, the script inert).
    assert "Kick-off on 12 January" in page
    assert "&lt;strong&gt;everyone&lt;/strong&gt;" in page
    assert "<script>alert" not in page
    assert not mail.outbox
    assert not AnnouncementRecipient.objects.exists()

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("announcements:send", args=[scene.program.slug, announcement.pk])
        )
    assert response.status_code == 302
    announcement.refresh_from_db()
    assert announcement.status == AnnouncementStatus.SENT
    assert announcement.recipients_count == 4
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        u.email
        for u in (
            scene.at_risk_mentee,
            scene.met_mentee,
            scene.unmatched_mentee,
            scene.unmatched_partner_mentee,
        )
    )
    assert mail.outbox[0].subject == "[Messages A] Kick-off on 12 January"
    assert AnnouncementRecipient.objects.filter(emailed_at__isnull=False).count() == 4
    assert AuditEntry.objects.filter(action="announcements.announcement.sent").count() == 1

    # Sent once: a second send is refused.
    client.post(reverse("announcements:send", args=[scene.program.slug, announcement.pk]))
    assert len(mail.outbox) == 4
    listing = client.get(reverse("announcements:list", args=[scene.program.slug])).content
    assert b"Kick-off on 12 January" in listing


def test_a_segment_reaching_nobody_cannot_be_sent(scene, cast):
    announcement = draft(scene, cast.coordinator_a, organization=cast.org_c, segment="mentors")
    with pytest.raises(DomainError):
        services.send_announcement(announcement=announcement, actor=cast.partner_coordinator)
    assert Announcement.objects.get().status == AnnouncementStatus.DRAFT


def test_a_partner_coordinator_writes_to_their_own_people_only(scene, cast, client_for):
    client = english(client_for(cast.partner_coordinator))
    page = client.get(reverse("announcements:write", args=[scene.program.slug])).content
    assert b"only the people your organisation brought" in page
    client.post(
        reverse("announcements:write", args=[scene.program.slug]),
        {"edition": scene.edition.pk, "segment": Segment.EVERYONE, "subject": "C", "body": "C"},
    )
    announcement = Announcement.objects.get()
    assert announcement.organization == cast.org_c
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("announcements:send", args=[scene.program.slug, announcement.pk]))
    assert {m.to[0] for m in mail.outbox} == {
        scene.met_mentee.email,
        scene.unmatched_partner_mentee.email,
    }
    # The owner's messages stay hidden from the partner, and the owner sees the partner's.
    of_a = draft(scene, cast.coordinator_a, subject="Only for A")
    hidden = reverse("announcements:preview", args=[scene.program.slug, of_a.pk])
    assert client.get(hidden).status_code == 404
    assert (
        b"Only for A"
        not in client.get(reverse("announcements:list", args=[scene.program.slug])).content
    )
    owner = english(client_for(cast.coordinator_a))
    shown = reverse("announcements:preview", args=[scene.program.slug, announcement.pk])
    assert owner.get(shown).status_code == 200
    # Another organisation cannot tell the program exists.
    other = client_for(cast.coordinator_b)
    assert other.get(reverse("announcements:list", args=[scene.program.slug])).status_code == 404


def test_people_who_turned_announcements_off_get_the_message_in_their_inbox_only(scene, cast):
    NotificationPreference.objects.create(
        user=scene.met_mentee, kind=EmailKind.ANNOUNCEMENTS, enabled=False
    )
    announcement = draft(scene, cast.coordinator_a)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.send_announcement(announcement=announcement, actor=cast.coordinator_a)
    assert scene.met_mentee.email not in {m.to[0] for m in mail.outbox}
    assert len(mail.outbox) == 3
    row = AnnouncementRecipient.objects.get(user=scene.met_mentee)
    assert row.emailed_at is None
    assert unread_count(scene.met_mentee) == 1


def test_delivery_run_again_writes_and_sends_nothing_twice(scene, cast, mailoutbox):
    announcement = draft(scene, cast.coordinator_a, segment=Segment.EVERYONE)
    Announcement.objects.filter(pk=announcement.pk).update(status=AnnouncementStatus.SENDING)
    delivery.deliver(announcement_id=announcement.pk)
    # The segment changes after the first run: the recipients stay those of the first.
    scene.unmatched_mentor.applications.update(status="withdrawn")
    delivery.deliver(announcement_id=announcement.pk)
    assert len(mailoutbox) == 7
    assert AnnouncementRecipient.objects.count() == 7
    assert EmailDelivery.objects.filter(purpose=EMAILS, status=DeliveryStatus.SENT).count() == 7


def test_recipient_rows_are_built_in_a_few_queries(scene, cast, django_assert_max_num_queries):
    announcement = draft(scene, cast.coordinator_a, segment=Segment.EVERYONE)
    Announcement.objects.filter(pk=announcement.pk).update(status=AnnouncementStatus.SENDING)
    with django_assert_max_num_queries(8):
        delivery.build_recipients(announcement_id=announcement.pk)
    assert AnnouncementRecipient.objects.count() == 7


def test_failed_emails_are_counted_and_sent_again(scene, cast, client_for, settings):
    announcement = draft(scene, cast.coordinator_a)
    settings.EMAIL_BACKEND = "tests.announcements.failing.Backend"
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.send_announcement(announcement=announcement, actor=cast.coordinator_a)
    assert EmailDelivery.objects.filter(status=DeliveryStatus.FAILED).count() == 3
    client = english(client_for(cast.coordinator_a))
    listing = client.get(reverse("announcements:list", args=[scene.program.slug])).content
    assert b"<strong>3</strong>" in listing
    assert b"Send the emails not sent again (4)" in listing
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("announcements:retry", args=[scene.program.slug, announcement.pk]))
    assert EmailDelivery.objects.filter(status=DeliveryStatus.SENT).count() == 4
    assert len(mail.outbox) == 4  # the failing backend sent nothing, the retry the rest


def test_inbox_unread_first_and_reading_marks_it_read(
    scene, cast, client_for, django_assert_num_queries
):
    first, second = (draft(scene, cast.coordinator_a, subject=s) for s in ("First", "Second"))
    for announcement in (first, second):
        with TestCase.captureOnCommitCallbacks(execute=True):
            services.send_announcement(announcement=announcement, actor=cast.coordinator_a)
    mentee = scene.at_risk_mentee
    with django_assert_num_queries(1):
        assert unread_count(mentee) == 2
    client = english(client_for(mentee))
    detail = reverse("announcements:detail", args=[first.pk])
    page = client.get(detail).content.decode()
    assert "<strong>toutes et tous</strong>" in page  # Markdown rendered
    assert 'hx-trigger="load"' in page
    assert unread_count(mentee) == 2  # GET writes nothing
    response = client.post(
        reverse("announcements:mark_read", args=[first.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert b"Read" in response.content
    assert unread_count(mentee) == 1
    inbox = client.get(reverse("announcements:inbox")).content.decode()
    assert inbox.index("Second") < inbox.index("First")  # unread first
    # Someone else's copy does not exist for another person.
    assert english(client_for(scene.met_mentor)).get(detail).status_code == 404
