"""Applications: submission (with guardian consent for young pupils), decisions, and the
entry points the bulk import uses (`import_application`).

Callers check permissions first (`mentorat.permissions.programs`); these functions
enforce the business rules, write the audit trail and enqueue the emails."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from mentorat.accounts.models import User
from mentorat.applications import tasks
from mentorat.applications.guardians import GUARDIAN_CONSENT_AGE
from mentorat.applications.models import (
    DECIDABLE,
    Application,
    ApplicationStatus,
    RecruitmentCall,
)
from mentorat.applications.selectors import ADULT_AGE as ADULT_AGE  # also used by imports
from mentorat.applications.selectors import addresses_used_by
from mentorat.audit.services import record
from mentorat.lib.errors import DomainError
from mentorat.organizations.models import Organization, Role
from mentorat.organizations.services import add_membership
from mentorat.participants.models import Profile, age_on
from mentorat.participants.services import ProfileData, update_profile
from mentorat.permissions.imports import (
    can_import_decided_statuses,
    import_organization_ids,
    import_scope,
)
from mentorat.permissions.programs import STAFF_ROLES, shared_organization_ids
from mentorat.programs.eligibility import eligibility_problems
from mentorat.programs.models import (
    CustomQuestion,
    Edition,
    ParticipantRole,
    Program,
    QuestionKind,
)
from mentorat.programs.selectors import current_charter
from mentorat.programs.services import partner_organizations

RECRUITMENT_CALL_INTERVAL = timedelta(days=7)


class Decision(StrEnum):
    ACCEPT = "accept"
    WAITLIST = "waitlist"
    DECLINE = "decline"
    REQUEST_INFO = "request_info"


_DECISION_STATUS = {
    Decision.ACCEPT: ApplicationStatus.ACCEPTED,
    Decision.WAITLIST: ApplicationStatus.WAITLISTED,
    Decision.DECLINE: ApplicationStatus.DECLINED,
    Decision.REQUEST_INFO: ApplicationStatus.INFO_REQUESTED,
}


# Questions and answers --------------------------------------------------------------------


def questions_for(*, program: Program, role: str) -> list[CustomQuestion]:
    return [q for q in program.questions.all() if q.asked_to(role)]


def clean_answers(*, questions: list[CustomQuestion], raw: dict[str, Any]) -> dict[str, Any]:
    """Validate answers keyed by question id (str); returns them with the question text
    so that the answers stay readable if the question is later removed."""
    cleaned: dict[str, Any] = {}
    for question in questions:
        value = raw.get(str(question.pk))
        empty = value in (None, "", [])
        if empty:
            if question.required:
                raise DomainError(
                    _("“%(question)s”: an answer is required.") % {"question": question.label}
                )
            continue
        if question.kind in {QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT}:
            text = str(value).strip()
            limit = 200 if question.kind == QuestionKind.SHORT_TEXT else 5000
            if len(text) > limit:
                raise DomainError(
                    _("“%(question)s”: the answer must be at most %(n)s characters.")
                    % {"question": question.label, "n": limit}
                )
            value = text
        elif question.kind == QuestionKind.SINGLE_CHOICE:
            if value not in question.choices:
                raise DomainError(
                    _("“%(question)s”: choose one of the proposed answers.")
                    % {"question": question.label}
                )
        elif question.kind == QuestionKind.MULTIPLE_CHOICE:
            values = value if isinstance(value, list) else [value]
            if any(v not in question.choices for v in values):
                raise DomainError(
                    _("“%(question)s”: choose among the proposed answers.")
                    % {"question": question.label}
                )
            value = values
        elif question.kind == QuestionKind.YES_NO:
            if value not in (True, False, "yes", "no"):
                raise DomainError(
                    _("“%(question)s”: answer yes or no.") % {"question": question.label}
                )
            value = value in (True, "yes")
        cleaned[str(question.pk)] = {"question": question.label, "answer": value}
    return cleaned


# Submission ---------------------------------------------------------------------------------


def applicant_organizations(*, user: User, program: Program) -> list[Organization]:
    """The organisations `user` belongs to among the program's owner and partners."""
    allowed = {program.organization_id} | shared_organization_ids(program)
    return list(
        Organization.objects.filter(pk__in=allowed, memberships__user=user)
        .distinct()
        .order_by("name")
    )


