"""Events and opportunities through the API: what each key's creator holds in the lists
(as on the pages), the online link kept to the hosts and registered people, filters,
cursor pages and ETags."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mentorat.events.models import Audience, Event, EventKind, Registration, RegistrationStatus
from mentorat.opportunities.models import Opportunity, OpportunityStatus
from tests.api.helpers import call, key_for
from tests.opportunities.permission_cases import offer_of_c

pytestmark = pytest.mark.django_db


def _event(organization, title: str, *, days: int = 3, audience=Audience.ORGANIZATION, **extra):
    start = timezone.now() + timedelta(days=days)
    return Event.objects.create(
        organization=organization,
        title=title,
        kind=EventKind.KICK_OFF,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        audience=audience,
        created_by=extra.pop("created_by"),
        **extra,
    )


def _status(client, path: str, user, organization) -> int:
    return call(client, "get", path, key=key_for(user, organization)).status_code


def _titles(response) -> list[str]:
    assert response.status_code == 200, response.content[:300]
    return [item["title"] for item in response.json()["items"]]


def test_the_event_list_holds_what_the_events_page_shows(cast, client):
    coming = _event(cast.org_a, "Lancement A", created_by=cast.coordinator_a)
    _event(cast.org_a, "Bilan A", days=-10, created_by=cast.coordinator_a)
    _event(cast.org_b, "Interne B", created_by=cast.coordinator_b)
    _event(cast.org_b, "Forum public B", audience=Audience.PUBLIC, created_by=cast.coordinator_b)
    key = key_for(cast.admin_a, cast.org_a)

    assert sorted(_titles(call(client, "get", "/events", key=key))) == [
        "Bilan A",
        "Forum public B",
        "Lancement A",
    ]
    assert _titles(call(client, "get", "/events?when=past", key=key)) == ["Bilan A"]
    assert "Bilan A" not in _titles(call(client, "get", "/events?when=upcoming", key=key))
    assert _titles(call(client, "get", "/events?kind=workshop", key=key)) == []
    assert call(client, "get", "/events?kind=party", key=key).status_code == 422
    # B's coordinator: B's events only, A's are not even hinted at.
    b_titles = _titles(call(client, "get", "/events", key=key_for(cast.coordinator_b, cast.org_b)))
    assert sorted(b_titles) == ["Forum public B", "Interne B"]
    assert (
        call(
            client, "get", f"/events/{coming.pk}", key=key_for(cast.coordinator_b, cast.org_b)
        ).status_code
        == 404
    )

    # Cursor pages: one at a time, none skipped or repeated.
    seen, cursor = [], None
    while True:
        page = call(
            client, "get", f"/events?limit=1{f'&cursor={cursor}' if cursor else ''}", key=key
        )
        seen += _titles(page)
        cursor = page.json()["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == ["Bilan A", "Forum public B", "Lancement A"]
    first = call(client, "get", "/events", key=key)
    again = call(client, "get", "/events", key=key, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304


def test_the_online_link_is_for_hosts_and_people_holding_a_place(cast, client):
    event = _event(
        cast.org_a,
        "Visio",
        format="online",
        online_link="https://visio.example.org/a",
        created_by=cast.coordinator_a,
    )
    path = f"/events/{event.pk}"

    hosts = call(client, "get", path, key=key_for(cast.coordinator_a, cast.org_a))
    assert hosts.json()["online_link"] == "https://visio.example.org/a"
    mentee_key = key_for(cast.mentee, cast.org_a)
    assert call(client, "get", path, key=mentee_key).json()["online_link"] is None
    Registration.objects.create(event=event, user=cast.mentee, status=RegistrationStatus.REGISTERED)
    assert (
        call(client, "get", path, key=mentee_key).json()["online_link"]
        == "https://visio.example.org/a"
    )
    # Not in the list: one rule per row would cost a query per row.
    assert "online_link" not in call(client, "get", "/events", key=mentee_key).json()["items"][0]


def test_opportunities_for_their_audience_and_their_organisation(cast, client):
    offer = offer_of_c(cast)  # C's internship for A's mentees
    Opportunity.objects.create(
        organization=cast.org_c,
        kind="internship",
        title="Brouillon C",
        deadline=timezone.localdate() + timedelta(days=10),
    )
    path = f"/opportunities/{offer.pk}"

    # Its audience sees it; A's member with no role, and B, cannot tell it exists.
    assert call(client, "get", path, key=key_for(cast.mentee, cast.org_a)).status_code == 200
    assert (
        call(client, "get", path, key=key_for(cast.member_no_role, cast.org_a)).status_code == 404
    )
    assert call(client, "get", path, key=key_for(cast.coordinator_b, cast.org_b)).status_code == 404
    # C's staff list C's offers, drafts included; filtered by status.
    c_key = key_for(cast.partner_coordinator, cast.org_c)
    assert sorted(_titles(call(client, "get", "/opportunities", key=c_key))) == [
        "Brouillon C",
        "Stage comptabilité",
    ]
    published = call(client, "get", "/opportunities?status=published", key=c_key)
    assert _titles(published) == ["Stage comptabilité"]
    assert published.json()["items"][0]["organization"] == cast.org_c.slug
    assert call(client, "get", "/opportunities?status=nope", key=c_key).status_code == 422
    # A's staff offer nothing themselves: C's offer is not A's to list.
    assert (
        _titles(call(client, "get", "/opportunities", key=key_for(cast.admin_a, cast.org_a))) == []
    )
    # The mentee is no staff: the offers list is refused (403), as the page is.
    assert (
        call(client, "get", "/opportunities", key=key_for(cast.mentee, cast.org_a)).status_code
        == 403
    )
    assert Opportunity.objects.get(title="Brouillon C").status == OpportunityStatus.DRAFT
