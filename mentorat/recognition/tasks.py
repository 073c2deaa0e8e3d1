"""Background work of recognition: signing Open Badges credentials."""

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from mentorat.recognition import badges
from mentorat.recognition.models import Credential
from mentorat.worker.recovery import resumable


@resumable
@task()
def issue_credential(credential_id: int) -> None:
    """Sign credential `credential_id` once. Idempotent and safe to kill at any point:
    the row is locked for the signature and written in the same transaction, so a dead
    worker leaves it unsigned (and the task is run again), never half-written; a
    signed, revoked or deleted credential is left alone."""
    with transaction.atomic():
        credential = (
            Credential.objects.select_for_update()
            .select_related("organization", "holder")
            .filter(pk=credential_id)
            .first()
        )
        if credential is None or credential.token or credential.revoked_at is not None:
            return
        credential.token = badges.sign(credential)
        credential.issued_at = timezone.now()
        credential.save(update_fields=["token", "issued_at"])
