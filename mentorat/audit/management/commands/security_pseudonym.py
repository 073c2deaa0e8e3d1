from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mentorat.accounts.models import User
from mentorat.audit.models import SecurityEvent
from mentorat.audit.pseudonyms import identify, pseudonyms_of


class Command(BaseCommand):
    help = (
        "Re-identify in the security log, when legally needed: give an email to get the "
        "account's pseudonym(s) and event count, or a pseudonym to find its account."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email_or_pseudonym")

    def handle(self, *args: Any, **options: Any) -> None:
        wanted: str = options["email_or_pseudonym"].strip()
        if "@" in wanted:
            user = User.objects.filter(email__iexact=wanted).first()
            if user is None:
                raise CommandError("No account with this email.")
            for pseudonym in pseudonyms_of(user.pk):
                count = SecurityEvent.objects.filter(user_pseudonym=pseudonym).count()
                self.stdout.write(f"{pseudonym} events={count}")
            return
        found = identify(wanted)
        if found is None:
            raise CommandError(
                "No current account has this pseudonym (deleted account, or written "
                "under a key no longer in SECRET_KEY / SECRET_KEY_FALLBACKS)."
            )
        self.stdout.write(f"{found.email} id={found.pk}")
