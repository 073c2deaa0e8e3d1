"""Notification preferences: every email has a kind, senders respect a kind turned off
(the email is recorded as skipped), non-mandatory emails carry the one-click unsubscribe
headers and link, and the preferences page."""

import pytest
import time_machine
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from mentorat.audit.models import AuditEntry
from mentorat.mentorships.models import Reminder, ReminderKind
from mentorat.mentorships.services.followup import send_coordinator_digests
from mentorat.notifications import preferences, services
from mentorat.notifications.kinds import KIND_BY_TEMPLATE, EmailKind, MessageFrequency
from mentorat.notifications.models import DeliveryStatus, EmailDelivery, NotificationPreference
from mentorat.organizations.models import Role
from tests.factories import UserFactory
from tests.mentorships.clock import START, T0, at
from tests.mentorships.factories import MentorshipFactory
from tests.notifications.test_text_emails import email_templates

pytestmark = pytest.mark.django_db


def test_every_email_template_has_a_kind():
    assert sorted(KIND_BY_TEMPLATE) == sorted(email_templates())


def test_defaults_and_choices(django_assert_num_queries):
    person = UserFactory()
    assert preferences.wants(person, EmailKind.MEETINGS)
    assert preferences.message_frequency(person) == MessageFrequency.IMMEDIATELY
    with django_assert_num_queries(0):
        assert preferences.wants(person, EmailKind.ACCOUNT)
    services.set_preferences(
        user=person,
        turned_off={EmailKind.MEETINGS, EmailKind.DIGESTS},
        message_frequency=MessageFrequency.DAILY,
    )
    assert not preferences.wants(person, EmailKind.MEETINGS)
    assert preferences.wants(person, EmailKind.CHECK_IN_REMINDERS)
    assert preferences.message_frequency(person) == MessageFrequency.DAILY
    services.set_preferences(user=person, turned_off=(), message_frequency=MessageFrequency.NEVER)
    assert not preferences.wants(person, EmailKind.MESSAGES)
    assert preferences.wants(person, EmailKind.MEETINGS)
    # Back to the defaults: no row is kept.
    services.set_preferences(
        user=person, turned_off=(), message_frequency=MessageFrequency.IMMEDIATELY
    )
    assert not NotificationPreference.objects.exists()
    assert AuditEntry.objects.filter(action="notifications.preferences.updated").count() == 3


def test_recipients_wanting_is_one_query(django_assert_num_queries):
    people = [UserFactory() for _ in range(6)]
    for person in people[:2]:
        services.unsubscribe(user=person, kind=EmailKind.ANNOUNCEMENTS)
    with django_assert_num_queries(1):
        assert preferences.recipients_wanting(people, EmailKind.ANNOUNCEMENTS) == people[2:]
    queryset = type(people[0]).objects.filter(pk__in=[p.pk for p in people]).order_by("pk")
    with django_assert_num_queries(1):
        assert preferences.recipients_wanting(queryset, EmailKind.ANNOUNCEMENTS) == people[2:]


def _reminder_email(mentorship, person):
    from mentorat.mentorships.tasks import send_pair_reminder_email

    reminder = Reminder.objects.create(
        recipient=person,
        kind=ReminderKind.PAIR,
        mentorship=mentorship,
        reason="Pas de rencontre depuis 40 jours",
        sent_at=timezone.now(),
    )
    before = len(mail.outbox)
    with TestCase.captureOnCommitCallbacks(execute=True):
        send_pair_reminder_email.enqueue(reminder.pk)
    return mail.outbox[before:]


