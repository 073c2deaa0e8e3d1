"""Who sees, joins and runs networking events.

- An event is run (edited, attendees registered, listed, exported, checked in) by the
  admins and coordinators of its organiser and of its co-hosts (`can_manage_event`).
- It is seen by those, by platform admins, by its audience (`is_in_audience`: the
  people of an edition — its mentors, mentees or both —, the members of an organisation,
  of both sides of a partnership, or anyone signed in for a public event) and by anyone
  registered for it. To everyone else it does not exist (404).
- The online link is shown to the people registered (a confirmed place) and to those
  who run it; the attendee list only to those who run it."""

from django.db.models import Q, QuerySet
from django.http import Http404

from mentorat.accounts.models import User
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.events.models import (
    Audience,
    AudienceRoles,
    Event,
    Registration,
    RegistrationStatus,
)
from mentorat.organizations.models import Organization, Role
from mentorat.permissions.organizations import (
    is_platform_admin,
    roles_by_organization,
    roles_in,
)
from mentorat.programs.models import ParticipantRole

STAFF = frozenset({Role.ADMIN, Role.COORDINATOR})
#: Applications that make someone part of an edition's audience.
LIVE_APPLICATIONS = (ApplicationStatus.ACCEPTED,)


def staff_organization_ids(user: User) -> set[int]:
    return {org for org, roles in roles_by_organization(user).items() if roles & STAFF}


def can_create_event(user: User, organization: Organization) -> bool:
    return bool(roles_in(user, organization) & STAFF)


def _host_ids(event: Event) -> set[int]:
    return {event.organization_id, *(org.pk for org in event.co_hosts.all())}


def can_manage_event(user: User, event: Event) -> bool:
    """Edit it, register people, see and export the attendees, check them in."""
    return bool(staff_organization_ids(user) & _host_ids(event))


def _roles_wanted(event: Event) -> tuple[str, ...]:
    return {
        AudienceRoles.MENTORS: (ParticipantRole.MENTOR,),
        AudienceRoles.MENTEES: (ParticipantRole.MENTEE,),
    }.get(AudienceRoles(event.audience_roles), (ParticipantRole.MENTOR, ParticipantRole.MENTEE))


def is_in_audience(user: User, event: Event) -> bool:
    """Whether the event is meant for `user` (so they may see it and register)."""
    if not user.is_authenticated:
        return False
    orgs = set(roles_by_organization(user))
    if event.audience == Audience.PUBLIC:
        return True
    if event.audience == Audience.ORGANIZATION:
        return bool(orgs & _host_ids(event))
    if event.audience == Audience.PARTNERSHIP and event.partnership is not None:
        sides = {event.partnership.organization_id, event.partnership.partner_id}
        return bool(orgs & sides)
    if event.audience == Audience.EDITION and event.edition_id is not None:
        return Application.objects.filter(
            edition_id=event.edition_id,
            user=user,
            status__in=LIVE_APPLICATIONS,
            role__in=_roles_wanted(event),
        ).exists()
    return False


def registration_of(user: User, event: Event) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(event=event, user=user).first()


def can_view_event(user: User, event: Event) -> bool:
    return (
        is_platform_admin(user)
        or can_manage_event(user, event)
        or is_in_audience(user, event)
        or registration_of(user, event) is not None
    )


def access_event(user: User, pk: int) -> Event:
    """The event if `user` may see it; else 404."""
    event = (
        Event.objects.select_related("organization", "edition__program", "partnership")
        .prefetch_related("co_hosts")
        .filter(pk=pk)
        .first()
    )
    if event is None or not can_view_event(user, event):
        raise Http404
    return event


def can_see_online_link(user: User, event: Event) -> bool:
    """The link of an online event: the people holding a confirmed place, and the hosts."""
    if can_manage_event(user, event):
        return True
    registration = registration_of(user, event)
    return registration is not None and registration.status == RegistrationStatus.REGISTERED


def access_own_registration(user: User, pk: int) -> Registration:
    """`user`'s own registration; 404 for anyone else's."""
    registration = (
        Registration.objects.select_related("event__organization", "user")
        .filter(pk=pk, user=user)
        .first()
    )
    if registration is None or not user.is_authenticated:
        raise Http404
    return registration


def visible_events(user: User) -> "QuerySet[Event]":
    """The events `user` may see in the list (audience computed in SQL)."""
    if not user.is_authenticated:
        return Event.objects.none()
    if is_platform_admin(user):
        return Event.objects.all()
    orgs = set(roles_by_organization(user))
    staff = staff_organization_ids(user)
    editions = Application.objects.filter(user=user, status__in=LIVE_APPLICATIONS)
    mentee_editions = editions.filter(role=ParticipantRole.MENTEE).values("edition_id")
    mentor_editions = editions.filter(role=ParticipantRole.MENTOR).values("edition_id")
    audience = (
        Q(audience=Audience.PUBLIC)
        | Q(audience=Audience.ORGANIZATION, organization_id__in=orgs)
        | Q(audience=Audience.ORGANIZATION, co_hosts__in=orgs)
        | Q(audience=Audience.PARTNERSHIP, partnership__organization_id__in=orgs)
        | Q(audience=Audience.PARTNERSHIP, partnership__partner_id__in=orgs)
        | Q(
            audience=Audience.EDITION,
            edition_id__in=mentee_editions,
            audience_roles__in=(AudienceRoles.BOTH, AudienceRoles.MENTEES),
        )
        | Q(
            audience=Audience.EDITION,
            edition_id__in=mentor_editions,
            audience_roles__in=(AudienceRoles.BOTH, AudienceRoles.MENTORS),
        )
    )
    hosts = Q(organization_id__in=staff) | Q(co_hosts__in=staff)
    mine = Q(registrations__user=user)
    ids = Event.objects.filter(audience | hosts | mine).values("pk")
    return Event.objects.filter(pk__in=ids)
