"""`manage.py recover_tasks`: one pass of the orphaned-task recovery that every
`db_worker` runs at start-up and at each heartbeat; for a cron job on deployments whose
workers are started some other way."""

from typing import Any

from django.core.management.base import BaseCommand

from mentorat.worker.recovery import recover_orphaned_tasks


class Command(BaseCommand):
    help = "Queue again or mark failed the background tasks whose worker died."

    def handle(self, *args: Any, **options: Any) -> None:
        recovered = recover_orphaned_tasks()
        self.stdout.write(
            f"{len(recovered.requeued)} task(s) queued again, "
            f"{len(recovered.failed)} marked failed."
        )
