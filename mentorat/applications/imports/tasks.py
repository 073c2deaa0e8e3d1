from django.urls import reverse
from django_tasks import task

from mentorat.accounts.models import User
from mentorat.applications.imports.models import ImportBatch
from mentorat.notifications import outbox
from mentorat.notifications.emails import send_templated_email
from mentorat.organizations.links import invitation_token
from mentorat.organizations.models import Invitation
from mentorat.worker.recovery import resumable

# The ledger's purpose of the invitations an import sends (occasion: the batch).
INVITATION_EMAILS = "imports.invitation"


@resumable
@task()
def send_import_invitations(batch_id: int) -> None:
    """Email the invitations an import created, each in its recipient's language, with
    the program they were registered for. Invitations accepted meanwhile are skipped.

    Each invitation is sent once per batch whatever happens (worker killed, run again,
    retried by a coordinator): see `mentorat.notifications.outbox`."""
    batch = ImportBatch.objects.select_related("program", "program__organization", "edition").get(
        pk=batch_id
    )
    invitations = list(
        Invitation.objects.filter(
            pk__in=batch.result.get("invitation_ids", []), accepted_at__isnull=True
        ).select_related("organization")
    )
    people = {
        user.email.lower(): user
        for user in User.objects.filter(email__in=[i.email for i in invitations])
    }

    def send(address: str, invitation: Invitation) -> None:
        person = people.get(address.lower())
        send_templated_email(
            to=[address],
            template="imports/emails/invitation",
            context={
                "invitation": invitation,
                "person": person,
                "program": batch.program,
                "edition": batch.edition,
                "accept_path": reverse(
                    "organizations:invitation", kwargs={"token": invitation_token(invitation)}
                ),
                "password_path": reverse("account_reset_password"),
            },
            language=person.language if person else "fr",
        )

    outbox.send_each(
        purpose=INVITATION_EMAILS,
        key=batch.pk,
        recipients={invitation.email: invitation for invitation in invitations},
        send=send,
    )