@transaction.atomic
def submit_application(
    *,
    edition: Edition,
    user: User,
    role: str,
    answers: dict[str, Any],
    charter_accepted: bool,
    organization: Organization | None = None,
    profile: ProfileData | None = None,
    guardian_email: str = "",
    request: HttpRequest | None = None,
) -> Application:
    """Submit `user`'s application to `edition` as mentor or mentee.

    Updates the profile with `profile` first. A mentee under 15 waits for a guardian's
    consent (an email with a signed link goes to `guardian_email`, which must not be an
    address the applicant has used, see `addresses_used_by`); under 18 the
    application is flagged so that contact goes through the platform only."""
    program = edition.program
    today = timezone.localdate()
    if role not in ParticipantRole.values:
        raise DomainError(_("Role: unknown value “%(value)s”.") % {"value": role})
    if not edition.is_open_on(today):
        raise DomainError(_("Applications to this edition are closed."))
    existing = Application.objects.select_for_update().filter(edition=edition, user=user).first()
    if existing is not None and existing.status != ApplicationStatus.WITHDRAWN:
        raise DomainError(_("You have already applied to this edition."))
    if organization is not None and organization not in applicant_organizations(
        user=user, program=program
    ):
        raise DomainError(_("Organisation: you are not a member of this organisation."))
    saved_profile = update_profile(user=user, data=profile or ProfileData(), actor=user)
    birth_date = saved_profile.birth_date
    if role == ParticipantRole.MENTEE and birth_date is None:
        raise DomainError(_("Date of birth: this field is required to apply as a mentee."))
    problems = eligibility_problems(
        program=program,
        role=role,
        organization=organization,
        years_of_experience=saved_profile.years_of_experience,
        birth_date=birth_date,
        today=today,
    )
    if problems:
        raise DomainError(" ".join(problems))
    cleaned = clean_answers(questions=questions_for(program=program, role=role), raw=answers)
    charter = current_charter(program=program)
    if charter is not None and not charter_accepted:
        raise DomainError(_("Charter: you must accept the charter to apply."))
    age = age_on(birth_date, today) if birth_date else None
    needs_consent = age is not None and age < GUARDIAN_CONSENT_AGE
    guardian_email = guardian_email.strip().lower()
    if needs_consent and not guardian_email:
        raise DomainError(
            _("Guardian's email address: required because you are under %(age)s.")
            % {"age": GUARDIAN_CONSENT_AGE}
        )
    if needs_consent and guardian_email in addresses_used_by(user=user):
        raise DomainError(
            _("Guardian's email address: give the address of a parent or guardian, not yours.")
        )
    now = timezone.now()
    application = existing or Application(edition=edition, user=user)
    application.role = role
    application.organization = organization
    application.status = (
        ApplicationStatus.AWAITING_GUARDIAN_CONSENT
        if needs_consent
        else ApplicationStatus.SUBMITTED
    )
    application.answers = cleaned
    application.charter = charter
    application.charter_accepted_at = now if charter is not None else None
    application.submitted_at = now
    application.decided_at = application.decided_by = application.accepted_at = None
    application.decision_reason = application.info_request = ""
    application.is_minor = age is not None and age < ADULT_AGE
    application.contact_through_platform_only = application.is_minor
    application.guardian_email = guardian_email if needs_consent else ""
    application.guardian_consent_at = None
    application.source = "form"
    application.save()
    record(
        action="applications.application.submitted",
        actor=user,
        organization=program.organization,
        target=application,
        data={"role": role, "status": application.status, "minor": application.is_minor},
        request=request,
    )
    if needs_consent:
        transaction.on_commit(lambda: tasks.send_guardian_consent_email.enqueue(application.pk))
    else:
        transaction.on_commit(lambda: tasks.send_application_received_email.enqueue(application.pk))
    return application


# Decisions --------------------------------------------------------------------------------


