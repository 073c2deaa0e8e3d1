"""Reads for the partnership pages: the directory of approved organisations, an
organisation's partnerships, and each agreement's commitments against what happened.

What happened is counted from the platform's own records, per side: mentors and mentees
of that organisation whose application to an edition in the agreement's scope was
accepted (enrolled) and, of those, the ones in an active pair (matched). Internships,
alternance places and tutored projects are the places that side offered the other on the
opportunities board (`mentorat.opportunities`) in the period, and those filled (accepted
candidates); class interventions are the other side's requests to it, and those
filled. Events have no record yet: they are shown as not tracked, never as zero."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from mentorat.applications.models import Application, ApplicationStatus
from mentorat.lib.small_groups import HIDDEN, is_small
from mentorat.mentorships.models import MentorshipStatus
from mentorat.opportunities.models import (
    Candidacy,
    CandidacyStatus,
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
)
from mentorat.organizations.models import (
    ApprovalStatus,
    Organization,
    Partnership,
    PartnershipStatus,
)
from mentorat.partnerships.models import Agreement, CommitmentKind
from mentorat.programs.models import Edition, ParticipantRole

# Kinds counted from the platform's records, and the role of the people they count.
TRACKED: dict[str, str] = {
    CommitmentKind.MENTORS: ParticipantRole.MENTOR,
    CommitmentKind.MENTEES: ParticipantRole.MENTEE,
}
# Kinds counted from the opportunities board, and the kind of opportunity they count.
OPPORTUNITY_KINDS: dict[str, str] = {
    CommitmentKind.INTERNSHIPS: OpportunityKind.INTERNSHIP,
    CommitmentKind.ALTERNANCE: OpportunityKind.ALTERNANCE,
    CommitmentKind.TUTORED_PROJECTS: OpportunityKind.TUTORED_PROJECT,
    CommitmentKind.CLASS_INTERVENTIONS: OpportunityKind.CLASS_INTERVENTION,
}
# A class intervention is requested by the school and given by the committed side.
REQUESTED_BY_PARTNER = frozenset({OpportunityKind.CLASS_INTERVENTION})
# Coordinators are reminded of commitments behind schedule this many days before the
# matching date of an edition in the agreement's scope.
REMINDER_DAYS = 21


def directory(
    *, exclude: Organization, search: str = "", kind: str = "", city: str = ""
) -> QuerySet[Organization]:
    """Approved organisations other than `exclude`, by name, kind and city."""
    found = Organization.objects.filter(approval_status=ApprovalStatus.APPROVED).exclude(
        pk=exclude.pk
    )
    if search:
        found = found.filter(name__icontains=search)
    if kind:
        found = found.filter(kind=kind)
    if city:
        found = found.filter(city__icontains=city)
    return found.order_by("name")


def partnerships_of(*, organization: Organization) -> QuerySet[Partnership]:
    """Every partnership of `organization`, either side, proposals first."""
    return (
        Partnership.objects.filter(Q(organization=organization) | Q(partner=organization))
        .select_related("organization", "partner")
        .order_by("status", "-started_on")
    )


def live_partner_ids(*, organization: Organization) -> set[int]:
    """Organisations with a proposal or an active partnership with `organization`."""
    rows = Partnership.objects.filter(
        Q(organization=organization) | Q(partner=organization),
        status__in=(PartnershipStatus.PROPOSED, PartnershipStatus.ACTIVE),
    ).values_list("organization_id", "partner_id")
    return {pk for pair in rows for pk in pair} - {organization.pk}


def school_year_of(day: date) -> int:
    """The first year of the school year `day` falls in (September to August)."""
    return day.year if day.month >= 9 else day.year - 1


def editions_for_agreement(partnership: Partnership) -> QuerySet[Edition]:
    """Editions an agreement of `partnership` may be about: those of both sides' programs."""
    return (
        Edition.objects.filter(
            program__organization__in=[partnership.organization_id, partnership.partner_id]
        )
        .select_related("program")
        .order_by("-starts_on")
    )


