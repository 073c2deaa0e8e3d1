"""The retention warning email, sent in the background through the delivery ledger
(`mentorat.notifications.outbox`), keyed by the warning: however many times the task is
queued or run again after its worker died, the person gets one email."""

from django.urls import reverse
from django_tasks import task

from mentorat.notifications import outbox
from mentorat.privacy.retention.models import WARNING_EMAILS, RetentionWarning
from mentorat.worker.recovery import resumable


@resumable
@task()
def send_retention_warning(warning_id: int) -> None:
    """Tell the person their account will be erased on the warning's day unless they
    sign in, in their language. Nothing is sent once they are erased."""
    warning = RetentionWarning.objects.select_related("user").get(pk=warning_id)
    if warning.erased_at is not None:
        return
    person = warning.user
    outbox.send_templated_once(
        purpose=WARNING_EMAILS,
        key=warning.pk,
        to=person.email,
        template="privacy_retention/emails/warning",
        context={
            "person": person,
            "erase_on": warning.erase_on,
            "login_path": reverse("account_login"),
        },
        language=person.language,
    )
