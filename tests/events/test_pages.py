"""The event pages through real HTTP requests: who sees the online link and the
attendees, the door's search and idempotent check-in, the exports, and the after-event
survey, contacts and report figures."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from mentorat.events import services
from mentorat.events.links import check_in_token
from mentorat.events.models import Contact, EventFormat, Registration, RegistrationStatus
from mentorat.events.selectors import event_figures
from mentorat.organizations.models import Role
from tests.events.factories import make_event
from tests.factories import MembershipFactory, UserFactory
from tests.mentorships.factories import RunningEditionFactory, application_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

LINK = "https://visio.example.org/kick-off"


def online_event(cast):
    return make_event(cast.org_a, format=EventFormat.ONLINE, place="", online_link=LINK)


def test_the_online_link_is_for_the_people_registered_and_the_hosts(cast, client_for):
    event = online_event(cast)
    url = reverse("events:detail", args=[event.pk])
    assert LINK not in client_for(cast.mentee).get(url).content.decode()
    services.register(event=event, user=cast.mentee)
    assert LINK in client_for(cast.mentee).get(url).content.decode()
    assert LINK in client_for(cast.coordinator_a).get(url).content.decode()
    assert LINK not in client_for(cast.mentor).get(url).content.decode()
    assert client_for(cast.coordinator_b).get(url).status_code == 404


def test_a_waitlisted_person_does_not_get_the_link(cast, client_for):
    event = online_event(cast)
    event.capacity = 1
    event.save()
    services.register(event=event, user=cast.mentor)
    services.register(event=event, user=cast.mentee)
    page = client_for(cast.mentee).get(reverse("events:detail", args=[event.pk]))
    assert LINK not in page.content.decode()
    assert "On the waiting list" in page.content.decode()


def test_attendee_lists_are_for_the_hosts_and_a_co_host(cast, client_for):
    event = make_event(cast.org_a)
    services.register(event=event, user=cast.mentee)
    url = reverse("events:attendees", args=[event.pk])
    assert client_for(cast.mentee).get(url).status_code == 403
    assert client_for(cast.partner_coordinator).get(url).status_code == 404
    event.co_hosts.add(cast.org_c)
    page = client_for(cast.partner_coordinator).get(url)
    assert page.status_code == 200
    assert cast.mentee.display_name in page.content.decode()


def test_a_person_registers_from_the_page_and_sees_the_qr_code(cast, client_for):
    event = make_event(cast.org_a)
    client = client_for(cast.mentee)
    response = client.post(reverse("events:register", args=[event.pk]))
    assert response.status_code == 302
    registration = Registration.objects.get(event=event, user=cast.mentee)
    ticket = client.get(reverse("events:ticket", args=[registration.pk])).content.decode()
    assert "<svg" in ticket
    assert "Show this code at the door" in ticket


def test_the_door_finds_by_name_and_checks_in_once(cast, client_for):
    event = make_event(cast.org_a)
    cast.mentee.first_name, cast.mentee.last_name = "Inès", "Martin"
    cast.mentee.save()
    registration = services.register(event=event, user=cast.mentee)
    client = client_for(cast.coordinator_a)
    found = client.get(reverse("events:door_search", args=[event.pk]), {"q": "inès mar"}).json()
    assert [r["id"] for r in found["results"]] == [registration.pk]
    url = reverse("events:check_in", args=[event.pk])
    first = client.post(url, {"registration": registration.pk})
    again = client.post(url, {"registration": registration.pk})  # a retry from the page
    assert first.status_code == again.status_code == 200
    assert again.json()["message"] == "Inès Martin is checked in."
    registration.refresh_from_db()
    assert registration.attended
    assert registration.checked_in_by == cast.coordinator_a
    token = check_in_token(registration_id=registration.pk, event_id=event.pk)
    assert client.post(url, {"token": token}).json()["ok"]
    refused = client.post(url, {"token": token + "x"})
    assert refused.status_code == 422
    assert refused.json()["error"] == "This code is not a registration for this event."


def test_the_door_page_loads_its_script_and_no_cdn(cast, client_for):
    event = make_event(cast.org_a)
    page = client_for(cast.coordinator_a).get(reverse("events:door", args=[event.pk]))
    html = page.content.decode()
    assert "events/door.js" in html
    assert "https://" not in html.split("<main")[-1]


def test_exports_list_the_people(cast, client_for):
    event = make_event(cast.org_a)
    services.register(event=event, user=cast.mentee)
    client = client_for(cast.coordinator_a)
    csv = client.get(reverse("events:export_csv", args=[event.pk])).content.decode("utf-8-sig")
    assert cast.mentee.email in csv
    xlsx = client.get(reverse("events:export_xlsx", args=[event.pk])).content
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert cast.mentee.email in [cell.value for cell in sheet[2]]
    pdf = client.get(reverse("events:export_pdf", args=[event.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_a_coordinator_registers_someone_and_marks_attendance(cast, client_for):
    event = make_event(cast.org_a)
    client = client_for(cast.coordinator_a)
    client.post(reverse("events:register_person", args=[event.pk]), {"email": cast.mentee.email})
    registration = Registration.objects.get(event=event, user=cast.mentee)
    assert registration.registered_by == cast.coordinator_a
    client.post(
        reverse("events:attendance", args=[event.pk]),
        {"registration": registration.pk, "attended": "1"},
    )
    registration.refresh_from_db()
    assert registration.attended
    unknown = client.post(
        reverse("events:register_person", args=[event.pk]),
        {"email": "nobody@example.org"},
        follow=True,
    )
    assert "No account has this email address." in unknown.content.decode()


def test_after_the_event_feedback_contacts_and_the_report(cast, client_for):
    start = timezone.now() - timedelta(days=2)
    event = make_event(cast.org_a, starts_at=start, capacity=10)
    pro = UserFactory(email="pro@example.org", first_name="Paul", last_name="Pro")
    MembershipFactory(user=pro, organization=cast.org_a, role=Role.MENTOR)
    no_show = UserFactory(email="absent@example.org")
    for person in (cast.mentee, pro, no_show):
        Registration.objects.create(event=event, user=person, status=RegistrationStatus.REGISTERED)
    for person in (cast.mentee, pro):
        Registration.objects.filter(event=event, user=person).update(attended=True)
    edition = RunningEditionFactory(program__organization=cast.org_a)
    application_of(edition, cast.mentee, "mentee")
    client = client_for(cast.mentee)
    url = reverse("events:feedback", args=[event.pk])
    assert client.post(url, {"rating": "5", "comment": "Top"}).status_code == 302
    client.post(reverse("events:contact_add", args=[event.pk]), {"met": pro.pk})
    contact = Contact.objects.get(met=pro)
    client.post(
        reverse("events:introduction", args=[event.pk]), {"contact": contact.pk, "note": "Stage"}
    )
    contact.refresh_from_db()
    assert contact.introduction_requested_at is not None
    page = client_for(cast.coordinator_a).get(
        reverse("events:introductions", args=[cast.org_a.slug])
    )
    assert "Paul Pro" in page.content.decode()
    figures = event_figures(organization_id=cast.org_a.pk)
    assert (figures.events_held, figures.registered, figures.attended) == (1, 3, 2)
    assert figures.contacts_per_mentee == 1.0
    assert round(figures.attendance_percent or 0) == 67
