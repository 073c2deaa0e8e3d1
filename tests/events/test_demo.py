"""The demo's events: a kick-off to come, a past company visit with its attendance, and
a job-dating evening to come with registrations and a waiting list; loading twice
changes nothing."""

import pytest
from django.utils import timezone

from mentorat.demo import events as demo_events
from mentorat.demo.loader import load_demo
from mentorat.events.models import Event, EventKind, Registration, RegistrationStatus
from mentorat.events.selectors import event_figures

pytestmark = pytest.mark.django_db


def test_the_demo_has_coherent_events():
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
    before = Registration.objects.count()
    demo_events.seed()
    assert Registration.objects.count() == before
