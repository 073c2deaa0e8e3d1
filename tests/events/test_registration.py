"""Registration, the waiting list and its promotions, emails with the calendar file and
the QR code, the reminder the day before and the calendar feed."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from mentorat.events import services
from mentorat.events.links import check_in_token, read_check_in_token
from mentorat.events.models import RegistrationStatus
from mentorat.events.reminders import send_reminders
from mentorat.lib.errors import DomainError
from mentorat.mentorships.services.meetings import calendar_feed_for
from mentorat.organizations.models import Role
from tests.events.factories import make_event
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def people(cast, n):
    found = []
    for i in range(n):
        user = UserFactory(email=f"p{i}@example.org", first_name=f"P{i}", last_name="Doe")
        MembershipFactory(user=user, organization=cast.org_a, role=Role.MENTEE)
        found.append(user)
    return found


def test_registering_takes_a_place_then_the_waiting_list(cast, django_capture_on_commit_callbacks):
    event = make_event(cast.org_a, capacity=2)
    a, b, c = people(cast, 3)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.register(event=event, user=a)
        second = services.register(event=event, user=b)
        third = services.register(event=event, user=c)
    assert [first.status, second.status, third.status] == ["registered", "registered", "waitlisted"]
    assert services.register(event=event, user=a).pk == first.pk  # twice: nothing changes
    subjects = [m.subject for m in mail.outbox]
    assert subjects.count("Inscription confirmée : Atelier CV") == 2
    assert "Liste d’attente : Atelier CV" in subjects


def test_the_confirmation_email_carries_the_calendar_file_and_the_qr_code(
    cast, django_capture_on_commit_callbacks
):
    event = make_event(cast.org_a)
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.register(event=event, user=cast.mentee)
    message = mail.outbox[-1]
    assert message.to == [cast.mentee.email]
    names = {name: (content, kind) for name, content, kind in message.attachments}
    ics = Calendar.from_ical(names["event.ics"][0])
    vevent = next(iter(ics.walk("VEVENT")))
    assert str(vevent["summary"]) == "Atelier CV"
    assert vevent.decoded("dtstart") == event.starts_at.replace(microsecond=0)
    assert names["qr-code.png"][1] == "image/png"
    assert names["qr-code.png"][0].startswith(b"\x89PNG")
    assert reverse("events:ticket", args=[registration.pk]) in message.body


def test_a_cancellation_offers_the_place_to_the_first_waiting_who_must_confirm_in_time(
    cast, django_capture_on_commit_callbacks
):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        event = make_event(cast.org_a, capacity=1, offer_hours=24)
        a, b, c = people(cast, 3)
        holder = services.register(event=event, user=a)
        services.register(event=event, user=b)
        services.register(event=event, user=c)
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            services.cancel_registration(registration=holder, actor=a)
        offered = event.registrations.get(user=b)
        assert offered.status == RegistrationStatus.OFFERED
        assert offered.offer_expires_at == start + timedelta(hours=25)
        assert mail.outbox[-1].to == [b.email]
        assert "Une place est libre pour vous" in mail.outbox[-1].subject
        assert event.registrations.get(user=c).status == RegistrationStatus.WAITLISTED
    # One minute before the deadline the offer holds; the periodic command expires none.
    with time_machine.travel(start + timedelta(hours=24, minutes=59), tick=False):
        call_command("run_events")
        assert event.registrations.get(user=b).status == RegistrationStatus.OFFERED
    # After it, the offer expires and the next person is offered the place.
    with time_machine.travel(start + timedelta(hours=25, minutes=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert services.expire_offers() == 1
        assert event.registrations.get(user=b).status == RegistrationStatus.CANCELLED
        late = event.registrations.get(user=b)
        with pytest.raises(DomainError, match="expired"):
            services.confirm_offer(registration=late, user=b)
        nxt = event.registrations.get(user=c)
        assert nxt.status == RegistrationStatus.OFFERED
        assert mail.outbox[-1].to == [c.email]
    with time_machine.travel(start + timedelta(hours=26), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            services.confirm_offer(registration=nxt, user=c)
        assert event.registrations.get(user=c).status == RegistrationStatus.REGISTERED
        assert mail.outbox[-1].subject == "Inscription confirmée : Atelier CV"
        assert services.expire_offers() == 0


def test_an_offer_never_lasts_beyond_the_start(cast):
    event = make_event(
        cast.org_a, capacity=1, offer_hours=48, starts_at=timezone.now() + timedelta(hours=5)
    )
    a, b = people(cast, 2)
    holder = services.register(event=event, user=a)
    services.register(event=event, user=b)
    services.cancel_registration(registration=holder, actor=a)
    assert event.registrations.get(user=b).offer_expires_at == event.starts_at


def test_a_larger_capacity_offers_the_new_places(cast):
    event = make_event(cast.org_a, capacity=1)
    a, b, c = people(cast, 3)
    for person in (a, b, c):
        services.register(event=event, user=person)
    services.update_event(event=event, actor=cast.coordinator_a, capacity=3)
    statuses = dict(event.registrations.values_list("user__email", "status"))
    assert statuses == {a.email: "registered", b.email: "offered", c.email: "offered"}


def test_registration_closes_at_the_deadline_except_for_coordinators(cast):
    event = make_event(cast.org_a, registration_deadline=timezone.now() - timedelta(hours=1))
    with pytest.raises(DomainError, match="closed"):
        services.register(event=event, user=cast.mentee)
    registration = services.register(event=event, user=cast.mentee, actor=cast.coordinator_a)
    assert registration.status == RegistrationStatus.REGISTERED
    assert registration.registered_by == cast.coordinator_a


def test_bad_event_input_is_refused_with_every_problem(cast):
    with pytest.raises(DomainError) as caught:
        services.create_event(
            organization=cast.org_a,
            actor=cast.coordinator_a,
            kind="workshop",
            title="X",
            format="online",
            starts_at=timezone.now(),
            ends_at=timezone.now() - timedelta(hours=1),
        )
    assert set(caught.value.field_errors) == {"ends_at", "online_link"}


def test_check_in_is_idempotent_and_bound_to_the_event(cast):
    event = make_event(cast.org_a)
    other = make_event(cast.org_a, title="Autre")
    registration = services.register(event=event, user=cast.mentee)
    token = check_in_token(registration_id=registration.pk, event_id=event.pk)
    assert read_check_in_token(token, event_id=other.pk) is None
    with pytest.raises(DomainError, match="not a registration for this event"):
        services.check_in_by_token(event=other, token=token, actor=cast.coordinator_a)
    first = services.check_in_by_token(event=event, token=token, actor=cast.coordinator_a)
    again = services.check_in_by_token(event=event, token=token, actor=cast.coordinator_a)
    assert first.attended
    assert again.checked_in_at == first.checked_in_at


def test_the_reminder_goes_once_the_day_before(cast):
    soon = make_event(cast.org_a, starts_at=timezone.now() + timedelta(hours=20))
    later = make_event(cast.org_a, title="Plus tard", starts_at=timezone.now() + timedelta(days=5))
    services.register(event=soon, user=cast.mentee)
    services.register(event=later, user=cast.mentee)
    mail.outbox.clear()
    assert send_reminders() == 1
    assert send_reminders() == 0
    assert [m.subject for m in mail.outbox] == ["Rappel : Atelier CV"]


def test_events_appear_in_the_person_s_calendar_feed(cast, client):
    event = make_event(cast.org_a, title="Visite Airbus")
    services.register(event=event, user=cast.mentee)
    feed = calendar_feed_for(user=cast.mentee)
    response = client.get(reverse("mentorships:calendar_feed", kwargs={"token": feed.token}))
    summaries = [str(e["summary"]) for e in Calendar.from_ical(response.content).walk("VEVENT")]
    assert "Visite Airbus" in summaries
