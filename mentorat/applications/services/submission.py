"""Applying: the program's questions and their answers, submitting an application (with
guardian consent for young pupils) and completing it when a coordinator asks for more."""

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorat.accounts.models import User
from mentorat.applications import tasks
from mentorat.applications.guardians import GUARDIAN_CONSENT_AGE
from mentorat.applications.models import (
    Application,
    ApplicationStatus,
)
from mentorat.applications.selectors import ADULT_AGE, addresses_used_by
from mentorat.audit.services import record
from mentorat.lib.errors import DomainError
from mentorat.organizations.models import Organization
from mentorat.participants.models import age_on
from mentorat.participants.services import ProfileData, update_profile
from mentorat.permissions.programs import shared_organization_ids
from mentorat.programs.eligibility import eligibility_problems
from mentorat.programs.models import (
    CustomQuestion,
    Edition,
    ParticipantRole,
    Program,
    QuestionKind,
)
from mentorat.programs.selectors import current_charter

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
