from typing import Any

from django.core.management.base import BaseCommand

from mentorat.demo.loader import DEMO_PASSWORD, DEMO_TOTP_SECRET, load_demo


class Command(BaseCommand):
    help = "Load the deterministic demo data set (idempotent) and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = load_demo()
        self.stdout.write("")
        self.stdout.write("Demo logins — identifiants de démonstration (http://127.0.0.1:8000)")
        self.stdout.write(f"Password / mot de passe (all accounts): {DEMO_PASSWORD}")
        for login in logins:
            note = "  [2FA: TOTP]" if login.two_factor else ""
            self.stdout.write(f"  {login.role:<48} {login.email}{note}")
        self.stdout.write(
            f"Two-factor secret for the [2FA] accounts (add it to an authenticator app): "
            f"{DEMO_TOTP_SECRET}\n"
            "  or print the current code with: .venv/bin/python manage.py demo_totp"
        )
