"""Emails of organisations, sent in the background through the delivery ledger
(`mentorat.notifications.outbox`): a task run again after its worker died sends
nothing twice."""

from typing import Any

from django.urls import reverse
from django_tasks import task

from mentorat.accounts.models import User
from mentorat.notifications import outbox
from mentorat.organizations.links import invitation_token
from mentorat.organizations.models import Invitation
from mentorat.worker.recovery import resumable


@resumable
@task(takes_context=True)
def send_invitation_email(context: Any, invitation_id: int) -> None:
    invitation = Invitation.objects.select_related("organization", "invited_by").get(
        pk=invitation_id
    )
    existing = User.objects.filter(email__iexact=invitation.email).first()
    language = (
        existing.language
        if existing
        else (invitation.invited_by.language if invitation.invited_by else "fr")
    )
    outbox.send_templated_once(
        purpose="organizations.invitation",
        key=outbox.task_key(context),
        to=invitation.email,
        template="organizations/emails/invitation",
        context={
            "invitation": invitation,
            "accept_path": reverse(
                "organizations:invitation", kwargs={"token": invitation_token(invitation)}
            ),
        },
        language=language,
    )
