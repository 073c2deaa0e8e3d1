from django.urls import reverse
from django_tasks import task

from mentorat.accounts.models import User
from mentorat.applications.models import Application, RecruitmentCall
from mentorat.notifications.emails import send_templated_email


def _application(application_id: int) -> Application:
    return Application.objects.select_related(
        "user", "edition", "edition__program", "edition__program__organization"
    ).get(pk=application_id)


@task()
def send_application_received_email(application_id: int) -> None:
    application = _application(application_id)
    send_templated_email(
        to=[application.user.email],
        template="applications/emails/received",
        context={"application": application, "program": application.edition.program},
        language=application.user.language,
    )


@task()
def send_guardian_consent_email(application_id: int) -> None:
    from mentorat.applications.services import GUARDIAN_LINK_VALID_DAYS, guardian_token

    application = _application(application_id)
    send_templated_email(
        to=[application.guardian_email],
        template="applications/emails/guardian_consent",
        context={
            "application": application,
            "program": application.edition.program,
            "consent_path": reverse(
                "applications:guardian_consent", kwargs={"token": guardian_token(application)}
            ),
            "valid_days": GUARDIAN_LINK_VALID_DAYS,
        },
        # The guardian has no account: write in the language the pupil chose.
        language=application.user.language,
    )


@task()
def send_decision_email(application_id: int) -> None:
    application = _application(application_id)
    send_templated_email(
        to=[application.user.email],
        template="applications/emails/decision",
        context={
            "application": application,
            "program": application.edition.program,
            "detail_path": reverse("applications:my_detail", kwargs={"pk": application.pk}),
        },
        language=application.user.language,
    )


@task()
def send_recruitment_call_emails(call_id: int) -> None:
    call = RecruitmentCall.objects.select_related(
        "program", "program__organization", "sent_by"
    ).get(pk=call_id)
    people = User.objects.filter(email__in=call.recipients)
    for person in people:
        send_templated_email(
            to=[person.email],
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
