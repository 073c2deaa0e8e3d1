"""The demo's events: a kick-off to come, a past company visit with its attendance and
contacts (the program's report shows them), and a job-dating evening to come with
registrations, a waiting list and its rounds already planned, which the coordinator
sees; loading twice changes nothing."""

from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from mentorat.demo import events as demo_events
from mentorat.demo.loader import load_demo
from mentorat.events.models import Event, EventKind, Registration, RegistrationStatus
from mentorat.events.selectors import event_figures
from mentorat.networking.models import NetworkingSeat, PlanStatus
from mentorat.reports.events import events_table

pytestmark = pytest.mark.django_db


def test_the_demo_has_coherent_events(client_for):
    load_demo()
    now = timezone.now()
    kick_off = Event.objects.get(kind=EventKind.KICK_OFF)
    visit = Event.objects.get(kind=EventKind.COMPANY_VISIT)
    evening = Event.objects.get(kind=EventKind.JOB_DATING)
    assert kick_off.starts_at > now
    assert visit.ends_at < now
    assert evening.starts_at > now
    assert visit.registrations.filter(attended=True).count() == 9
    registered = evening.registrations.filter(status=RegistrationStatus.REGISTERED)
    assert registered.count() == evening.capacity
    assert evening.registrations.filter(status=RegistrationStatus.WAITLISTED).count() == 3
    assert visit.co_hosts.exists()
    figures = event_figures(organization_id=visit.organization_id)
    assert figures.events_held == 1
    assert figures.attended == 9
    assert visit.registrations.filter(contacts__isnull=False).exists()

    # The evening's rounds are planned: 4 rounds, tables of 3, nobody twice with the same
    # professional, only people holding a place seated.
    plan = evening.networking_plan
    assert (plan.status, plan.rounds, plan.table_size) == (PlanStatus.READY, 4, 3)
    seats = list(plan.seats.all())
    assert seats
    assert max(Counter((s.mentee_id, s.professional_id) for s in seats).values()) == 1
    assert max(Counter((s.round, s.table) for s in seats).values()) <= 3
    seated = {s.mentee_id for s in seats} | {s.professional_id for s in seats}
    assert seated <= set(registered.values_list("user_id", flat=True))
    coordinator = evening.created_by
    page = client_for(coordinator).get(reverse("networking:plan", args=[evening.pk]))
    assert page.status_code == 200
    assert seats[0].mentee.display_name in page.content.decode()

    # The program's report shows the visit's figures, per organisation too.
    program = visit.edition.program
    report = client_for(coordinator).get(reverse("reports:program", args=[program.slug]))
    assert report.status_code == 200
    whole = events_table(program).rows[0]
    assert whole[1].display() == "1"  # events held
    came = visit.registrations.filter(attended=True).count()
    assert whole[3].shown_value == 100 * came / visit.registrations.count()

    before = (Registration.objects.count(), NetworkingSeat.objects.count())
    demo_events.seed()
    assert (Registration.objects.count(), NetworkingSeat.objects.count()) == before
