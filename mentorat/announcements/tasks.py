"""Background task of messages to a cohort; it takes an id and calls `delivery`."""

from django_tasks import task

from mentorat.announcements import delivery
from mentorat.worker.recovery import resumable


@resumable
@task()
def send_announcement(announcement_id: int) -> None:
    """Inbox rows once, then one email per recipient through the ledger: safe to run
    again after its worker died (`worker.recovery` queues it again)."""
    delivery.deliver(announcement_id=announcement_id)
