"""Permission cases of events. The cast's event belongs to organisation A and is meant
for A's members: they see it (and register), its coordinators and admins run it, a
platform admin sees it but does not act; other organisations (B, and A's partner C,
which is no co-host) cannot tell it exists (404). A registration's ticket is its
person's only; the after-event pages are the attendees'."""

from datetime import timedelta

from django.utils import timezone

from mentorat.events.models import Event, EventKind, Registration, RegistrationStatus
from tests.conftest import Cast
from tests.permissions import (
    A_MEMBERS_WITHOUT_STAFF_ROLE,
    LOGIN,
    MEMBERS_OF_A_ONLY,
    STAFF_OF_A,
    Case,
    everyone,
    org_a,
)

SIGNED_IN = everyone(200) | {"anonymous": LOGIN}


def event_of_a(cast: Cast, *, past: bool = False) -> Event:
    start = timezone.now() + (timedelta(days=-2) if past else timedelta(days=3))
    return Event.objects.create(
        organization=cast.org_a,
        kind=EventKind.KICK_OFF,
        title="Lancement",
        place="Amphi A",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=30,
        created_by=cast.coordinator_a,
    )


def event_kwargs(cast: Cast) -> dict[str, str]:
    return {"pk": str(event_of_a(cast).pk)}


def ticket_kwargs(cast: Cast) -> dict[str, str]:
    registration = Registration.objects.create(
        event=event_of_a(cast), user=cast.mentee, status=RegistrationStatus.REGISTERED
    )
    return {"pk": str(registration.pk)}


def attended_kwargs(cast: Cast) -> dict[str, str]:
    """A past event the mentee attended."""
    event = event_of_a(cast, past=True)
    Registration.objects.create(
        event=event, user=cast.mentee, status=RegistrationStatus.REGISTERED, attended=True
    )
    return {"pk": str(event.pk)}


# A's members see the event; a platform admin too.
SEES = MEMBERS_OF_A_ONLY
# Its hosts' staff run it; A's other members and a platform admin are refused (403).
RUNS = STAFF_OF_A | {"platform_admin": 403}
# A button for those who see it: they are sent back to the event (302).
SEES_POST = {p: 302 if s == 200 else s for p, s in SEES.items()}
RUNS_POST = {p: 302 if s == 200 else s for p, s in RUNS.items()}
# Registering: A's members (the audience); a platform admin is not in it.
REGISTERS = SEES_POST | {"platform_admin": 403}
# The attendee's own after-event pages: others who see the event are refused (403).
ATTENDEE = {p: 403 if s == 200 else s for p, s in SEES.items()} | {"mentee": 200}
ATTENDEE_POST = ATTENDEE | {"mentee": 302}
# A registration's ticket: its person only; to anyone else it does not exist.
OWN = everyone(404) | {"anonymous": LOGIN, "mentee": 200}

assert set(A_MEMBERS_WITHOUT_STAFF_ROLE) <= set(SEES)

CASES: dict[str, Case] = {
    "events:list": Case(SIGNED_IN),
    "events:new": Case(RUNS, kwargs=org_a),
    "events:introductions": Case(RUNS, kwargs=org_a),
    "events:detail": Case(SEES, kwargs=event_kwargs),
    "events:edit": Case(RUNS, kwargs=event_kwargs),
    "events:register": Case(REGISTERS, kwargs=event_kwargs, method="post"),
    "events:cancel": Case(SEES_POST, kwargs=event_kwargs, method="post"),
    "events:confirm": Case(SEES_POST, kwargs=event_kwargs, method="post"),
    "events:ticket": Case(OWN, kwargs=ticket_kwargs),
    "events:attendees": Case(RUNS, kwargs=event_kwargs),
    "events:register_person": Case(
        RUNS_POST, kwargs=event_kwargs, method="post", data={"email": "mentee-a@example.org"}
    ),
    "events:attendance": Case(
        RUNS_POST, kwargs=event_kwargs, method="post", data={"registration": "0"}
    ),
    "events:cancel_person": Case(
        RUNS_POST, kwargs=event_kwargs, method="post", data={"registration": "0"}
    ),
    "events:export_csv": Case(RUNS, kwargs=event_kwargs),
    "events:export_xlsx": Case(RUNS, kwargs=event_kwargs),
    "events:export_pdf": Case(RUNS, kwargs=event_kwargs),
    "events:door": Case(RUNS, kwargs=event_kwargs),
    "events:door_search": Case(RUNS, kwargs=event_kwargs),
    # A token that is no registration: refused in words (422), after the permission check.
    "events:check_in": Case(
        {p: 422 if s == 200 else s for p, s in RUNS.items()},
        kwargs=event_kwargs,
        method="post",
        data={"token": "not-a-token"},
    ),
    "events:feedback": Case(ATTENDEE, kwargs=attended_kwargs),
    "events:contact_add": Case(ATTENDEE_POST, kwargs=attended_kwargs, method="post"),
    "events:introduction": Case(ATTENDEE_POST, kwargs=attended_kwargs, method="post"),
}
