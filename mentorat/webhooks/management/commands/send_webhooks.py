from typing import Any

from django.core.management.base import BaseCommand

from mentorat.webhooks.services import queue_due_deliveries, sweep_pair_health


class Command(BaseCommand):
    help = (
        "Queue the webhook deliveries due for a retry (the workers also do it at each "
        "heartbeat) and announce pairs whose health changed since the last run. "
        "Idempotent: run it every few minutes from cron or a systemd timer "
        "(see docs/webhooks.md)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        health = sweep_pair_health()
        queued = queue_due_deliveries()
        self.stdout.write(f"health_changes={health} queued={queued}")
