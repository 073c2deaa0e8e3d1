"""Writes of events: creating and editing them, registering and cancelling, the waiting
list and its promotions, check-in at the door, feedback and contacts.

Every change to an event's places runs in a transaction holding the event's row lock
(`_locked_event`, ``SELECT … FOR UPDATE`` on PostgreSQL), so concurrent registrations
for the last places never over-book: the count of places held and the waiting list
position are read and written under that lock. Emails are queued after commit."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorat.accounts.models import User
from mentorat.audit.services import record
from mentorat.events import tasks
from mentorat.events.links import read_check_in_token
from mentorat.events.models import (
    HOLDS_PLACE,
    Audience,
    Contact,
    Event,
    EventFormat,
    Feedback,
    Registration,
    RegistrationStatus,
)
from mentorat.lib.errors import DomainError, Problems
from mentorat.organizations.models import Organization

EVENT_FIELDS = (
    "kind",
    "title",
    "description",
    "format",
    "place",
    "access_notes",
    "online_link",
    "starts_at",
    "ends_at",
    "capacity",
    "registration_deadline",
    "offer_hours",
    "audience",
    "audience_roles",
    "edition",
    "partnership",
)


def _check_event(event: Event) -> None:
    problems = Problems()
    if event.ends_at and event.starts_at and event.ends_at < event.starts_at:
        problems.add("ends_at", _("The end must come after the start."))
    if event.registration_deadline and event.registration_deadline > event.starts_at:
        problems.add(
            "registration_deadline", _("The registration deadline must be before the start.")
        )
    if event.format == EventFormat.ONLINE and not event.online_link:
        problems.add("online_link", _("An online event needs its link."))
    if event.format == EventFormat.IN_PERSON and not event.place:
        problems.add("place", _("An event in person needs its place."))
    if event.audience == Audience.EDITION:
        if event.edition is None:
            problems.add("edition", _("Choose the edition the event is for."))
        elif event.edition.program.organization_id != event.organization_id:
            problems.add("edition", _("Choose an edition of your organisation's programs."))
    if event.audience == Audience.PARTNERSHIP:
        partnership = event.partnership
        if partnership is None:
            problems.add("partnership", _("Choose the partnership the event is for."))
        elif event.organization_id not in (partnership.organization_id, partnership.partner_id):
            problems.add("partnership", _("Choose a partnership of your organisation."))
    problems.raise_if_any()


def _set_co_hosts(event: Event, co_hosts: Iterable[Organization]) -> None:
    event.co_hosts.set([org for org in co_hosts if org.pk != event.organization_id])


@transaction.atomic
def create_event(
    *,
    organization: Organization,
    actor: User,
    co_hosts: Iterable[Organization] = (),
    request: HttpRequest | None = None,
    **fields: Any,
) -> Event:
    """Create an event organised by `organization` (`fields`: `EVENT_FIELDS`)."""
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown event fields: {sorted(unknown)}")
    event = Event(organization=organization, created_by=actor, **fields)
    _check_event(event)
    event.save()
    _set_co_hosts(event, co_hosts)
    record(
        action="events.event.created",
        actor=actor,
        organization=organization,
        target=event,
        request=request,
    )
    return event


@transaction.atomic
def update_event(
    *,
    event: Event,
    actor: User,
    co_hosts: Iterable[Organization] | None = None,
    request: HttpRequest | None = None,
    **fields: Any,
) -> Event:
    """Change an event; a larger capacity offers the freed places to the waiting list."""
    event = _locked_event(event.pk)
    for name, value in fields.items():
        if name not in EVENT_FIELDS:
            raise TypeError(f"unknown event field: {name}")
        setattr(event, name, value)
    _check_event(event)
    event.save()
    if co_hosts is not None:
        _set_co_hosts(event, co_hosts)
    _offer_free_places(event)
    record(
        action="events.event.updated",
        actor=actor,
        organization=event.organization,
        target=event,
        request=request,
    )
    return event


def _locked_event(pk: int) -> Event:
    """The event, its row locked until the end of the transaction (call inside one)."""
    return Event.objects.select_for_update().select_related("organization").get(pk=pk)


def free_places(event: Event) -> int | None:
    """Places not held by anyone (None: no limit). Read under the event's lock to act on it."""
    if event.capacity is None:
        return None
    held = Registration.objects.filter(event=event, status__in=HOLDS_PLACE).count()
    return max(event.capacity - held, 0)


def _next_position(event: Event) -> int:
    top = Registration.objects.filter(event=event).aggregate(top=Max("position"))["top"]
    return (top or 0) + 1


def _email_after_commit(registration: Registration, occasion: str) -> None:
    key = f"{registration.pk}:{occasion}:{timezone.now().timestamp()}"
    transaction.on_commit(
        lambda: tasks.send_registration_email.enqueue(registration.pk, occasion, key)
    )


