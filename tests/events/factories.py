"""Events and registrations for the tests."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from mentorat.events.models import Event, EventKind
from mentorat.organizations.models import Organization


def make_event(organization: Organization, **fields: Any) -> Event:
    """An in-person event of `organization` in three days, for its members."""
    start = fields.pop("starts_at", timezone.now() + timedelta(days=3))
    values: dict[str, Any] = {
        "kind": EventKind.WORKSHOP,
        "title": "Atelier CV",
        "place": "Salle 101",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "capacity": 2,
        "offer_hours": 24,
    }
    values.update(fields)
    return Event.objects.create(organization=organization, **values)
