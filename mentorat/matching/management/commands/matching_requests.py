from typing import Any

from django.core.management.base import BaseCommand

from mentorat.matching.services.requests import process_pending_requests
from mentorat.matching.services.runs import expire_stale_runs


class Command(BaseCommand):
    help = (
        "Self-matching: remind mentors of pending requests (3 and 10 days) and expire "
        "overdue ones; mark dead matching runs failed. Run it daily (cron)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = process_pending_requests()
        stale = expire_stale_runs()
        self.stdout.write(f"reminded={result.reminded} expired={result.expired} stale_runs={stale}")