def _check_open(event: Event, *, now: datetime, by_coordinator: bool) -> None:
    if event.cancelled_at is not None:
        raise DomainError(_("This event was cancelled."))
    if event.ends_at <= now:
        raise DomainError(_("This event is over."))
    if (
        not by_coordinator
        and event.registration_deadline is not None
        and event.registration_deadline < now
    ):
        raise DomainError(_("Registrations for this event are closed."))


@transaction.atomic
def register(
    *,
    event: Event,
    user: User,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> Registration:
    """Register `user` (by themselves, or by a coordinator `actor`): a place if one is
    free, else the end of the waiting list. Registering again while registered changes
    nothing; after a cancellation it starts again. Holds the event's lock."""
    now = timezone.now()
    event = _locked_event(event.pk)
    by_coordinator = actor is not None and actor.pk != user.pk
    _check_open(event, now=now, by_coordinator=by_coordinator)
    registration = Registration.objects.filter(event=event, user=user).first()
    if registration is not None and registration.status != RegistrationStatus.CANCELLED:
        return registration
    places = free_places(event)
    has_place = places is None or places > 0
    status = RegistrationStatus.REGISTERED if has_place else RegistrationStatus.WAITLISTED
    if registration is None:
        registration = Registration(event=event, user=user)
    registration.status = status
    registration.position = _next_position(event)
    registration.registered_by = actor if by_coordinator else None
    registration.cancelled_at = None
    registration.offered_at = registration.offer_expires_at = None
    registration.save()
    record(
        action=f"events.registration.{status}",
        actor=actor or user,
        organization=event.organization,
        target=registration,
        request=request,
    )
    _email_after_commit(registration, status)
    return registration


@transaction.atomic
def cancel_registration(
    *, registration: Registration, actor: User, request: HttpRequest | None = None
) -> Registration:
    """Cancel a registration (or a place offered, or a place on the waiting list); a
    place freed is offered to the next person waiting."""
    event = _locked_event(registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        return registration
    if registration.attended:
        raise DomainError(_("This person attended: their registration cannot be cancelled."))
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.offer_expires_at = None
    registration.save(update_fields=["status", "cancelled_at", "offer_expires_at"])
    record(
        action="events.registration.cancelled",
        actor=actor,
        organization=event.organization,
        target=registration,
        request=request,
    )
    _offer_free_places(event)
    return registration


def _offer_free_places(event: Event) -> list[Registration]:
    """Offer each free place to the next person waiting, in order. Call while holding the
    event's lock. An offer lasts `event.offer_hours`, never beyond the start."""
    now = timezone.now()
    if event.cancelled_at is not None or event.starts_at <= now:
        return []
    places = free_places(event)
    waiting = Registration.objects.filter(event=event, status=RegistrationStatus.WAITLISTED)
    chosen = list(waiting.order_by("position", "pk")[:places] if places is not None else waiting)
    expires_at = min(now + timedelta(hours=event.offer_hours), event.starts_at)
    for registration in chosen:
        registration.status = RegistrationStatus.OFFERED
        registration.offered_at = now
        registration.offer_expires_at = expires_at
        registration.save(update_fields=["status", "offered_at", "offer_expires_at"])
        record(
            action="events.registration.offered",
            actor_label="mentorat",
            organization=event.organization,
            target=registration,
        )
        _email_after_commit(registration, RegistrationStatus.OFFERED)
    return chosen


@transaction.atomic
def confirm_offer(
    *, registration: Registration, user: User, request: HttpRequest | None = None
) -> Registration:
    """Take the place offered to `user`, before its deadline."""
    event = _locked_event(registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == RegistrationStatus.REGISTERED:
        return registration
    if registration.status != RegistrationStatus.OFFERED or (
        registration.offer_expires_at is not None
        and registration.offer_expires_at <= timezone.now()
    ):
        raise DomainError(_("This offer has expired: the place went to the next person."))
    registration.status = RegistrationStatus.REGISTERED
    registration.offer_expires_at = None
    registration.save(update_fields=["status", "offer_expires_at"])
    record(
        action="events.registration.confirmed",
        actor=user,
        organization=event.organization,
        target=registration,
        request=request,
    )
    _email_after_commit(registration, RegistrationStatus.REGISTERED)
    return registration


def expire_offers(*, now: datetime | None = None) -> int:
    """Cancel the offers whose deadline passed and offer those places to the next people
    waiting (periodic, idempotent). Returns how many offers expired."""
    now = now or timezone.now()
    expired = 0
    event_ids = set(
        Registration.objects.filter(
            status=RegistrationStatus.OFFERED, offer_expires_at__lte=now
        ).values_list("event_id", flat=True)
    )
    for event_id in sorted(event_ids):
        with transaction.atomic():
            event = _locked_event(event_id)
            stale = list(
                Registration.objects.select_for_update().filter(
                    event=event, status=RegistrationStatus.OFFERED, offer_expires_at__lte=now
                )
            )
            for registration in stale:
                registration.status = RegistrationStatus.CANCELLED
                registration.cancelled_at = now
                registration.save(update_fields=["status", "cancelled_at"])
                record(
                    action="events.registration.offer_expired",
                    actor_label="mentorat",
                    organization=event.organization,
                    target=registration,
                )
            expired += len(stale)
            _offer_free_places(event)
    return expired


@transaction.atomic
def check_in(
    *, event: Event, registration_id: int, actor: User, request: HttpRequest | None = None
) -> Registration:
    """Mark a registration of `event` as attended, once: checking in again (a retried
    request from a phone on a poor connection) changes nothing and succeeds."""
    registration = (
        Registration.objects.select_for_update()
        .select_related("user")
        .filter(pk=registration_id, event=event)
        .first()
    )
    if registration is None:
        raise DomainError(_("This registration is not for this event."))
    if registration.status == RegistrationStatus.CANCELLED:
        raise DomainError(
            _("%(name)s cancelled their registration.") % {"name": registration.user.display_name}
        )
    if registration.attended:
        return registration
    registration.attended = True
    registration.checked_in_at = timezone.now()
    registration.checked_in_by = actor
    if registration.status != RegistrationStatus.REGISTERED:
        # Let in at the door from the waiting list: they hold a place now.
        registration.status = RegistrationStatus.REGISTERED
    registration.save(update_fields=["attended", "checked_in_at", "checked_in_by", "status"])
    record(
        action="events.registration.checked_in",
        actor=actor,
        organization=event.organization,
        target=registration,
        request=request,
    )
    return registration


def check_in_by_token(
    *, event: Event, token: str, actor: User, request: HttpRequest | None = None
) -> Registration:
    """`check_in` with the token read from a QR code."""
    registration_id = read_check_in_token(token, event_id=event.pk)
    if registration_id is None:
        raise DomainError(_("This code is not a registration for this event."))
    return check_in(event=event, registration_id=registration_id, actor=actor, request=request)


@transaction.atomic
def set_attendance(
    *,
    event: Event,
    registration_id: int,
    attended: bool,
    actor: User,
    request: HttpRequest | None = None,
) -> Registration:
    """Mark attendance from the list after the event (or undo a mistaken check-in)."""
    if attended:
        return check_in(event=event, registration_id=registration_id, actor=actor, request=request)
    registration = (
        Registration.objects.select_for_update().filter(pk=registration_id, event=event).first()
    )
    if registration is None:
        raise DomainError(_("This registration is not for this event."))
    if registration.attended:
        registration.attended = False
        registration.checked_in_at = None
        registration.checked_in_by = None
        registration.save(update_fields=["attended", "checked_in_at", "checked_in_by"])
        record(
            action="events.registration.absent",
            actor=actor,
            organization=event.organization,
            target=registration,
            request=request,
        )
    return registration


def _check_attended(registration: Registration) -> None:
    if not registration.attended:
        raise DomainError(_("Only the people who attended can do this."))


@transaction.atomic
def give_feedback(*, registration: Registration, rating: int, comment: str = "") -> Feedback:
    """Record (or change) an attendee's answer to the survey after the event."""
    _check_attended(registration)
    if not 1 <= rating <= 5:
        raise DomainError(_("Choose a rating from 1 to 5."))
    feedback, _created = Feedback.objects.update_or_create(
        registration=registration, defaults={"rating": rating, "comment": comment.strip()}
    )
    return feedback


@transaction.atomic
def add_contact(*, registration: Registration, met: User) -> Contact:
    """Record that the attendee met `met` at the event (another attendee)."""
    _check_attended(registration)
    if met.pk == registration.user_id:
        raise DomainError(_("Choose someone else than yourself."))
    if not Registration.objects.filter(
        event_id=registration.event_id, user=met, attended=True
    ).exists():
        raise DomainError(_("This person did not attend the event."))
    contact, _created = Contact.objects.get_or_create(registration=registration, met=met)
    return contact


@transaction.atomic
def request_introduction(*, contact: Contact, note: str = "") -> Contact:
    """Ask the coordinators to introduce the attendee again to someone they met."""
    if contact.introduction_requested_at is None:
        contact.introduction_requested_at = timezone.now()
        contact.introduction_note = note.strip()[:1000]
        contact.save(update_fields=["introduction_requested_at", "introduction_note"])
    return contact


@transaction.atomic
def mark_introduction_handled(*, contact: Contact, actor: User) -> Contact:
    """The coordinator made the introduction."""
    if contact.handled_at is None:
        contact.handled_at = timezone.now()
        contact.save(update_fields=["handled_at"])
        record(
            action="events.introduction.handled",
            actor=actor,
            organization=contact.registration.event.organization,
            target=contact,
        )
    return contact