@dataclass(frozen=True)
class Line:
    """One commitment of one side against what happened."""

    kind: str
    label: str
    pledged: int
    tracked: bool
    enrolled: int = 0
    matched: int = 0
    # False when `enrolled` counts places offered, not people (an opportunity line):
    # such a figure singles nobody out and is always shown; `matched` (filled) counts
    # people either way.
    counts_people: bool = True

    @staticmethod
    def _shown(n: int) -> str:
        return HIDDEN if is_small(n) else str(n)

    @property
    def hidden(self) -> bool:
        return self.counts_people and is_small(self.enrolled)

    @property
    def enrolled_display(self) -> str:
        if not self.tracked:
            return _("not tracked yet")
        return self._shown(self.enrolled) if self.counts_people else str(self.enrolled)

    @property
    def matched_display(self) -> str:
        return self._shown(self.matched) if self.tracked else "—"

    @property
    def reached(self) -> bool:
        return self.tracked and self.enrolled >= self.pledged

    @property
    def share(self) -> int | None:
        """Enrolled as a share of the pledge (0–100), None when not shown."""
        if not self.tracked or self.hidden or not self.pledged:
            return None
        return min(100, round(100 * self.enrolled / self.pledged))


@dataclass
class Side:
    organization: Organization
    lines: list[Line] = field(default_factory=list)
    signature: object | None = None


@dataclass
class AgreementProgress:
    agreement: Agreement
    editions: list[Edition]
    sides: list[Side]

    @property
    def next_matching_on(self) -> date | None:
        return min((e.matching_on for e in self.editions), default=None)

    @property
    def signed(self) -> bool:
        return all(side.signature is not None for side in self.sides)

    def behind(self, *, today: date) -> list[tuple[Organization, Line]]:
        """Tracked commitments not yet met while a matching date is at most
        `REMINDER_DAYS` ahead (not past)."""
        upcoming = [
            e for e in self.editions if today <= e.matching_on <= today + timedelta(REMINDER_DAYS)
        ]
        if not upcoming:
            return []
        return [
            (side.organization, line)
            for side in self.sides
            for line in side.lines
            if line.tracked and not line.reached
        ]


def _scope(agreement: Agreement, editions: list[Edition]) -> list[Edition]:
    if agreement.edition_id is not None:
        return [e for e in editions if e.pk == agreement.edition_id]
    return [e for e in editions if school_year_of(e.starts_on) == agreement.school_year]


@dataclass(frozen=True)
class OfferRow:
    """One opportunity offered by `organization_id` to the organisations in `to` (its
    audience organisations and the owners of its audience programs), published in school
    year `year`, with its accepted candidates and the outcomes recorded from them."""

    pk: int
    organization_id: int
    to: frozenset[int]
    kind: str
    title: str
    places: int
    year: int
    candidates: int
    filled: int
    outcomes: int


def offer_rows(*, organization_ids: set[int]) -> list[OfferRow]:
    """Published (or closed) opportunities of `organization_ids`, in four queries
    whatever their number."""
    opportunities = list(
        Opportunity.objects.filter(
            organization_id__in=organization_ids,
            status__in=(OpportunityStatus.PUBLISHED, OpportunityStatus.CLOSED),
        ).values("pk", "organization_id", "kind", "title", "places", "starts_on", "published_at")
    )
    ids = [row["pk"] for row in opportunities]
    audience: dict[int, set[int]] = defaultdict(set)
    for opportunity_id, org_id in Opportunity.audience_organizations.through.objects.filter(
        opportunity_id__in=ids
    ).values_list("opportunity_id", "organization_id"):
        audience[opportunity_id].add(org_id)
    for opportunity_id, org_id in Opportunity.audience_programs.through.objects.filter(
        opportunity_id__in=ids
    ).values_list("opportunity_id", "program__organization_id"):
        audience[opportunity_id].add(org_id)
    counts = {
        row["opportunity_id"]: row
        for row in Candidacy.objects.filter(opportunity_id__in=ids)
        .values("opportunity_id")
        .annotate(
            candidates=Count("id"),
            filled=Count("id", filter=Q(status=CandidacyStatus.ACCEPTED)),
            outcomes=Count("id", filter=Q(outcome__isnull=False)),
        )
    }
    rows = []
    for row in opportunities:
        # Offered in the school year it was published (its start may fall in the next).
        day = (row["published_at"] and localdate(row["published_at"])) or row["starts_on"]
        found = counts.get(row["pk"], {})
        rows.append(
            OfferRow(
                pk=row["pk"],
                organization_id=row["organization_id"],
                to=frozenset(audience[row["pk"]] - {row["organization_id"]}),
                kind=row["kind"],
                title=row["title"],
                places=row["places"],
                year=school_year_of(day or localdate()),
                candidates=found.get("candidates", 0),
                filled=found.get("filled", 0),
                outcomes=found.get("outcomes", 0),
            )
        )
    return rows


