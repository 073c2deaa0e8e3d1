from typing import Any

from django.core.management.base import BaseCommand

from mentorat.mentorships.services.followup import run_followup


class Command(BaseCommand):
    help = (
        "Daily follow-up of the pairs: close pairs whose edition ended, send monthly "
        "check-ins, remind pairs that do not meet (at most weekly), send coordinators their "
        "weekly digest and ask for the six-month outcome. Idempotent: run it once a day "
        "from cron or a systemd timer (see docs/operations/followup.md)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = run_followup()
        self.stdout.write(
            f"ended={report.ended} check_ins={report.check_ins} reminders={report.reminders} "
            f"digests={report.digests} six_month_requests={report.six_month_requests}"
        )
