"""Emails of erasure requests, sent in the background through the delivery ledger
(`mentorat.notifications.outbox`), except the last one to an erased person (see
`send_erasure_done_email`)."""

import logging

from django.urls import reverse
from django_tasks import task

from mentorat.notifications import outbox
from mentorat.notifications.emails import send_templated_email
from mentorat.organizations.models import Membership, Role
from mentorat.privacy.erasure.models import ErasureRequest, ErasureStatus
from mentorat.worker.recovery import resumable

logger = logging.getLogger(__name__)

# The ledger's purpose of the emails to organisation admins (occasion: the request).
REQUESTED_EMAILS = "privacy.erasure.requested"


@resumable
@task()
def send_erasure_requested_emails(erasure_request_id: int) -> None:
    """Tell the admins of every organisation handling the request, once per request and
    admin whatever happens (worker killed, run again). Each admin's link opens the
    request in their own organisation."""
    erasure_request = ErasureRequest.objects.get(pk=erasure_request_id)
    if erasure_request.status != ErasureStatus.PENDING:
        return
    admins = (
        Membership.objects.filter(
            organization__in=erasure_request.organizations.all(),
            role=Role.ADMIN,
            user__is_active=True,
        )
        .select_related("user", "organization")
        .order_by("organization__name", "pk")
    )
    recipients: dict[str, Membership] = {}
    for membership in admins:
        recipients.setdefault(membership.user.email, membership)

    def send(address: str, membership: Membership) -> None:
        send_templated_email(
            to=[address],
            template="privacy_erasure/emails/requested",
            context={
                "erasure_request": erasure_request,
                "organization": membership.organization,
                "detail_path": reverse(
                    "privacy:erasure_request_detail",
                    kwargs={"slug": membership.organization.slug, "pk": erasure_request.pk},
                ),
            },
            language=membership.user.language,
        )

    outbox.send_each(
        purpose=REQUESTED_EMAILS, key=erasure_request.pk, recipients=recipients, send=send
    )


@resumable
@task()
def send_erasure_refused_email(erasure_request_id: int) -> None:
    """Tell the person their request was refused, and why."""
    erasure_request = ErasureRequest.objects.select_related("person").get(pk=erasure_request_id)
    person = erasure_request.person
    outbox.send_templated_once(
        purpose="privacy.erasure.refused",
        key=erasure_request.pk,
        to=person.email,
        template="privacy_erasure/emails/refused",
        context={
            "erasure_request": erasure_request,
            "page_path": reverse("privacy:erasure_request"),
        },
        language=person.language,
    )


def send_erasure_done_email(address: str, language: str) -> None:
    """Tell a person just erased that it is done, at the address they had.

    Not a task on purpose: the address exists nowhere once the erasure has committed (a
    task's arguments and the delivery ledger are stored, and would keep it). Called
    after the commit; a failure is logged without the address and does not undo the
    erasure, which is what the person asked for."""
    try:
        send_templated_email(
            to=[address], template="privacy_erasure/emails/done", context={}, language=language
        )
    except Exception as error:  # the erasure stands; the log names no one
        logger.warning(
            "Erasure: the confirmation email could not be sent (%s)", type(error).__name__
        )