def _apply_decision(
    application: Application,
    *,
    decision: Decision,
    reason: str,
    actor: User,
    request: HttpRequest | None,
) -> None:
    if application.status == ApplicationStatus.AWAITING_GUARDIAN_CONSENT:
        raise DomainError(_("This application is waiting for a guardian's consent."))
    if application.status not in DECIDABLE:
        raise DomainError(
            _("This application is already %(status)s.")
            % {"status": application.get_status_display().lower()}
        )
    if decision == Decision.DECLINE and not reason.strip():
        raise DomainError(_("Reason: give a reason to decline; the applicant receives it."))
    if decision == Decision.REQUEST_INFO and not reason.strip():
        raise DomainError(_("Reason: say what information you need."))
    now = timezone.now()
    program = application.edition.program
    application.status = _DECISION_STATUS[decision]
    application.decided_at = now
    application.decided_by = actor
    if decision == Decision.REQUEST_INFO:
        application.info_request = reason.strip()
    else:
        application.decision_reason = reason.strip()
    if decision == Decision.ACCEPT:
        application.accepted_at = now
        # People from outside join the program's organisation; the others keep their own.
        if application.organization_id is None:
            application.organization = program.organization
        assert application.organization is not None
        add_membership(
            user=application.user,
            organization=application.organization,
            role=Role(application.role),
            actor=actor,
        )
    application.save()
    record(
        action=f"applications.application.{application.status}",
        actor=actor,
        organization=program.organization,
        target=application,
        data={"reason": reason.strip()} if reason.strip() else {},
        request=request,
    )
    transaction.on_commit(lambda: tasks.send_decision_email.enqueue(application.pk))


@transaction.atomic
def decide_application(
    *,
    application: Application,
    decision: Decision | str,
    reason: str = "",
    actor: User,
    request: HttpRequest | None = None,
) -> Application:
    """Accept, waitlist, decline (reason required) or ask for more information
    (message required); the applicant is emailed in their language."""
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("user", "edition__program__organization", "organization")
        .get(pk=application.pk)
    )
    _apply_decision(
        locked, decision=Decision(decision), reason=reason, actor=actor, request=request
    )
    return locked


@dataclass
class BulkResult:
    decided: int = 0
    skipped: list[str] = field(default_factory=list)


@transaction.atomic
def decide_applications(
    *,
    program: Program,
    application_ids: list[int],
    decision: Decision | str,
    reason: str = "",
    actor: User,
    request: HttpRequest | None = None,
) -> BulkResult:
    """The same decision on several applications of `program`. Applications that cannot
    take it (already decided, awaiting consent) are skipped and reported by name."""
    decision = Decision(decision)
    if decision in {Decision.DECLINE, Decision.REQUEST_INFO} and not reason.strip():
        raise DomainError(_("Reason: required to decline or to ask for information."))
    result = BulkResult()
    applications = (
        Application.objects.select_for_update(of=("self",))
        .select_related("user", "edition__program__organization", "organization")
        .filter(edition__program=program, pk__in=application_ids)
        .order_by("pk")
    )
    for application in applications:
        try:
            with transaction.atomic():
                _apply_decision(
                    application, decision=decision, reason=reason, actor=actor, request=request
                )
        except DomainError as error:
            result.skipped.append(f"{application.user.display_name}: {error.message}")
        else:
            result.decided += 1
    return result


@transaction.atomic
def respond_to_info_request(
    *,
    application: Application,
    answers: dict[str, Any],
    message: str = "",
    profile: ProfileData | None = None,
    actor: User,
    request: HttpRequest | None = None,
) -> Application:
    """The applicant completes an application the coordinator asked information about."""
    application = (
        Application.objects.select_for_update()
        .select_related("edition__program")
        .get(pk=application.pk)
    )
    if application.status != ApplicationStatus.INFO_REQUESTED:
        raise DomainError(_("No information is requested on this application."))
    program = application.edition.program
    if profile is not None:
        update_profile(user=application.user, data=profile, actor=actor)
    cleaned = clean_answers(
        questions=questions_for(program=program, role=application.role), raw=answers
    )
    if message.strip():
        cleaned["info_response"] = {
            "question": _("Additional information"),
            "answer": message.strip(),
        }
    application.answers = cleaned
    application.status = ApplicationStatus.SUBMITTED
    application.save(update_fields=["answers", "status", "updated_at"])
    record(
        action="applications.application.info_provided",
        actor=actor,
        organization=program.organization,
        target=application,
        request=request,
    )
    return application


