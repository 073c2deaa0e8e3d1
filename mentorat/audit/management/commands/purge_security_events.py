from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from mentorat.audit.services import purge_security_events


class Command(BaseCommand):
    help = (
        "Delete security events older than SECURITY_EVENT_RETENTION_DAYS (default 180) "
        "or --days. Run it daily (cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = purge_security_events(older_than_days=options["days"])
        self.stdout.write(f"deleted={deleted}")
