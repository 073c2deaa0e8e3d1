"""Emails of opportunities, sent in the background through the delivery ledger
(`mentorat.notifications.outbox`): run again after its worker died, a task sends nothing
twice."""

from django.urls import reverse
from django_tasks import task

from mentorat.accounts.models import User
from mentorat.notifications import outbox
from mentorat.notifications.emails import send_templated_email
from mentorat.opportunities.models import Candidacy, Opportunity
from mentorat.organizations.models import Role
from mentorat.worker.recovery import resumable

#: Who manages the candidates of an offer (`mentorat.permissions.opportunities.STAFF`).
_STAFF_ROLES = (Role.ADMIN, Role.COORDINATOR)


@resumable
@task()
def send_candidacy_email(candidacy_id: int, event: str) -> None:
    """Tell the candidate the offering organisation's decision (`shortlisted`,
    `accepted` or `declined`), once per candidacy and event."""
    candidacy = Candidacy.objects.select_related(
        "opportunity__organization", "opportunity__contact", "candidate"
    ).get(pk=candidacy_id)
    candidate = candidacy.candidate

    def send(address: str, person: User) -> None:
        send_templated_email(
            to=[address],
            template="opportunities/emails/decision",
            context={
                "event": event,
                "candidacy": candidacy,
                "opportunity": candidacy.opportunity,
                "path": reverse("opportunities:candidacy", args=[candidacy.pk]),
            },
            language=person.language,
            recipient=person,
        )

    outbox.send_each(
        purpose="opportunities.candidacy",
        key=f"{candidacy.pk}:{event}",
        recipients={candidate.email: candidate} if candidate.is_active else {},
        send=send,
    )


def offer_contacts(opportunity: Opportunity) -> dict[str, User]:
    """Who hears of a new candidacy: the opportunity's contact person while she is still
    an admin or coordinator of the offering organisation; otherwise (she left, or none
    was named) every active admin and coordinator of that organisation, so that no
    candidacy waits unseen. Never anyone of another organisation."""
    staff = User.objects.filter(
        is_active=True,
        memberships__organization_id=opportunity.organization_id,
        memberships__role__in=_STAFF_ROLES,
    ).distinct()
    contact = staff.filter(pk=opportunity.contact_id).first() if opportunity.contact_id else None
    people = [contact] if contact is not None else list(staff.order_by("pk"))
    return {person.email: person for person in people}


@resumable
@task()
def send_candidacy_received_email(candidacy_id: int) -> None:
    """Tell the offering organisation's contacts (`offer_contacts`) that a candidacy
    arrived, once per candidacy and contact."""
    candidacy = Candidacy.objects.select_related("opportunity__organization", "candidate").get(
        pk=candidacy_id
    )
    opportunity = candidacy.opportunity

    def send(address: str, person: User) -> None:
        send_templated_email(
            to=[address],
            template="opportunities/emails/received",
            context={
                "candidacy": candidacy,
                "opportunity": opportunity,
                "candidate": candidacy.candidate.display_name,
                "path": reverse("opportunities:candidacy", args=[candidacy.pk]),
                "candidates_path": reverse("opportunities:candidates", args=[opportunity.pk]),
            },
            language=person.language,
            recipient=person,
        )

    outbox.send_each(
        purpose="opportunities.candidacy_received",
        key=str(candidacy.pk),
        recipients=offer_contacts(opportunity),
        send=send,
    )
