"""Reads for the opportunities board: what a person may apply to, the candidacies she
sent and those of her mentees, an organisation's offers and their candidates. Each list
is read in a constant number of queries whatever its length."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from mentorat.accounts.models import User
from mentorat.opportunities.models import (
    Candidacy,
    CandidacyStatus,
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
)
from mentorat.organizations.models import Organization
from mentorat.permissions.opportunities import audience_filter, mentees_of
from mentorat.programs.models import ParticipantRole


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    rome_domain: str = ""
    place: str = ""
    deadline_before: date | None = None


def _filtered(found: QuerySet[Opportunity], filters: Filters) -> QuerySet[Opportunity]:
    if filters.kind:
        found = found.filter(kind=filters.kind)
    if filters.rome_domain:
        found = found.filter(rome_domain=filters.rome_domain)
    if filters.place:
        found = found.filter(place__icontains=filters.place)
    if filters.deadline_before:
        found = found.filter(deadline__lte=filters.deadline_before)
    return found


def open_for(
    user: User, filters: Filters | None = None, *, today: date | None = None
) -> QuerySet[Opportunity]:
    """Published opportunities `user` may apply to whose deadline is not past (`today`:
    the local date by default): as a mentee, all but class intervention requests; as a
    mentor, those requests."""
    as_mentee = audience_filter(user, role=ParticipantRole.MENTEE) & ~Q(
        kind=OpportunityKind.CLASS_INTERVENTION
    )
    as_mentor = audience_filter(user, role=ParticipantRole.MENTOR) & Q(
        kind=OpportunityKind.CLASS_INTERVENTION
    )
    ids = Opportunity.objects.filter(as_mentee | as_mentor).values("pk")
    found = Opportunity.objects.filter(
        pk__in=ids,
        status=OpportunityStatus.PUBLISHED,
        deadline__gte=today or timezone.localdate(),
    ).select_related("organization")
    return _filtered(found, filters or Filters()).order_by("deadline", "pk")


def candidacies_of(user: User) -> QuerySet[Candidacy]:
    return Candidacy.objects.filter(candidate=user).select_related(
        "opportunity__organization", "recommended_by"
    )


def candidacies_of_mentees(mentor: User) -> QuerySet[Candidacy]:
    """Candidacies of the mentees of `mentor`'s active pairs, to recommend them."""
    return (
        Candidacy.objects.filter(candidate__in=mentees_of(mentor).values("pk"))
        .select_related("opportunity__organization", "candidate", "recommended_by")
        .order_by("-created_at")
    )


def offers_of(organization: Organization) -> QuerySet[Opportunity]:
    """The organisation's opportunities with their candidacy counts (`awaiting`: new
    candidacies nobody has answered yet)."""
    return (
        Opportunity.objects.filter(organization=organization)
        .annotate(
            candidates=Count("candidacies"),
            accepted=Count("candidacies", filter=Q(candidacies__status=CandidacyStatus.ACCEPTED)),
            awaiting=Count("candidacies", filter=Q(candidacies__status=CandidacyStatus.INTERESTED)),
        )
        .order_by("-created_at")
    )


def candidates_of(opportunity: Opportunity) -> QuerySet[Candidacy]:
    """Recommended candidates first, then by date."""
    return (
        Candidacy.objects.filter(opportunity=opportunity)
        .select_related("candidate", "recommended_by", "outcome")
        .order_by(F("recommended_at").desc(nulls_last=True), "created_at")
    )
