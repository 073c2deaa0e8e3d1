"""Networking events and opportunities, read as their pages show them: the events the
key's creator may see (`visible_events`, `access_event`), the opportunities their
organisation offers (`can_manage_opportunities`) or they may see (`access_opportunity`)."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router
from ninja.decorators import decorate_view

from mentorat.api.auth import acting
from mentorat.api.conditional import conditional
from mentorat.api.endpoints.common import DEFAULT, Cursor, Limit, Pk, reads
from mentorat.api.models import Scope
from mentorat.api.pagination import page
from mentorat.api.schemas import (
    EventDetailOut,
    EventOut,
    EventPage,
    OpportunityOut,
    OpportunityPage,
)
from mentorat.events.models import Event, EventKind
from mentorat.opportunities import selectors as opportunity_selectors
from mentorat.opportunities.models import Opportunity, OpportunityKind, OpportunityStatus
from mentorat.permissions import require
from mentorat.permissions.events import access_event, can_see_online_link, visible_events
from mentorat.permissions.opportunities import access_opportunity, can_manage_opportunities
from mentorat.permissions.organizations import access_organization

router = Router(tags=["events and opportunities"])


def _event(event: Event) -> EventOut:
    return EventOut(
        id=event.pk,
        organization=event.organization.slug,
        # Prefetched: `co_hosts.all()` reads no row of its own.
        co_hosts=sorted(org.slug for org in event.co_hosts.all()),
        kind=event.kind,
        title=event.title,
        description=event.description,
        format=event.format,
        place=event.place,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        capacity=event.capacity,
        registration_deadline=event.registration_deadline,
        audience=event.audience,
        audience_roles=event.audience_roles,
        edition_id=event.edition_id,
        cancelled_at=event.cancelled_at,
    )


@router.get("/events", response=reads(EventPage), url_name="event_list")
@decorate_view(conditional)
def event_list(
    request: HttpRequest,
    cursor: Cursor = None,
    limit: Limit = DEFAULT,
    when: Literal["upcoming", "past"] | None = None,
    kind: EventKind | None = None,
) -> dict[str, object]:
    """The events the key's creator may see, as on the events page (their organisation's,
    those of its partnerships and editions, public ones); the online link is given by
    `event_detail` only."""
    user = acting(request, Scope.READ)
    events = visible_events(user).select_related("organization").prefetch_related("co_hosts")
    now: datetime = timezone.now()
    if when == "upcoming":
        events = events.filter(ends_at__gte=now)
    elif when == "past":
        events = events.filter(ends_at__lt=now)
    if kind:
        events = events.filter(kind=kind)
    return page(
        events,
        cursor=cursor,
        limit=limit,
        serialize=lambda rows: [_event(e) for e in rows],
    )


@router.get("/events/{pk}", response=reads(EventDetailOut), url_name="event_detail")
@decorate_view(conditional)
def event_detail(request: HttpRequest, pk: Pk) -> EventDetailOut:
    user = acting(request, Scope.READ)
    event = access_event(user, pk)
    link = event.online_link if can_see_online_link(user, event) else None
    return EventDetailOut(**_event(event).model_dump(), online_link=link or None)


def _opportunity(opportunity: Opportunity) -> OpportunityOut:
    return OpportunityOut(
        id=opportunity.pk,
        organization=opportunity.organization.slug,
        kind=opportunity.kind,
        title=opportunity.title,
        field=opportunity.field,
        rome_domain=opportunity.rome_domain,
        place=opportunity.place,
        starts_on=opportunity.starts_on,
        ends_on=opportunity.ends_on,
        deadline=opportunity.deadline,
        places=opportunity.places,
        description=opportunity.description,
        status=opportunity.status,
        published_at=opportunity.published_at,
        created_at=opportunity.created_at,
    )


@router.get("/opportunities", response=reads(OpportunityPage), url_name="opportunity_list")
@decorate_view(conditional)
def opportunity_list(
    request: HttpRequest,
    cursor: Cursor = None,
    limit: Limit = DEFAULT,
    status: OpportunityStatus | None = None,
    kind: OpportunityKind | None = None,
) -> dict[str, object]:
    """The opportunities the key's organisation offers, drafts included, as on its
    staff's page of offers."""
    user = acting(request, Scope.READ)
    key_org = request.auth.organization  # type: ignore[attr-defined]
    organization = access_organization(user, key_org.slug, request=request)
    require(can_manage_opportunities(user, organization))
    offers = opportunity_selectors.offers_of(organization).select_related("organization")
    if status:
        offers = offers.filter(status=status)
    if kind:
        offers = offers.filter(kind=kind)
    return page(
        offers,
        cursor=cursor,
        limit=limit,
        serialize=lambda rows: [_opportunity(o) for o in rows],
    )


@router.get("/opportunities/{pk}", response=reads(OpportunityOut), url_name="opportunity_detail")
@decorate_view(conditional)
def opportunity_detail(request: HttpRequest, pk: Pk) -> OpportunityOut:
    """An opportunity the key's creator may see: their organisation's (drafts too), or
    one offered to their organisation's people."""
    user = acting(request, Scope.READ)
    return _opportunity(access_opportunity(user, pk))
