"""Reads of events: lists, attendees, the calendar feed and the report figures."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from mentorat.accounts.models import User
from mentorat.events.models import (
    HOLDS_PLACE,
    Contact,
    Event,
    Registration,
    RegistrationStatus,
)
from mentorat.programs.models import ParticipantRole


def with_counts(events: "QuerySet[Event]") -> "QuerySet[Event]":
    """Events annotated with `held` (places held) and `waiting` (waiting list)."""
    return events.annotate(
        held=Count("registrations", filter=Q(registrations__status__in=HOLDS_PLACE)),
        waiting=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)
        ),
    )


def upcoming(events: "QuerySet[Event]", *, now: datetime | None = None) -> "QuerySet[Event]":
    now = now or timezone.now()
    return with_counts(events.filter(ends_at__gte=now).select_related("organization")).order_by(
        "starts_at", "pk"
    )


def past(events: "QuerySet[Event]", *, now: datetime | None = None) -> "QuerySet[Event]":
    now = now or timezone.now()
    return with_counts(events.filter(ends_at__lt=now).select_related("organization")).order_by(
        "-starts_at", "-pk"
    )


def registrations_by_event(*, user: User, event_ids: list[int]) -> dict[int, Registration]:
    """`user`'s registrations for these events, by event id (one query)."""
    return {r.event_id: r for r in Registration.objects.filter(user=user, event_id__in=event_ids)}


def attendees(*, event: Event) -> "QuerySet[Registration]":
    """Everyone registered, waiting or offered a place (not the cancelled), by name."""
    return (
        Registration.objects.filter(event=event)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__email")
    )


def search_attendees(*, event: Event, query: str, limit: int = 20) -> list[Registration]:
    """Registrations whose person's name or email contains every word of `query`."""
    found = attendees(event=event)
    for word in query.split()[:5]:
        found = found.filter(
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__email__icontains=word)
        )
    return list(found[:limit])


def feed_registrations(*, user: User) -> "QuerySet[Registration]":
    """The registrations shown in `user`'s calendar feed (a place held or awaited)."""
    return (
        Registration.objects.filter(user=user)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("event")
        .order_by("event__starts_at")
    )


def my_upcoming_registrations(*, user: User, limit: int = 3) -> list[Registration]:
    """The next events `user` is registered for or waiting for (home page)."""
    return list(
        Registration.objects.filter(user=user, event__ends_at__gte=timezone.now())
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("event")
        .order_by("event__starts_at")[:limit]
    )


def introduction_requests(*, organization_ids: set[int]) -> "QuerySet[Contact]":
    """Requests to be introduced again, for the coordinators of these organisations."""
    return (
        Contact.objects.filter(
            introduction_requested_at__isnull=False,
            handled_at__isnull=True,
            registration__event__organization_id__in=organization_ids,
        )
        .select_related("registration__user", "registration__event", "met")
        .order_by("introduction_requested_at")
    )


@dataclass(frozen=True)
class EventFigures:
    """Report figures of a set of events."""

    events_held: int
    registered: int
    attended: int
    mentees_attending: int
    contacts: int

    @property
    def attendance_rate(self) -> float | None:
        return self.attended / self.registered if self.registered else None

    @property
    def attendance_percent(self) -> float | None:
        rate = self.attendance_rate
        return None if rate is None else 100 * rate

    @property
    def contacts_per_mentee(self) -> float | None:
        return self.contacts / self.mentees_attending if self.mentees_attending else None


def event_figures(
    *,
    organization_id: int | None = None,
    program_id: int | None = None,
    partner_id: int | None = None,
    now: datetime | None = None,
) -> EventFigures:
    """Events held (started, not cancelled), attendance rate (attended / registered),
    contacts made per attending mentee; for an organisation's events, a program's
    editions' events, or the events of partnerships with (or co-hosted by) a partner.
    A constant number of queries."""
    now = now or timezone.now()
    events = Event.objects.filter(cancelled_at__isnull=True, starts_at__lt=now)
    if organization_id is not None:
        events = events.filter(Q(organization_id=organization_id) | Q(co_hosts=organization_id))
    if program_id is not None:
        events = events.filter(edition__program_id=program_id)
    if partner_id is not None:
        events = events.filter(
            Q(co_hosts=partner_id)
            | Q(partnership__partner_id=partner_id)
            | Q(partnership__organization_id=partner_id)
        )
    event_ids = events.values("pk")
    registrations = Registration.objects.filter(event_id__in=event_ids)
    counts = registrations.aggregate(
        registered=Count("pk", filter=Q(status=RegistrationStatus.REGISTERED)),
        attended=Count("pk", filter=Q(attended=True)),
    )
    mentee_users = User.objects.filter(applications__role=ParticipantRole.MENTEE).values("pk")
    mentees_attending = (
        registrations.filter(attended=True, user_id__in=mentee_users)
        .values("user_id")
        .distinct()
        .count()
    )
    contacts = Contact.objects.filter(
        registration__event_id__in=event_ids, registration__user_id__in=mentee_users
    ).count()
    return EventFigures(
        events_held=Event.objects.filter(pk__in=event_ids).count(),
        registered=counts["registered"],
        attended=counts["attended"],
        mentees_attending=mentees_attending,
        contacts=contacts,
    )