@transaction.atomic
def withdraw_application(
    *, application: Application, actor: User, request: HttpRequest | None = None
) -> Application:
    """Withdraw an application. Someone who leaves also leaves their pairs of the edition:
    they end as "mentor left" or "mentee left", so that their mentees are matched again
    (re-matching) and nobody waits for a person who has gone."""
    # Cycle (declared in .importlinter): a withdrawal ends the person's pairs and requests.
    from mentorat.matching.models import MentorRequest, RequestStatus
    from mentorat.mentorships.models import EndReason, Mentorship, MentorshipStatus
    from mentorat.mentorships.services import end_mentorship

    application = (
        Application.objects.select_for_update()
        .select_related("edition__program")
        .get(pk=application.pk)
    )
    if application.status in {ApplicationStatus.WITHDRAWN, ApplicationStatus.DECLINED}:
        raise DomainError(_("This application is already closed."))
    application.status = ApplicationStatus.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    record(
        action="applications.application.withdrawn",
        actor=actor,
        organization=application.edition.program.organization,
        target=application,
        request=request,
    )
    side = "mentor" if application.role == ParticipantRole.MENTOR else "mentee"
    reason = EndReason.MENTOR_LEFT if side == "mentor" else EndReason.MENTEE_LEFT
    for mentorship in Mentorship.objects.filter(
        status=MentorshipStatus.ACTIVE, **{f"{side}_application": application}
    ):
        end_mentorship(mentorship=mentorship, reason=reason, actor=actor, request=request)
    # Self-matching requests to or from the person are withdrawn with them.
    MentorRequest.objects.filter(
        Q(mentee=application) | Q(mentor=application), status=RequestStatus.PENDING
    ).update(status=RequestStatus.CANCELLED, answered_at=timezone.now())
    return application


# Bulk import entry point ---------------------------------------------------------------------


