"""Background work of webhooks: each delivery attempt, and the email telling an
organisation's admins that an endpoint was disabled. Both may run again after a worker
died: an attempt takes its delivery with a lease (`services.attempt`), the email goes
through the delivery ledger."""

from django_tasks import task

from mentorat.accounts.models import User
from mentorat.notifications import outbox
from mentorat.notifications.emails import send_templated_email
from mentorat.organizations.models import Role
from mentorat.webhooks import services
from mentorat.webhooks.models import Endpoint
from mentorat.worker.recovery import resumable


@resumable
@task()
def deliver(delivery_id: int, trigger: str = "") -> None:
    """One attempt of delivery `delivery_id` if it is due; the next one is queued by
    `services.queue_due_deliveries` when its delay has passed."""
    services.attempt(delivery_id, trigger=trigger)


@resumable
@task()
def tell_admins_endpoint_disabled(endpoint_id: int) -> None:
    """Email the organisation's admins that endpoint `endpoint_id` was disabled after
    failing too often, once per disabling."""
    endpoint = Endpoint.objects.select_related("organization").get(pk=endpoint_id)
    admins = User.objects.filter(
        memberships__organization=endpoint.organization_id,
        memberships__role=Role.ADMIN,
        is_active=True,
    ).distinct()

    def send(address: str, admin: User) -> None:
        send_templated_email(
            to=[address],
            template="webhooks/emails/endpoint_disabled",
            context={
                "endpoint": endpoint,
                "organization": endpoint.organization,
                "page_url": services.endpoint_page(endpoint),
                "failures": endpoint.failures_in_a_row,
            },
            language=admin.language,
        )

    outbox.send_each(
        purpose="webhooks.endpoint_disabled",
        key=f"{endpoint.pk}:{endpoint.failures_in_a_row}",
        recipients={admin.email: admin for admin in admins},
        send=send,
    )
