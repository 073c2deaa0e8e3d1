"""Who sees opportunities and candidacies, and who acts on them.

- An organisation's staff (admins and coordinators) post its opportunities and manage
  their candidates.
- An opportunity is seen by its audience: the people who may apply (mentees of the
  audience programs or organisations; for a class intervention request, the mentors and
  professionals of the audience organisations), the mentors of those mentees in an
  active pair, the staff of the audience organisations, and the offering organisation's
  staff. To anyone else it does not exist (404); a draft exists for its organisation only.
- A candidacy is seen by the offering organisation's staff, the candidate and her
  mentor in an active pair; to anyone else it does not exist (404)."""

from django.db.models import Q, QuerySet
from django.http import Http404

from mentorat.accounts.models import User
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.mentorships.models import Mentorship, MentorshipStatus
from mentorat.opportunities.models import (
    Candidacy,
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
)
from mentorat.organizations.models import Membership, Organization, Role
from mentorat.permissions.organizations import roles_by_organization, roles_in
from mentorat.programs.models import ParticipantRole

STAFF = frozenset({Role.ADMIN, Role.COORDINATOR})


def can_manage_opportunities(user: User, organization: Organization) -> bool:
    """Post the organisation's opportunities and manage their candidates: its staff."""
    return bool(roles_in(user, organization) & STAFF)


def applicant_role(opportunity: Opportunity) -> str:
    """Who applies: mentors and professionals for a class intervention request (the
    school asks a professional to come), mentees for everything else."""
    if opportunity.kind == OpportunityKind.CLASS_INTERVENTION:
        return ParticipantRole.MENTOR
    return ParticipantRole.MENTEE


def audience_filter(user: User, *, role: str) -> Q:
    """Opportunities whose audience includes `user` as a person of `role` (mentee or
    mentor): through an organisation she belongs to with that role (membership or an
    accepted application), or a program she was accepted in with that role. Subqueries
    only: the filter adds no query of its own."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    accepted = Application.objects.filter(user=user, role=role, status=ApplicationStatus.ACCEPTED)
    members = Membership.objects.filter(user=user, role=role)
    return (
        Q(audience_organizations__in=members.values("organization_id"))
        | Q(audience_organizations__in=accepted.values("organization_id"))
        | Q(audience_programs__in=accepted.values("edition__program_id"))
    )


def is_in_audience(user: User, opportunity: Opportunity) -> bool:
    """Whether `user` may apply to `opportunity` (published or not)."""
    role = applicant_role(opportunity)
    return Opportunity.objects.filter(audience_filter(user, role=role), pk=opportunity.pk).exists()


def mentees_of(user: User) -> QuerySet[User]:
    """The mentees of `user`'s active pairs."""
    return User.objects.filter(
        applications__mentorships_as_mentee__status=MentorshipStatus.ACTIVE,
        applications__mentorships_as_mentee__mentor_application__user=user,
    ).distinct()


def is_mentor_of(user: User, mentee: User) -> bool:
    return (
        user.is_authenticated
        and Mentorship.objects.filter(
            status=MentorshipStatus.ACTIVE,
            mentor_application__user=user,
            mentee_application__user=mentee,
        ).exists()
    )


def _audience_staff(user: User, opportunity: Opportunity) -> bool:
    staff_orgs = {pk for pk, roles in roles_by_organization(user).items() if roles & STAFF}
    if not staff_orgs:
        return False
    return Opportunity.objects.filter(
        Q(audience_organizations__in=staff_orgs)
        | Q(audience_programs__organization__in=staff_orgs),
        pk=opportunity.pk,
    ).exists()


def _mentor_of_audience(user: User, opportunity: Opportunity) -> bool:
    return any(is_in_audience(mentee, opportunity) for mentee in mentees_of(user))


def can_view_opportunity(user: User, opportunity: Opportunity) -> bool:
    if can_manage_opportunities(user, opportunity.organization):
        return True
    if opportunity.status == OpportunityStatus.DRAFT or not user.is_authenticated:
        return False
    return (
        is_in_audience(user, opportunity)
        or _audience_staff(user, opportunity)
        or _mentor_of_audience(user, opportunity)
    )


def access_opportunity(user: User, pk: int) -> Opportunity:
    """The opportunity if `user` may see it; else 404."""
    opportunity = (
        Opportunity.objects.select_related("organization", "contact").filter(pk=pk).first()
    )
    if opportunity is None or not can_view_opportunity(user, opportunity):
        raise Http404
    return opportunity


def can_apply(user: User, opportunity: Opportunity) -> bool:
    return opportunity.status == OpportunityStatus.PUBLISHED and is_in_audience(user, opportunity)


def access_candidacy(user: User, pk: int) -> Candidacy:
    """The candidacy if `user` is the offering organisation's staff, the candidate or
    her mentor in an active pair; else 404."""
    candidacy = (
        Candidacy.objects.select_related(
            "opportunity__organization", "candidate", "recommended_by", "outcome"
        )
        .filter(pk=pk)
        .first()
    )
    if candidacy is None or not (
        candidacy.candidate_id == user.pk
        or can_manage_opportunities(user, candidacy.opportunity.organization)
        or is_mentor_of(user, candidacy.candidate)
    ):
        raise Http404
    return candidacy


def can_decide(user: User, candidacy: Candidacy) -> bool:
    return can_manage_opportunities(user, candidacy.opportunity.organization)


def can_recommend(user: User, candidacy: Candidacy) -> bool:
    return is_mentor_of(user, candidacy.candidate)
