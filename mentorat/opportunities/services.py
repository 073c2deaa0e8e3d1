"""Writes on opportunities and candidacies. Callers check permissions first (see
`mentorat.permissions.opportunities`); these functions enforce the business rules, write
the audit trail on the offering organisation's log and queue the candidate's emails."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorat.accounts.models import User
from mentorat.audit.services import record
from mentorat.lib.errors import DomainError
from mentorat.mentorships.models import Mentorship, MentorshipStatus, OutcomeStage, Situation
from mentorat.mentorships.services.pairs import record_outcome
from mentorat.opportunities import tasks
from mentorat.opportunities.models import (
    Candidacy,
    CandidacyStatus,
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
)
from mentorat.organizations.models import Membership, Organization, Role
from mentorat.organizations.services import check_approved
from mentorat.programs.models import Program
from mentorat.programs.services import partner_organizations

# Kinds that, once a candidate is accepted, can become the mentee's situation at the end.
OUTCOME_SITUATIONS: dict[str, tuple[str, ...]] = {
    OpportunityKind.INTERNSHIP: (Situation.INTERNSHIP,),
    OpportunityKind.ALTERNANCE: (Situation.APPRENTICESHIP,),
    OpportunityKind.JOB: (Situation.PERMANENT_JOB, Situation.FIXED_TERM_JOB),
}


@dataclass(frozen=True)
class OpportunityData:
    """What the opportunity form holds."""

    kind: str
    title: str
    deadline: date
    field: str = ""
    rome_domain: str = ""
    place: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    places: int = 1
    description: str = ""
    contact: User | None = None
    audience_programs: tuple[Program, ...] = ()
    audience_organizations: tuple[Organization, ...] = ()


def audience_choices(organization: Organization) -> tuple[list[Organization], list[Program]]:
    """Whom `organization` may address: itself and its current partners, and their
    programs."""
    organizations = [organization, *partner_organizations(organization=organization)]
    programs = list(
        Program.objects.filter(organization__in=organizations)
        .select_related("organization")
        .order_by("organization__name", "name")
    )
    return organizations, programs


def _check(organization: Organization, data: OpportunityData) -> None:
    problems: dict[str, list[str]] = {}
    if data.kind not in OpportunityKind.values:
        problems["kind"] = [_("Kind: choose one of the options.")]
    if not data.title.strip():
        problems["title"] = [_("Title: say what is offered.")]
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        problems["ends_on"] = [_("End: choose a date after the start.")]
    if data.places < 1:
        problems["places"] = [_("Places: offer at least one place.")]
    organizations, programs = audience_choices(organization)
    allowed_orgs = {o.pk for o in organizations}
    allowed_programs = {p.pk for p in programs}
    if not data.audience_programs and not data.audience_organizations:
        problems["audience_organizations"] = [
            _("Audience: choose at least one program or partner organisation.")
        ]
    if any(o.pk not in allowed_orgs for o in data.audience_organizations) or any(
        p.pk not in allowed_programs for p in data.audience_programs
    ):
        problems["audience_organizations"] = [
            _("Audience: choose your organisation, its current partners or their programs.")
        ]
    if (
        data.contact is not None
        and not Membership.objects.filter(
            user=data.contact,
            organization=organization,
            role__in=(Role.ADMIN, Role.COORDINATOR),
        ).exists()
    ):
        problems["contact"] = [_("Contact: choose an admin or coordinator of your organisation.")]
    if problems:
        raise DomainError(next(iter(problems.values()))[0], field_errors=problems)


@transaction.atomic
def save_opportunity(
    *,
    organization: Organization,
    data: OpportunityData,
    actor: User,
    opportunity: Opportunity | None = None,
    request: HttpRequest | None = None,
) -> Opportunity:
    """Create (as a draft) or change an opportunity of `organization`. A pending
    organisation may prepare drafts; publishing waits for its approval."""
    _check(organization, data)
    action = "opportunities.opportunity.updated"
    if opportunity is None:
        opportunity = Opportunity(organization=organization, created_by=actor)
        action = "opportunities.opportunity.created"
    elif opportunity.organization_id != organization.pk:
        raise DomainError(_("This opportunity belongs to another organisation."))
    opportunity.kind = data.kind
    opportunity.title = data.title.strip()
    opportunity.field = data.field.strip()
    opportunity.rome_domain = data.rome_domain
    opportunity.place = data.place.strip()
    opportunity.starts_on = data.starts_on
    opportunity.ends_on = data.ends_on
    opportunity.deadline = data.deadline
    opportunity.places = data.places
    opportunity.description = data.description.strip()
    opportunity.contact = data.contact or actor
    opportunity.save()
    opportunity.audience_programs.set(data.audience_programs)
    opportunity.audience_organizations.set(data.audience_organizations)
    record(
        action=action,
        actor=actor,
        organization=organization,
        target=opportunity,
        data={"title": opportunity.title, "kind": opportunity.kind},
        request=request,
    )
    return opportunity


@transaction.atomic
def publish_opportunity(
    *, opportunity: Opportunity, actor: User, request: HttpRequest | None = None
) -> Opportunity:
    """Show the opportunity to its audience. The organisation must be approved by the
    platform and the deadline not past."""
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    check_approved(opportunity.organization)
    if opportunity.status == OpportunityStatus.PUBLISHED:
        raise DomainError(_("This opportunity is already published."))
    if opportunity.deadline < timezone.localdate():
        raise DomainError(_("The deadline is past: change it before publishing."))
    opportunity.status = OpportunityStatus.PUBLISHED
    opportunity.published_at = timezone.now()
    opportunity.save(update_fields=["status", "published_at"])
    record(
        action="opportunities.opportunity.published",
        actor=actor,
        organization=opportunity.organization,
        target=opportunity,
        request=request,
    )
    return opportunity


@transaction.atomic
def close_opportunity(
    *, opportunity: Opportunity, actor: User, request: HttpRequest | None = None
) -> Opportunity:
    """Stop receiving candidacies; those received stay, decisions go on."""
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.status != OpportunityStatus.PUBLISHED:
        raise DomainError(_("Only a published opportunity can be closed."))
    opportunity.status = OpportunityStatus.CLOSED
    opportunity.save(update_fields=["status"])
    record(
        action="opportunities.opportunity.closed",
        actor=actor,
        organization=opportunity.organization,
        target=opportunity,
        request=request,
    )
    return opportunity


@transaction.atomic
def express_interest(
    *, opportunity: Opportunity, candidate: User, message: str, request: HttpRequest | None = None
) -> Candidacy:
    """`candidate` (of the audience, checked by the caller) tells the offering
    organisation she is interested, with a message; once per opportunity. The offer's
    contacts are emailed (`tasks.offer_contacts`)."""
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.status != OpportunityStatus.PUBLISHED:
        raise DomainError(_("This opportunity no longer receives candidacies."))
    if opportunity.deadline < timezone.localdate():
        raise DomainError(_("The deadline to apply is past."))
    if not message.strip():
        message_error = _("Message: say in a few words why this interests you.")
        raise DomainError(message_error, field_errors={"message": [message_error]})
    if Candidacy.objects.filter(opportunity=opportunity, candidate=candidate).exists():
        raise DomainError(_("You have already shown your interest in this opportunity."))
    candidacy = Candidacy.objects.create(
        opportunity=opportunity, candidate=candidate, message=message.strip()
    )
    record(
        action="opportunities.candidacy.created",
        actor=candidate,
        organization=opportunity.organization,
        target=candidacy,
        request=request,
    )
    transaction.on_commit(lambda: tasks.send_candidacy_received_email.enqueue(candidacy.pk))
    return candidacy


@transaction.atomic
def recommend_candidate(
    *, candidacy: Candidacy, mentor: User, request: HttpRequest | None = None
) -> Candidacy:
    """The candidate's mentor (checked by the caller) recommends her; the offering
    organisation sees who did and when."""
    candidacy = (
        Candidacy.objects.select_for_update().select_related("opportunity").get(pk=candidacy.pk)
    )
    if candidacy.recommended_by_id is not None:
        raise DomainError(_("This candidacy is already recommended."))
    if candidacy.status in (CandidacyStatus.ACCEPTED, CandidacyStatus.DECLINED):
        raise DomainError(_("The organisation has already decided on this candidacy."))
    candidacy.recommended_by = mentor
    candidacy.recommended_at = timezone.now()
    candidacy.save(update_fields=["recommended_by", "recommended_at"])
    record(
        action="opportunities.candidacy.recommended",
        actor=mentor,
        organization=candidacy.opportunity.organization,
        target=candidacy,
        request=request,
    )
    return candidacy


DECISIONS = {
    "shortlist": CandidacyStatus.SHORTLISTED,
    "accept": CandidacyStatus.ACCEPTED,
    "decline": CandidacyStatus.DECLINED,
}


@transaction.atomic
def decide_candidacy(
    *, candidacy: Candidacy, decision: str, actor: User, request: HttpRequest | None = None
) -> Candidacy:
    """Shortlist, accept or decline a candidate (the offering organisation's staff); the
    candidate is emailed. No more candidates are accepted than the opportunity has
    places; a decided candidacy (accepted or declined) stays as it is."""
    status = DECISIONS.get(decision)
    if status is None:
        raise DomainError(_("Decision: choose shortlist, accept or decline."))
    candidacy = (
        Candidacy.objects.select_for_update()
        .select_related("opportunity__organization")
        .get(pk=candidacy.pk)
    )
    opportunity = Opportunity.objects.select_for_update().get(pk=candidacy.opportunity_id)
    if candidacy.status in (CandidacyStatus.ACCEPTED, CandidacyStatus.DECLINED):
        raise DomainError(_("This candidacy has already been decided."))
    if candidacy.status == status:
        raise DomainError(_("This candidacy is already shortlisted."))
    if (
        status == CandidacyStatus.ACCEPTED
        and opportunity.candidacies.filter(status=CandidacyStatus.ACCEPTED).count()
        >= opportunity.places
    ):
        raise DomainError(_("Every place of this opportunity is already filled."))
    candidacy.status = status
    candidacy.decided_by = actor
    candidacy.decided_at = timezone.now()
    candidacy.save(update_fields=["status", "decided_by", "decided_at"])
    record(
        action=f"opportunities.candidacy.{status}",
        actor=actor,
        organization=opportunity.organization,
        target=candidacy,
        request=request,
    )
    event = str(status)
    transaction.on_commit(lambda: tasks.send_candidacy_email.enqueue(candidacy.pk, event))
    return candidacy


def pair_of(candidate: User) -> Mentorship | None:
    """The candidate's pair as a mentee: the active one, else the latest ended one."""
    pairs = Mentorship.objects.filter(
        mentee_application__user=candidate,
        status__in=(MentorshipStatus.ACTIVE, MentorshipStatus.ENDED),
    ).select_related("edition")
    return (
        pairs.filter(status=MentorshipStatus.ACTIVE).order_by("-started_on").first()
        or pairs.order_by("-started_on").first()
    )


@transaction.atomic
def record_candidacy_outcome(
    *,
    candidacy: Candidacy,
    situation: str = "",
    actor: User,
    request: HttpRequest | None = None,
) -> Candidacy:
    """Record an accepted internship, alternance or job as the mentee's situation (at
    the end of her pair, or six months later if the pair has ended), linked to the
    opportunity so that the partnership reports count the outcomes partners' offers
    led to."""
    candidacy = (
        Candidacy.objects.select_for_update()
        .select_related("opportunity__organization", "candidate")
        .get(pk=candidacy.pk)
    )
    opportunity = candidacy.opportunity
    allowed = OUTCOME_SITUATIONS.get(opportunity.kind, ())
    if candidacy.status != CandidacyStatus.ACCEPTED or not allowed:
        raise DomainError(
            _("Only an accepted internship, alternance or job can be recorded as an outcome.")
        )
    if candidacy.outcome_id is not None:
        raise DomainError(_("This outcome is already recorded."))
    situation = situation or allowed[-1]
    if situation not in allowed:
        raise DomainError(_("Situation: choose one of the proposed situations."))
    mentorship = pair_of(candidacy.candidate)
    if mentorship is None:
        raise DomainError(
            _("The candidate has no pair in a program: there is no outcome to record.")
        )
    stage = (
        OutcomeStage.SIX_MONTHS
        if mentorship.status == MentorshipStatus.ENDED
        and mentorship.outcomes.filter(stage=OutcomeStage.END).exists()
        else OutcomeStage.END
    )
    outcome = record_outcome(
        mentorship=mentorship,
        stage=stage,
        situation=situation,
        detail=f"{opportunity.title} — {opportunity.organization.name}"[:300],
        actor=actor,
        request=request,
    )
    candidacy.outcome = outcome
    candidacy.save(update_fields=["outcome"])
    record(
        action="opportunities.candidacy.outcome_recorded",
        actor=actor,
        organization=opportunity.organization,
        target=candidacy,
        data={"situation": situation, "stage": stage},
        request=request,
    )
    return candidacy


def open_to_apply(opportunity: Opportunity) -> bool:
    return (
        opportunity.status == OpportunityStatus.PUBLISHED
        and opportunity.deadline >= timezone.localdate()
    )
