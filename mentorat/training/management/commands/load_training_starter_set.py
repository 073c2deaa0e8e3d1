from typing import Any

from django.core.management.base import BaseCommand

from mentorat.training.starter import load_starter_set


class Command(BaseCommand):
    help = (
        "Create or update the platform's starter set of training modules (French and "
        "English), seen by every organisation. Idempotent: run it after each upgrade."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        created, updated = load_starter_set()
        self.stdout.write(f"created={created} updated={updated}")
