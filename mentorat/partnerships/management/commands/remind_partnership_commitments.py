from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from mentorat.partnerships.services import send_commitment_reminders


class Command(BaseCommand):
    help = (
        "Remind the coordinators of both sides of a partnership of the commitments behind "
        "schedule (mentors or mentees enrolled below the pledge) in the weeks before an "
        "edition's matching date; at most once a week per agreement. Idempotent: run it "
        "daily next to run_followup (see docs/operations/followup.md)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        concerned = send_commitment_reminders(today=timezone.localdate())
        self.stdout.write(f"agreements_behind={concerned}")
