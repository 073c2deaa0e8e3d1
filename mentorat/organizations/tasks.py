"""Emails of organisations, sent in the background through the delivery ledger
(`mentorat.notifications.outbox`): a task run again after its worker died sends
nothing twice."""

from typing import Any

from django.urls import reverse
from django_tasks import task

from mentorat.accounts.models import User
from mentorat.notifications import outbox
from mentorat.notifications.emails import send_templated_email
from mentorat.organizations.links import invitation_token
from mentorat.organizations.models import Invitation, Organization, Role
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


@resumable
@task()
def send_approval_email(organization_id: int) -> None:
    """Tell the organisation's admins the platform's decision on its sign-up."""
    organization = Organization.objects.get(pk=organization_id)
    admins = {
        user.email: user
        for user in User.objects.filter(
            memberships__organization=organization, memberships__role=Role.ADMIN
        ).distinct()
    }

    def send(address: str, admin: User) -> None:
        send_templated_email(
            to=[address],
            template="organizations/emails/approval",
            context={
                "organization": organization,
                "approved": organization.is_approved,
                "path": reverse("organizations:detail", args=[organization.slug]),
            },
            language=admin.language,
        )

    decided = organization.decided_at.isoformat() if organization.decided_at else ""
    outbox.send_each(
        purpose="organizations.approval",
        key=f"{organization.pk}:{decided}",
        recipients=admins,
        send=send,
    )
