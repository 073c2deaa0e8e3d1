from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from mentorat.training.services import send_training_reminders


class Command(BaseCommand):
    help = (
        "Remind the people whose required training modules are past their deadline, at "
        "most once a week per person. Idempotent: run it daily next to run_followup "
        "(see docs/operations/followup.md)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        concerned = send_training_reminders(today=timezone.localdate())
        self.stdout.write(f"people_reminded={concerned}")
