from django.urls import reverse
from django_tasks import task

from mentorat.accounts.models import User
from mentorat.applications.imports.models import ImportBatch
from mentorat.notifications.emails import send_templated_email
from mentorat.organizations.models import Invitation


@task()
def send_import_invitations(batch_id: int) -> None:
    """Email the invitations an import created, each in its recipient's language, with
    the program they were registered for. Invitations accepted meanwhile are skipped."""
    from mentorat.organizations.services import invitation_token

    batch = ImportBatch.objects.select_related("program", "program__organization", "edition").get(
        pk=batch_id
    )
    invitations = Invitation.objects.filter(
        pk__in=batch.result.get("invitation_ids", []), accepted_at__isnull=True
    ).select_related("organization")
    people = {
        user.email.lower(): user
        for user in User.objects.filter(email__in=[i.email for i in invitations])
    }
    for invitation in invitations:
        person = people.get(invitation.email.lower())
        send_templated_email(
            to=[invitation.email],
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