def test_a_reminder_carries_the_unsubscribe_headers_and_link_and_respects_the_choice():
    mentorship = MentorshipFactory()
    mentee = mentorship.mentee
    [email] = _reminder_email(mentorship, mentee)
    header = email.extra_headers["List-Unsubscribe"]
    assert header.startswith("<http")
    assert "/unsubscribe/" in header
    assert header.endswith("/>")
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = header[1:-1]
    [(html, _mimetype)] = email.alternatives
    assert link in email.body
    assert link in html
    assert html.rstrip().endswith("</html>")  # the footer went inside the body
    # The pair's own "stop these reminders" link is still there.
    assert "/reminders/stop/" in email.body

    services.unsubscribe(user=mentee, kind=EmailKind.CHECK_IN_REMINDERS)
    assert _reminder_email(mentorship, mentee) == []
    statuses = list(
        EmailDelivery.objects.filter(purpose="mentorships.reminder").values_list(
            "status", flat=True
        )
    )
    assert sorted(statuses) == [DeliveryStatus.SENT, DeliveryStatus.SKIPPED]


def test_a_mandatory_email_has_no_unsubscribe_header():
    from mentorat.applications.tasks import send_decision_email
    from tests.applications.factories import ApplicationFactory

    application = ApplicationFactory()
    with TestCase.captureOnCommitCallbacks(execute=True):
        send_decision_email.enqueue(application.pk)
    [email] = mail.outbox
    assert "List-Unsubscribe" not in email.extra_headers
    assert "/unsubscribe/" not in email.body


def test_the_coordinators_digest_respects_the_choice():
    coordinator = UserFactory(email="coord@example.org")
    with time_machine.travel(T0, tick=False):
        mentorship = MentorshipFactory(started_on=START)
        coordinator.memberships.create(
            organization=mentorship.edition.program.organization, role=Role.COORDINATOR
        )
    services.set_preferences(
        user=coordinator, turned_off={EmailKind.DIGESTS}, message_frequency="immediately"
    )
    with (
        time_machine.travel(at(40), tick=False),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        send_coordinator_digests(now=at(40))
    assert not [e for e in mail.outbox if e.to == [coordinator.email]]
    assert (
        EmailDelivery.objects.get(purpose="mentorships.digest", recipient=coordinator.email).status
        == DeliveryStatus.SKIPPED
    )


def test_the_preferences_page(client, django_assert_max_num_queries):
    person = UserFactory()
    MentorshipFactory(mentee=person, mentee_reminders_off=True)
    client.force_login(person)
    url = reverse("notifications:preferences")
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    for name in ("meetings", "check_in_reminders", "digests", "announcements"):
        assert f'name="{name}"' in page
    assert page.count('name="message_frequency"') == 3
    assert 'disabled aria-describedby="mandatory-account"' in page
    assert "1 binôme" in page or "1 pair" in page  # the reminders stopped from a pair
    response = client.post(
        url,
        {
            "message_frequency": "daily",
            "meetings": "on",
            "check_in_reminders": "",
            "digests": "on",
            "announcements": "on",
        },
    )
    assert response.status_code == 302
    assert not preferences.wants(person, EmailKind.CHECK_IN_REMINDERS)
    assert preferences.message_frequency(person) == MessageFrequency.DAILY
    with django_assert_max_num_queries(12):
        form = client.get(url).context["form"]
    assert form.initial["message_frequency"] == MessageFrequency.DAILY
    assert form.initial["check_in_reminders"] is False
    assert form.initial["meetings"] is True


def test_the_account_page_links_to_the_preferences(client):
    client.force_login(UserFactory())
    page = client.get(reverse("web:account")).content.decode()
    assert reverse("notifications:preferences") in page


def test_no_email_twice_even_when_skipped_then_turned_back_on():
    """A skipped email stays skipped: turning the kind back on does not send old news."""
    mentorship = MentorshipFactory()
    services.unsubscribe(user=mentorship.mentor, kind=EmailKind.CHECK_IN_REMINDERS)
    assert _reminder_email(mentorship, mentorship.mentor) == []
    services.set_preferences(
        user=mentorship.mentor, turned_off=(), message_frequency=MessageFrequency.IMMEDIATELY
    )
    assert EmailDelivery.objects.get().status == DeliveryStatus.SKIPPED
