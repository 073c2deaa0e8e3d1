from typing import Any

from django.core.management.base import BaseCommand

from mentorat.events.reminders import send_reminders
from mentorat.events.services import expire_offers


class Command(BaseCommand):
    help = (
        "Periodic work of events: expire the places offered from a waiting list that were "
        "not confirmed in time (offering them to the next people), and send the reminder "
        "the day before each event. Idempotent: run it every hour from cron or a timer."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        expired = expire_offers()
        reminders = send_reminders()
        self.stdout.write(f"offers_expired={expired} reminders={reminders}")