@transaction.atomic
def import_application(
    *,
    edition: Edition,
    user: User,
    role: str,
    organization: Organization | None = None,
    status: ApplicationStatus | str = ApplicationStatus.SUBMITTED,
    answers: dict[str, Any] | None = None,
    actor: User | None = None,
) -> tuple[Application, bool]:
    """Create or update `user`'s application to `edition` from an imported list; returns
    (application, created). No email is sent and the edition may be closed: the
    organisation vouches for these people. Status must be submitted, waitlisted or
    accepted; accepted people get the role's membership. The charter is not accepted
    on their behalf (`charter` stays empty until they accept it).

    With an `actor`, the bulk import's rules apply (`mentorat.permissions.imports`): the
    organisation must be one they import for, an existing application of another
    organisation is not theirs to take over, and only the program's staff set decided
    statuses. The person's own data is not written here (`upsert_person` and
    `update_profile` check who may change it). Without an actor (the platform itself),
    none of this is checked."""
    if role not in ParticipantRole.values:
        raise DomainError(_("Role: unknown value “%(value)s”.") % {"value": role})
    allowed_statuses = {
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.WAITLISTED,
        ApplicationStatus.ACCEPTED,
    }
    if status not in allowed_statuses:
        raise DomainError(_("Status: unknown value “%(value)s”.") % {"value": status})
    program = edition.program
    if organization is not None and organization.pk not in (
        {program.organization_id} | shared_organization_ids(program)
    ):
        raise DomainError(
            _("Organisation: %(name)s does not take part in this program.")
            % {"name": organization.name}
        )
    application = Application.objects.select_for_update().filter(edition=edition, user=user).first()
    if actor is not None:
        current = application.organization if application is not None else None
        chosen = organization or current or program.organization
        if chosen.pk not in import_organization_ids(actor, program):
            raise DomainError(
                _("Organisation: you cannot import people for %(name)s.") % {"name": chosen.name}
            )
        scope = import_scope(actor, program)
        theirs = application is None or scope is None or application.organization_id in scope
        if not theirs:
            raise DomainError(
                capfirst(
                    _(
                        "this person is already registered in this edition by another "
                        "organisation; ask the program's coordinators."
                    )
                )
            )
        if status != ApplicationStatus.SUBMITTED and not can_import_decided_statuses(
            actor, program
        ):
            raise DomainError(
                _(
                    "Status: only the program's coordinators can import accepted or "
                    "waiting-list applications."
                )
            )
    created = application is None
    now = timezone.now()
    if application is None:
        application = Application(edition=edition, user=user, submitted_at=now, source="import")
    application.role = role
    application.organization = organization or application.organization or program.organization
    if answers is not None:
        application.answers = clean_answers(
            questions=questions_for(program=program, role=role), raw=answers
        )
    profile = Profile.objects.filter(user=user).only("birth_date").first()
    birth_date = profile.birth_date if profile else None
    if birth_date is not None:
        age = age_on(birth_date, timezone.localdate())
        application.is_minor = age < ADULT_AGE
        application.contact_through_platform_only = application.is_minor
    if status == ApplicationStatus.ACCEPTED and application.status != ApplicationStatus.ACCEPTED:
        application.accepted_at = now
        application.decided_at = now
        application.decided_by = actor
        assert application.organization is not None
        add_membership(
            user=user, organization=application.organization, role=Role(role), actor=actor
        )
    application.status = status
    application.save()
    record(
        action="applications.application.imported",
        actor=actor,
        organization=program.organization,
        target=application,
        data={"created": created, "status": str(status), "role": role},
    )
    return application, created


# Right to a mentor ---------------------------------------------------------------------------


def recruitment_recipients(*, program: Program) -> list[User]:
    """Admins and coordinators of the partner organisations of the program's owner
    (current partnerships and organisations the program is shared with)."""
    partner_ids = {o.pk for o in partner_organizations(organization=program.organization)}
    partner_ids |= set(shared_organization_ids(program))
    return list(
        User.objects.filter(
            memberships__organization_id__in=partner_ids,
            memberships__role__in=STAFF_ROLES,
            is_active=True,
        )
        .distinct()
        .order_by("email")
    )


def next_recruitment_call_allowed_at(*, program: Program) -> datetime | None:
    last = RecruitmentCall.objects.filter(program=program).order_by("-sent_at").first()
    if last is None:
        return None
    allowed = last.sent_at + RECRUITMENT_CALL_INTERVAL
    return allowed if allowed > timezone.now() else None


@transaction.atomic
def send_recruitment_call(
    *,
    program: Program,
    message: str,
    mentors_needed: int,
    actor: User,
    request: HttpRequest | None = None,
) -> RecruitmentCall:
    """Email a call for mentors to the partner organisations' contacts; at most one call
    per program in 7 days."""
    Program.objects.select_for_update().filter(pk=program.pk).first()
    allowed_at = next_recruitment_call_allowed_at(program=program)
    if allowed_at is not None:
        raise DomainError(
            _("A call was sent less than 7 days ago. You can send the next one from %(date)s.")
            % {"date": timezone.localtime(allowed_at).strftime("%d/%m/%Y %H:%M")}
        )
    recipients = recruitment_recipients(program=program)
    if not recipients:
        raise DomainError(_("No partner organisation has an admin or coordinator to write to."))
    call = RecruitmentCall.objects.create(
        program=program,
        sent_by=actor,
        message=message.strip(),
        recipients=[u.email for u in recipients],
        mentors_needed=mentors_needed,
    )
    record(
        action="applications.recruitment_call.sent",
        actor=actor,
        organization=program.organization,
        target=call,
        data={"recipients": len(recipients), "mentors_needed": mentors_needed},
        request=request,
    )
    transaction.on_commit(lambda: tasks.send_recruitment_call_emails.enqueue(call.pk))
    return call
