from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mentorat.conversations.notify import send_message_digests
from mentorat.notifications.outbox import EmailsNotSent


class Command(BaseCommand):
    help = (
        "Daily digest of unread messages: one email per person who chose it, listing the "
        "conversations with messages they have neither read nor been told of (no content "
        "for minors' conversations). Idempotent: once per person and day, however often "
        "it runs; run it daily next to run_followup (see docs/operations/followup.md)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            outcome = send_message_digests()
        except EmailsNotSent as error:
            raise CommandError(f"{error}; run the command again to retry them") from error
        self.stdout.write(f"message digests sent={outcome.sent} skipped={outcome.skipped}")
