"""Mentor places reserved for a partner's mentees (issue 20): reads and the distribution.

A coordinator reserves, for an edition, part of an organisation's mentor places for the
mentees of a partner organisation (`PlaceReservation`: "12 of Nexalis's places for the
lycée"). The engine reserves places per mentor (`reserved_places`, `reserved_for`), so
each reservation is spread over that organisation's eligible mentors, in a fixed order
shown to the coordinator: mentors by application (oldest first), each giving all its free
places to the reservation until it is met; a mentor holds places of one reservation at
most. Mentees of the partner organisation carry the reservation's name (`partnerships`),
the only mentees its places go to. A reservation larger than the free places it can
find is applied in part and the shortfall shown.

In a run under review, the places a mentor holds for a partnership are counted the
engine's way (`matching_engine.reserved`): of its proposed mentees who belong to the
partner, the first ones by application hold the reserved places. Changes made by hand
keep that rule (`services.review`), and the run summary counts the places filled and
left empty from the current proposals (`run_figures`), so the page, the notes on each
pair and the CSV export say the same."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from matching_engine.messages import both
from mentorat.applications.models import Application
from mentorat.matching import pairs
from mentorat.matching.models import MatchRun, PlaceReservation, Proposal
from mentorat.matching.parameters import RunParameters
from mentorat.organizations.models import Organization, Partnership, PartnershipStatus
from mentorat.programs.models import Edition, ParticipantRole, Program


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

    @property
    def partner_name(self) -> str:
        p = self.reservation.partnership
        return p.partner.name if p.partner_id == self.partner_id else p.organization.name


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


# Reserved places in a run under review -------------------------------------------------------

#: The explanation note of a mentee holding a reserved place (no points).
NOTE_CODE = "reserved_place"


@dataclass(frozen=True)
class Holding:
    """The places one mentor holds for a partnership in a run, out of its `capacity`:
    the places it had free when the run read the edition."""

    share: Share
    places: int
    capacity: int

    @property
    def open(self) -> int:
        """Places open to anyone."""
        return self.capacity - self.places


@dataclass(frozen=True)
class Figure:
    """One line of the run summary: a partnership's reserved places, how many the current
    proposals fill and how many stay empty."""

    partnership: str
    places: int
    filled: int

    @property
    def empty(self) -> int:
        return self.places - self.filled


def run_holdings(run: MatchRun) -> dict[int, Holding]:
    """Per mentor application id, the places it holds for a partnership in `run`: the
    edition's reservations spread as the run spread them (`distribute` over the mentors'
    free places, read as the run reads them). One query when nothing is reserved, a
    fixed number otherwise."""
    # `inputs` builds on this module: imported here to keep the import graph acyclic.
    from mentorat.matching.inputs import accepted, mentor_capacities

    rows = reservations_of(run.edition)
    if not rows:
        return {}
    parameters = RunParameters.from_json(run.parameters)
    _paired, used = pairs.active_load(edition=run.edition)
    capacities = mentor_capacities(edition=run.edition, default=parameters.default_capacity)
    mentors = accepted(run.edition, ParticipantRole.MENTOR).filter(pk__in=list(capacities))
    free = {pk: capacities[pk] - used.get(pk, 0) for pk in mentors.values_list("pk", flat=True)}
    orgs = dict(mentors.values_list("pk", "organization_id"))
    shares = distribute(rows, [(pk, orgs[pk], places) for pk, places in free.items()])
    return {
        pk: Holding(share, places, free[pk])
        for share in shares
        for pk, places in share.given.items()
    }


def holders(holding: Holding, mentees: Iterable[tuple[int, int | None]]) -> set[int]:
    """Which of a mentor's mentees (application id, organisation id) hold its reserved
    places: the partner's mentees, first by application, up to the places reserved."""
    members = sorted(pk for pk, org in mentees if org == holding.share.partner_id)
    return set(members[: holding.places])


def open_places(holding: Holding, mentees: Iterable[tuple[int, int | None]]) -> int:
    """Places of the mentor still open to a mentee outside the partnership, given its
    proposed `mentees` (application id, organisation id): its open places, less those its
    mentees take (the partner's mentees beyond its reserved places use open places too)."""
    taken = list(mentees)
    outside = len(taken) - len(holders(holding, taken))
    return holding.capacity - holding.places - outside


def reserved_refusal(
    *,
    run: MatchRun,
    mentee_id: int,
    mentor_id: int,
    holdings: dict[int, Holding] | None = None,
    leaving: int | None = None,
) -> str | None:
    """Why `mentor_id` cannot take `mentee_id` in `run`: its places left are reserved for
    a partnership she is not part of (None when she may take a place, as far as
    reservations go). `leaving`: the mentor's mentee who gives up her place in a swap;
    `holdings`: `run_holdings(run)` when the caller has it."""
    holding = (run_holdings(run) if holdings is None else holdings).get(mentor_id)
    if holding is None:
        return None
    mentee_org = (
        Application.objects.filter(pk=mentee_id).values_list("organization_id", flat=True).first()
    )
    if mentee_org == holding.share.partner_id:
        return None  # the partner's mentee may take a reserved place as well as an open one
    rows = Proposal.objects.filter(run=run, mentor_id=mentor_id).exclude(mentee_id=mentee_id)
    if leaving is not None:
        rows = rows.exclude(mentee_id=leaving)
    if open_places(holding, rows.values_list("mentee_id", "mentee__organization_id")) >= 1:
        return None
    mentor = Application.objects.select_related("user").get(pk=mentor_id)
    return _(
        "%(mentor)s has no open place left: their remaining places are reserved for "
        "the partnership %(partnership)s and go only to mentees of %(partner)s."
    ) % {
        "mentor": mentor.user.display_name,
        "partnership": holding.share.name,
        "partner": holding.share.partner_name,
    }


def note(holding: Holding) -> dict[str, Any]:
    """The explanation note "Place réservée au partenariat X", as the engine writes it."""
    fr, en = both(NOTE_CODE, name=holding.share.name)
    return {"code": NOTE_CODE, "points": 0.0, "fr": fr, "en": en}


def run_figures(*, run: MatchRun) -> list[Figure]:
    """The run summary's reserved places, counted on the run's current proposals (changes
    made by hand included), in a fixed number of queries whatever the run's size."""
    holdings = run_holdings(run)
    if not holdings:
        return []
    mentees: dict[int, list[tuple[int, int | None]]] = {pk: [] for pk in holdings}
    for mentor_id, mentee_id, org in Proposal.objects.filter(
        run=run, mentor_id__in=list(holdings)
    ).values_list("mentor_id", "mentee_id", "mentee__organization_id"):
        mentees[mentor_id].append((mentee_id, org))
    places: dict[str, int] = {}
    filled: dict[str, int] = {}
    for pk, holding in holdings.items():
        name = holding.share.name
        places[name] = places.get(name, 0) + holding.places
        filled[name] = filled.get(name, 0) + len(holders(holding, mentees[pk]))
    return [Figure(name, places[name], filled[name]) for name in places]
