"""Background tasks of conversations."""

from django_tasks import task


@task()
def notify_new_message(message_id: int) -> None:
    """Tell the thread's readers who have not read message `message_id` (and want to be
    told soon) by email. Queued with a delay when the message is posted."""
