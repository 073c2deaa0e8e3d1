"""Emails of opportunities, sent in the background through the delivery ledger
(`mentorat.notifications.outbox`): run again after its worker died, a task sends nothing
twice."""

from django.urls import reverse
from django_tasks import task

from mentorat.accounts.models import User
from mentorat.notifications import outbox
from mentorat.notifications.emails import send_templated_email
from mentorat.opportunities.models import Candidacy
from mentorat.worker.recovery import resumable


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
