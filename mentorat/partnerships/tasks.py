"""Emails of partnerships, sent in the background through the delivery ledger
(`mentorat.notifications.outbox`): a task run again after its worker died, or queued
again for the same occasion, sends nothing twice."""

from django.urls import reverse
from django_tasks import task

from mentorat.accounts.models import User
from mentorat.notifications import outbox
from mentorat.notifications.emails import send_templated_email
from mentorat.organizations.models import Organization, Partnership, Role
from mentorat.partnerships.models import Agreement
from mentorat.worker.recovery import resumable

# Who hears of each event: the side that must act or learn of the other's answer.
_TO_PARTNER = ("proposed",)
_TO_PROPOSER = ("accepted", "declined")


def _people(organizations: list[Organization], role: Role) -> dict[str, User]:
    return {
        user.email: user
        for user in User.objects.filter(
            memberships__organization__in=organizations, memberships__role=role, is_active=True
        ).distinct()
    }


@resumable
@task()
def send_partnership_email(partnership_id: int, event: str) -> None:
    """`proposed` to the partner's admins; `accepted`/`declined` to the proposer's;
    `ended` to both sides' admins."""
    partnership = Partnership.objects.select_related("organization", "partner").get(
        pk=partnership_id
    )
    if event in _TO_PARTNER:
        sides = [partnership.partner]
    elif event in _TO_PROPOSER:
        sides = [partnership.organization]
    else:
        sides = [partnership.organization, partnership.partner]

    def send(address: str, admin: User) -> None:
        send_templated_email(
            to=[address],
            template="partnerships/emails/partnership",
            context={
                "event": event,
                "partnership": partnership,
                "path": reverse("partnerships:detail", args=[partnership.pk]),
            },
            language=admin.language,
        )

    outbox.send_each(
        purpose="partnerships.partnership",
        key=f"{partnership.pk}:{event}",
        recipients=_people(sides, Role.ADMIN),
        send=send,
    )


@resumable
@task()
def send_commitment_reminder(agreement_id: int, week: str, lines: list[list[str]]) -> None:
    """Remind both sides' coordinators of `lines` ([organisation, commitment, pledged,
    enrolled]) behind schedule, once per agreement and `week`."""
    agreement = Agreement.objects.select_related(
        "partnership__organization", "partnership__partner", "edition__program"
    ).get(pk=agreement_id)
    partnership = agreement.partnership

    def send(address: str, coordinator: User) -> None:
        send_templated_email(
            to=[address],
            template="partnerships/emails/commitment_reminder",
            context={
                "agreement": agreement,
                "partnership": partnership,
                "lines": lines,
                "path": reverse("partnerships:detail", args=[partnership.pk]),
            },
            language=coordinator.language,
        )

    outbox.send_each(
        purpose="partnerships.commitment_reminder",
        key=f"{agreement.pk}:{week}",
        recipients=_people([partnership.organization, partnership.partner], Role.COORDINATOR),
        send=send,
    )
