from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mentorat.privacy.retention.services import apply_retention


class Command(BaseCommand):
    help = (
        "Daily retention run: warn people 30 days before their account is erased, erase "
        "participants past their organisations' period, anonymise old declined or "
        "withdrawn applications, remove accounts never confirmed, delete old audit "
        "entries. Prints, per rule, the count and the pseudonymous ids (never a name or "
        "an email). Idempotent: run it once a day next to run_followup (see "
        "docs/operations/followup.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List what is due and change nothing (no email is sent).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = apply_retention(dry_run=options["dry_run"])
        mode = "dry run: nothing changed" if report.dry_run else "applied"
        self.stdout.write(f"retention {report.today.isoformat()} ({mode})")
        for name, outcome in report.rules():
            self.stdout.write(f"{name}={outcome.count}")
            for item_id in outcome.ids:
                self.stdout.write(f"  {item_id}")
            for item_id in outcome.failed:
                self.stdout.write(f"  failed: {item_id}")
        if report.failures:
            raise CommandError(
                f"{report.failures} item(s) failed and were left as they were; "
                "the next run tries them again (see the log)"
            )
