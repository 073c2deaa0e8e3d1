"""Mentor places reserved for a partner's mentees (issue 20): reads and the distribution.

A coordinator reserves, for an edition, part of an organisation's mentor places for the
mentees of a partner organisation (`PlaceReservation`: "12 of Nexalis's places for the
lycée"). The engine reserves places per mentor (`reserved_places`, `reserved_for`), so
each reservation is spread over that organisation's eligible mentors, in a fixed order
shown to the coordinator: mentors by application (oldest first), each giving all its free
places to the reservation until it is met; a mentor holds places of one reservation at
most. Mentees of the partner organisation carry the reservation's name (`partnerships`),
the only mentees its places go to. A reservation larger than the free places it can
find is applied in part and the shortfall shown."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from mentorat.matching.models import PlaceReservation
from mentorat.organizations.models import Organization, Partnership, PartnershipStatus
from mentorat.programs.models import Edition, Program


@dataclass(frozen=True)
class Share:
    """How one reservation is spread: `given` maps mentor application ids to places."""

    reservation: PlaceReservation
    given: dict[int, int] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The partnership's name in the engine, in explanations and in the summary."""
        return reservation_name(self.reservation)

    @property
    def partner_id(self) -> int:
        """The organisation whose mentees the places are for."""
        return mentee_side(self.reservation)

    @property
    def placed(self) -> int:
        return sum(self.given.values())

    @property
    def shortfall(self) -> int:
        return max(self.reservation.places - self.placed, 0)


def mentee_side(reservation: PlaceReservation) -> int:
    """Id of the partnership's other side: the organisation whose mentees get the places."""
    p = reservation.partnership
    return (
        p.partner_id
        if p.organization_id == reservation.mentor_organization_id
        else p.organization_id
    )


def reservation_name(reservation: PlaceReservation) -> str:
    """ "Nexalis – Lycée Rabelais": the organisation giving places, then the one receiving
    them (two reservations of one partnership, one each way, keep apart)."""
    p = reservation.partnership
    sides = {p.organization_id: p.organization.name, p.partner_id: p.partner.name}
    return f"{sides[reservation.mentor_organization_id]} – {sides[mentee_side(reservation)]}"


def reservations_of(edition: Edition) -> list[PlaceReservation]:
    """The edition's reservations, oldest first, with both sides' names (one query)."""
    return list(
        PlaceReservation.objects.filter(edition=edition)
        .select_related("partnership__organization", "partnership__partner")
        .order_by("pk")
    )


def distribute(
    reservations: Sequence[PlaceReservation], mentors: Iterable[tuple[int, int | None, int]]
) -> list[Share]:
    """Spread each reservation over its organisation's mentors. `mentors`: (application id,
    organisation id, free places) of the eligible mentors. Deterministic: reservations in
    their order, mentors by application id."""
    free = sorted((pk, org, places) for pk, org, places in mentors if places > 0)
    taken: set[int] = set()
    shares = []
    for reservation in reservations:
        left = reservation.places
        given: dict[int, int] = {}
        for pk, org, places in free:
            if left == 0:
                break
            if org != reservation.mentor_organization_id or pk in taken:
                continue
            given[pk] = min(places, left)
            left -= given[pk]
            taken.add(pk)
        shares.append(Share(reservation, given))
    return shares


def partnerships_for(program: Program, shared_ids: Iterable[int]) -> QuerySet[Partnership]:
    """Active partnerships of the program's organisation or of the organisations it is
    shared with: those a coordinator can reserve places for."""
    ids = {program.organization_id, *shared_ids}
    return (
        Partnership.objects.filter(status=PartnershipStatus.ACTIVE)
        .filter(Q(organization_id__in=ids) | Q(partner_id__in=ids))
        .select_related("organization", "partner")
        .order_by("organization__name", "partner__name", "pk")
    )


def sides(partnership: Partnership) -> list[tuple[Organization, Organization]]:
    """(organisation giving places, organisation whose mentees get them), both ways."""
    return [
        (partnership.organization, partnership.partner),
        (partnership.partner, partnership.organization),
    ]
