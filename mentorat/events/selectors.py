"""Reads of events: lists, attendees, the calendar feed and the report figures."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from mentorat.accounts.models import User
from mentorat.applications.models import Application
from mentorat.events.models import (
    HOLDS_PLACE,
    Contact,
    Event,
    Registration,
    RegistrationStatus,
)
from mentorat.lib.compiled_sql import CompiledQuery
from mentorat.lib.small_groups import is_small
from mentorat.programs.models import ParticipantRole, Program


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


# How many coming events the home page lists.
HOME_EVENTS = 3


def _upcoming_query(*, user_id: int, now: datetime) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(user_id=user_id, event__ends_at__gte=now)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("event")
        .order_by("event__starts_at")[:HOME_EVENTS]
    )


# Compiled once per process (mentorat.lib.compiled_sql): on every home page.
_UPCOMING = CompiledQuery(_upcoming_query, user_id=int, now=datetime)


def my_upcoming_registrations(*, user: User) -> list[Registration]:
    """The next events `user` is registered for or waiting for (home page)."""
    return _UPCOMING.fetch(user_id=user.pk, now=timezone.now())


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
    # Distinct people holding a place: 1 to 4 could be singled out (`lib.small_groups`).
    people: int = 0

    @property
    def people_hidden(self) -> bool:
        """Registrations, attendances and the attendance rate are hidden."""
        return is_small(self.people)

    @property
    def mentees_hidden(self) -> bool:
        """Contacts per mentee are hidden."""
        return is_small(self.mentees_attending)

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
        people=Count("user", distinct=True, filter=Q(status=RegistrationStatus.REGISTERED)),
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
        people=counts["people"],
    )


@dataclass(frozen=True)
class OrganizationEventFigures:
    """A program's events as the people of one organisation lived them: the events they
    registered for, their registrations (a place held) and attendances, their attending
    mentees and the contacts those recorded. `organization_id` None: the whole program."""

    organization_id: int | None
    name: str
    events: int
    people: int
    registered: int
    attended: int
    mentees_attending: int
    contacts: int


def event_figures_by_organization(
    *, program: Program, now: datetime | None = None
) -> list[OrganizationEventFigures]:
    """The figures of `program`'s events held (started, not cancelled), in total and per
    organisation taking part (the owner, then the partners the program is shared with, by
    name). A person counts for the organisation of their application to the program (the
    reports' rule); someone without one counts in the total only. Four queries, whatever
    the number of events, people or partners."""
    now = now or timezone.now()
    events = Event.objects.filter(
        cancelled_at__isnull=True, starts_at__lt=now, edition__program=program
    ).values("pk")
    application = Application.objects.filter(
        edition__program=program, user_id=OuterRef("user_id")
    ).order_by("-pk")
    per_org = list(
        Registration.objects.filter(event_id__in=events)
        .annotate(
            org=Subquery(application.values("organization_id")[:1]),
            role=Subquery(application.values("role")[:1]),
        )
        .values("org")
        .annotate(
            events=Count("event", distinct=True, filter=Q(status__in=HOLDS_PLACE)),
            people=Count("user", distinct=True, filter=Q(status=RegistrationStatus.REGISTERED)),
            registered=Count("pk", filter=Q(status=RegistrationStatus.REGISTERED)),
            came=Count("pk", filter=Q(attended=True)),
            mentees=Count(
                "user", distinct=True, filter=Q(attended=True, role=ParticipantRole.MENTEE)
            ),
        )
        .order_by()
    )
    author = Application.objects.filter(
        edition__program=program, user_id=OuterRef("registration__user_id")
    ).order_by("-pk")
    contacts = dict(
        Contact.objects.filter(registration__event_id__in=events)
        .filter(Exists(author.filter(role=ParticipantRole.MENTEE)))
        .annotate(org=Subquery(author.values("organization_id")[:1]))
        .values("org")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("org", "n")
    )
    held = Event.objects.filter(pk__in=events).count()
    partners = program.shared_with.exclude(pk=program.organization_id).order_by("name")
    by_org = {row["org"]: row for row in per_org}

    def line(
        org_id: int | None, name: str, events_count: int, rows: list[dict[str, Any]]
    ) -> OrganizationEventFigures:
        return OrganizationEventFigures(
            organization_id=org_id,
            name=name,
            events=events_count,
            people=sum(r["people"] for r in rows),
            registered=sum(r["registered"] for r in rows),
            attended=sum(r["came"] for r in rows),
            mentees_attending=sum(r["mentees"] for r in rows),
            contacts=sum(contacts.get(r["org"], 0) for r in rows),
        )

    lines = [line(None, program.name, held, per_org)]
    for organization in [program.organization, *partners]:
        row = by_org.get(organization.pk)
        lines.append(
            line(organization.pk, organization.name, row["events"] if row else 0,
                 [row] if row else [])
        )  # fmt: skip
    return lines
