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
