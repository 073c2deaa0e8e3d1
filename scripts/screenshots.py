"""Screenshots of Mentorat's key pages at 1280 px and 390 px wide, from the demo data.

    .venv/bin/python scripts/screenshots.py            # or: make screenshots

Loads the demo into a throw-away SQLite database, serves it with `runserver` on a free
local port, signs in as each demo persona with the system Chromium (Playwright) and saves
one PNG per page and width into docs/screenshots/ (`<page>-desktop.png`, `<page>-phone.png`).
It also reports any page wider than the phone viewport (`scrollWidth > 390`).

`key_pages()` (the personas and their pages) is shared with
tests/browser/test_phone_layout.py, which checks the same pages at 390 px with axe.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "screenshots"
if TYPE_CHECKING:
    from playwright.sync_api import ViewportSize

DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 390, "height": 844}
BROWSER_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]


@dataclass(frozen=True)
class Persona:
    """A demo login and the key pages it opens (`(name, path)`; name is the file stem)."""

    key: str
    email: str | None  # None: anonymous visitor
    two_factor: bool = False
    pages: list[tuple[str, str]] = field(default_factory=list)


def key_pages() -> list[Persona]:
    """The demo personas and their key pages. Needs Django set up on a database holding
    the demo data (`load_demo`)."""
    # Imported here: the module is usable (argument parsing, the server) before Django is set up.
    from django.urls import reverse

    from mentorat.matching.models import MatchRun, Proposal, RunStatus
    from mentorat.mentorships.models import Mentorship

    slug = "premier-emploi-masters-de-luniversite"
    pair = Mentorship.objects.filter(
        mentee_application__user__email="mentoree@universite.demo"
    ).first()
    review_run = (
        MatchRun.objects.filter(edition__program__slug=slug)
        .exclude(status=RunStatus.PUBLISHED)
        .order_by("-pk")
        .first()
    ) or MatchRun.objects.filter(edition__program__slug=slug).order_by("-pk").first()
    coordinator_pages = [
        ("coordinator-home", reverse("web:home")),
        ("program", reverse("programs:manage", kwargs={"slug": slug})),
    ]
    if review_run is not None:
        run = {"slug": slug, "pk": review_run.pk}
        coordinator_pages += [
            ("matching-run", reverse("matching:run", kwargs=run)),
            ("matching-proposals", reverse("matching:proposals", kwargs=run)),
        ]
        proposal = Proposal.objects.filter(run=review_run, mentee__isnull=False).first()
        if proposal is not None:
            coordinator_pages.append(
                (
                    "matching-mentee",
                    reverse("matching:mentee", kwargs={**run, "mentee": proposal.mentee_id}),
                )
            )
    coordinator_pages += [
        ("followup-dashboard", reverse("mentorships:dashboard", kwargs={"slug": slug})),
        ("reports", reverse("reports:program", kwargs={"slug": slug})),
    ]
    participant_pair = []
    if pair is not None:
        workspace = reverse("mentorships:workspace", kwargs={"pk": pair.pk})
        participant_pair = [("pair-workspace", workspace)]
        for tab in ("meetings", "goals"):
            participant_pair.append((f"pair-workspace-{tab}", f"{workspace}?tab={tab}"))
    return [
        Persona(
            "visitor",
            None,
            pages=[("landing", "/"), ("programs", reverse("programs:public_list"))],
        ),
        Persona(
            "mentee",
            "mentoree@universite.demo",
            pages=[
                ("mentee-home", reverse("web:home")),
                *participant_pair,
                ("my-applications", reverse("applications:my_list")),
            ],
        ),
        Persona("mentor", "mentor@banque.demo", pages=[("mentor-home", reverse("web:home"))]),
        Persona(
            "coordinator", "coordination@universite.demo", two_factor=True, pages=coordinator_pages
        ),
        Persona(
            "organisation-admin",
            "direction@universite.demo",
            two_factor=True,
            pages=[
                ("admin-home", reverse("web:home")),
                ("members", reverse("organizations:members", kwargs={"slug": "universite"})),
            ],
        ),
    ]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (local server)
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer on {url}")


def _totp_code(secret: str) -> str:
    # Imported here: allauth needs Django set up.
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    if 30 - time.time() % 30 < 2:  # a code typed at the end of its window may expire
        time.sleep(2)
    return str(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))


def _shrink(path: Path) -> None:
    """Store the screenshot with a 256-colour palette: a third of the size, same look."""
    # Imported here: Pillow (a weasyprint dependency) is only needed for screenshots.
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


def _shoot(base_url: str, personas: list[Persona], output: Path, language: str) -> list[str]:
    # Imported here: Playwright is a test dependency, only needed when taking screenshots.
    from playwright.sync_api import sync_playwright

    from mentorat.demo.loader import DEMO_PASSWORD, DEMO_TOTP_SECRET

    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "chromium"
    too_wide = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=BROWSER_ARGS)
        for persona in personas:
            context = browser.new_context(base_url=base_url, locale=language, viewport=DESKTOP)
            page = context.new_page()
            if persona.email:
                page.goto("/accounts/login/")
                page.fill("main form input[name=login]", persona.email)
                page.fill("main form input[name=password]", DEMO_PASSWORD)
                page.click("main form button[type=submit]:not([form])")
                if persona.two_factor:
                    page.wait_for_url("**/accounts/2fa/authenticate/")
                    page.fill("main form input[name=code]", _totp_code(DEMO_TOTP_SECRET))
                    page.click("main form button[type=submit]:not([form])")
                page.wait_for_url(lambda url: "/accounts/" not in url)
            for name, path in persona.pages:
                for suffix, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
                    page.set_viewport_size(viewport)
                    page.goto(path)
                    width = page.evaluate("() => document.documentElement.scrollWidth")
                    if suffix == "phone" and width > PHONE["width"]:
                        too_wide.append(f"{name} ({path}): {width} px")
                    shot = output / f"{name}-{suffix}.png"
                    page.screenshot(path=str(shot), animations="disabled")
                    _shrink(shot)
                print(f"  {persona.key:<20} {name}")
            context.close()
        browser.close()
    return too_wide


def main() -> int:
    """Load the demo, serve it, and save the screenshots; non-zero if a page is too wide."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--language", default="fr-FR", help="browser locale (fr-FR, en-GB)")
    parser.add_argument(
        "--base-url",
        help="use this running server (its demo database given by DATABASE_URL) instead",
    )
    args = parser.parse_args()
    args.output.mkdir(parents=True, exist_ok=True)
    if args.base_url:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorat.settings")
        # Imported here: Django is set up only once the database is known.
        import django

        django.setup()
        too_wide = _shoot(args.base_url, key_pages(), args.output, args.language)
        print("\n".join(f"  too wide at {PHONE['width']} px: {line}" for line in too_wide))
        return 1 if too_wide else 0

    workdir = Path(tempfile.mkdtemp(prefix="mentorat-screenshots-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'demo.sqlite3'}",
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "mentorat.settings",
    }
    os.environ.update(env)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], check=True, env=env, cwd=ROOT)  # noqa: S603
    subprocess.run([*manage, "load_demo"], check=True, env=env, cwd=ROOT, capture_output=True)  # noqa: S603

    # Imported here: Django is set up only once the demo database exists.
    import django

    django.setup()
    personas = key_pages()

    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base_url = f"http://127.0.0.1:{port}"
        _wait_for(base_url + "/healthz")
        too_wide = _shoot(base_url, personas, args.output, args.language)
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"Screenshots saved in {args.output}")
    for line in too_wide:
        print(f"  too wide at {PHONE['width']} px: {line}")
    return 1 if too_wide else 0


if __name__ == "__main__":
    sys.exit(main())