def _years(agreement: Agreement, scope: list[Edition]) -> set[int]:
    if agreement.school_year is not None:
        return {agreement.school_year}
    return {school_year_of(e.starts_on) for e in scope}


def _offered(
    rows: list[OfferRow], *, side: int, other: int, kind: str, years: set[int]
) -> tuple[int, int]:
    """Places offered and filled for a commitment of `side` of `kind`."""
    giver, receiver = (other, side) if kind in REQUESTED_BY_PARTNER else (side, other)
    offered = filled = 0
    for row in rows:
        if (
            row.kind == kind
            and row.organization_id == giver
            and receiver in row.to
            and row.year in years
        ):
            offered, filled = offered + row.places, filled + row.filled
    return offered, filled


def agreements_progress(*, agreements: QuerySet[Agreement]) -> list[AgreementProgress]:
    """Each agreement with its commitments against what happened, in a constant number
    of queries whatever the number of agreements, editions and people."""
    agreements_list = list(
        agreements.select_related(
            "partnership__organization", "partnership__partner", "edition__program"
        )
        .prefetch_related("commitments", "signatures")
        .order_by("-school_year", "-created_at")
    )
    org_ids = {
        pk
        for a in agreements_list
        for pk in (a.partnership.organization_id, a.partnership.partner_id)
    }
    editions = list(
        Edition.objects.filter(program__organization__in=org_ids).select_related("program")
    )
    scopes = {a.pk: _scope(a, editions) for a in agreements_list}
    edition_ids = {e.pk for scope in scopes.values() for e in scope}
    counts: dict[tuple[int, int, str], tuple[int, int]] = {}
    active = MentorshipStatus.ACTIVE
    rows = (
        Application.objects.filter(
            edition_id__in=edition_ids,
            organization_id__in=org_ids,
            status=ApplicationStatus.ACCEPTED,
        )
        .values("edition_id", "organization_id", "role")
        .annotate(
            enrolled=Count("id", distinct=True),
            matched=Count(
                "id",
                distinct=True,
                filter=Q(mentorships_as_mentor__status=active)
                | Q(mentorships_as_mentee__status=active),
            ),
        )
    )
    for row in rows:
        counts[(row["edition_id"], row["organization_id"], row["role"])] = (
            row["enrolled"],
            row["matched"],
        )
    offers = offer_rows(organization_ids=org_ids) if agreements_list else []
    result = []
    for agreement in agreements_list:
        partnership = agreement.partnership
        pledges: dict[int, dict[str, int]] = defaultdict(dict)
        for commitment in agreement.commitments.all():
            pledges[commitment.organization_id][commitment.kind] = commitment.quantity
        signatures = {s.organization_id: s for s in agreement.signatures.all()}
        sides = []
        years = _years(agreement, scopes[agreement.pk])
        for organization in (partnership.organization, partnership.partner):
            other = (
                partnership.partner
                if organization == partnership.organization
                else partnership.organization
            )
            lines = []
            for kind, quantity in pledges[organization.pk].items():
                role = TRACKED.get(kind)
                offer_kind = OPPORTUNITY_KINDS.get(kind)
                enrolled = matched = 0
                for edition in scopes[agreement.pk] if role else ():
                    e, m = counts.get((edition.pk, organization.pk, role or ""), (0, 0))
                    enrolled, matched = enrolled + e, matched + m
                if offer_kind is not None:
                    enrolled, matched = _offered(
                        offers, side=organization.pk, other=other.pk, kind=offer_kind, years=years
                    )
                lines.append(
                    Line(
                        kind=kind,
                        label=str(CommitmentKind(kind).label),
                        pledged=quantity,
                        tracked=role is not None or offer_kind is not None,
                        enrolled=enrolled,
                        matched=matched,
                        counts_people=offer_kind is None,
                    )
                )
            lines.sort(key=lambda line: list(CommitmentKind.values).index(line.kind))
            sides.append(Side(organization, lines, signatures.get(organization.pk)))
        result.append(AgreementProgress(agreement, scopes[agreement.pk], sides))
    return result
