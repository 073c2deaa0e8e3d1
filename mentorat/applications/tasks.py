"""Emails of applications, sent in the background through the delivery ledger
(`mentorat.notifications.outbox`): a task run again after its worker died sends
nothing twice."""

from typing import Any

from django.urls import reverse
from django_tasks import task

from mentorat.accounts.models import User
from mentorat.applications.links import GUARDIAN_LINK_VALID_DAYS, guardian_token
from mentorat.applications.models import Application, RecruitmentCall
from mentorat.notifications import outbox
from mentorat.notifications.emails import send_templated_email
from mentorat.organizations.models import Role
from mentorat.worker.recovery import resumable

# The ledger's purpose of the calls for mentors (occasion: the call).
RECRUITMENT_CALL_EMAILS = "applications.recruitment_call"


def _application(application_id: int) -> Application:
    return Application.objects.select_related(
        "user", "edition", "edition__program", "edition__program__organization"
    ).get(pk=application_id)


@resumable
@task(takes_context=True)
def send_application_received_email(context: Any, application_id: int) -> None:
    application = _application(application_id)
    outbox.send_templated_once(
        purpose="applications.received",
        key=outbox.task_key(context),
        to=application.user.email,
        template="applications/emails/received",
        context={"application": application, "program": application.edition.program},
        language=application.user.language,
    )


@resumable
@task(takes_context=True)
def send_guardian_consent_email(context: Any, application_id: int) -> None:
    application = _application(application_id)
    outbox.send_templated_once(
        purpose="applications.guardian_consent",
        key=outbox.task_key(context),
        to=application.guardian_email,
        template="applications/emails/guardian_consent",
        context={
            "application": application,
            "program": application.edition.program,
            "consent_path": reverse(
                "applications:guardian_consent",
                kwargs={"token": guardian_token(application)},
            ),
            "valid_days": GUARDIAN_LINK_VALID_DAYS,
        },
        # The guardian has no account: write in the language the pupil chose.
        language=application.user.language,
    )


# The ledger's purpose of the emails telling coordinators that a guardian withdrew their
# consent (occasion: the application and the time of the withdrawal, which happens once
# per consent; a new submission's consent may be withdrawn again).
GUARDIAN_WITHDRAWAL_EMAILS = "applications.guardian_consent_withdrawn"


def _guardian_withdrawal_recipients(application: Application) -> list[User]:
    """The coordinators of the program's organisation (its admins when it has none)
    and, when the applicant comes from a partner the program is shared with, that
    partner's coordinators."""
    program = application.edition.program
    owner, partner = program.organization_id, application.organization_id

    def staff(organization_id: int, role: Role) -> list[User]:
        return list(
            User.objects.filter(
                is_active=True,
                memberships__organization_id=organization_id,
                memberships__role=role,
            ).distinct()
        )

    recipients = staff(owner, Role.COORDINATOR) or staff(owner, Role.ADMIN)
    if partner is not None and partner != owner and program.shared_with.filter(pk=partner).exists():
        recipients += staff(partner, Role.COORDINATOR)
    return recipients


@resumable
@task()
def send_guardian_withdrawal_email(application_id: int) -> None:
    """Tell the program's coordinators that a guardian withdrew their consent: once per
    application and coordinator, whatever happens to the worker."""
    application = _application(application_id)
    withdrawn_at = application.guardian_consent_withdrawn_at
    if withdrawn_at is None:  # consented again since (a new submission): nothing to tell
        return
    program = application.edition.program
    active_pairs = application.mentorships_as_mentee.filter(status="active").count()
    review_path = reverse(
        "applications:review", kwargs={"slug": program.slug, "pk": application.pk}
    )

    def send(address: str, person: User) -> None:
        send_templated_email(
            to=[address],
            template="applications/emails/guardian_withdrawn",
            context={
                "application": application,
                "program": program,
                "review_path": review_path,
                "active_pairs": active_pairs,
                "person": person,
            },
            language=person.language,
        )

    outbox.send_each(
        purpose=GUARDIAN_WITHDRAWAL_EMAILS,
        key=f"{application.pk}:{withdrawn_at.timestamp():.6f}",
        recipients={p.email: p for p in _guardian_withdrawal_recipients(application)},
        send=send,
    )


@resumable
@task(takes_context=True)
def send_decision_email(context: Any, application_id: int) -> None:
    application = _application(application_id)
    outbox.send_templated_once(
        purpose="applications.decision",
        key=outbox.task_key(context),
        to=application.user.email,
        template="applications/emails/decision",
        context={
            "application": application,
            "program": application.edition.program,
            "detail_path": reverse("applications:my_detail", kwargs={"pk": application.pk}),
        },
        language=application.user.language,
    )


@resumable
@task()
def send_recruitment_call_emails(call_id: int) -> None:
    """One email per contact of the call, once per call whatever happens (worker
    killed, run again, retried by a coordinator)."""
    call = RecruitmentCall.objects.select_related(
        "program", "program__organization", "sent_by"
    ).get(pk=call_id)
    people = User.objects.filter(email__in=call.recipients)

    def send(address: str, person: User) -> None:
        send_templated_email(
            to=[address],
            template="applications/emails/recruitment_call",
            context={
                "call": call,
                "program": call.program,
                "program_path": reverse(
                    "programs:public_detail", kwargs={"slug": call.program.slug}
                ),
                "person": person,
            },
            language=person.language,
        )

    outbox.send_each(
        purpose=RECRUITMENT_CALL_EMAILS,
        key=call.pk,
        recipients={person.email: person for person in people},
        send=send,
    )
