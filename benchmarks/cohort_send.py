"""Message to a cohort benchmark: a message to N people (default 5,000) sent by a real
`manage.py db_worker` through a real SMTP server, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python -m benchmarks.cohort_send --people 5000

A throwaway database is created next to the one DATABASE_URL names (then dropped), with
DEBUG off. An SMTP server that accepts and discards every message (aiosmtpd's `Sink`)
runs in its own process. Printed:

- build: the time to compute the segment and write the N inbox rows
  (`delivery.build_recipients`, what the task does first);
- send rate: emails per second through the delivery ledger (`outbox.send_each`), from
  the ledger's first to last `sent_at`, by one worker;
- baseline: in this process, the same emails rendered and sent the same way
  (`send_templated_email`, one SMTP connection each) without the ledger, for a sample:
  what the ledger costs is the gap between the two rates.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _environment(database_url: str, port: int) -> dict[str, str]:
    return os.environ | {
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "localhost",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_USE_TLS": "0",
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_TIMEOUT": "10",
        "DJANGO_SETTINGS_MODULE": "mentorat.settings",
        "LOG_LEVEL": "WARNING",
    }


def _cohort(people: int) -> tuple[Any, Any]:
    """An organisation, a program, an edition and `people` accepted mentees."""
    from datetime import timedelta

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from mentorat.accounts.models import User
    from mentorat.announcements.models import Announcement, Segment
    from mentorat.applications.models import Application, ApplicationStatus
    from mentorat.organizations.models import Membership, Organization, Role
    from mentorat.programs.models import Edition, ParticipantRole, Program

    today = timezone.localdate()
    organization = Organization.objects.create(name="Université Bench", slug="bench")
    program = Program.objects.create(
        organization=organization, name="Bench", slug="bench", kind="student_insertion"
    )
    edition = Edition.objects.create(
        program=program,
        name="Rentrée",
        applications_open_on=today - timedelta(days=100),
        applications_close_on=today - timedelta(days=80),
        matching_on=today - timedelta(days=70),
        starts_on=today - timedelta(days=60),
        ends_on=today + timedelta(days=120),
    )
    author = User.objects.create_user(email="coordination@bench.example.org", password=None)
    Membership.objects.create(user=author, organization=organization, role=Role.COORDINATOR)
    password = make_password(None)
    users = User.objects.bulk_create(
        [
            User(email=f"mentore{n}@bench.example.org", first_name=f"Prénom{n}", password=password)
            for n in range(people)
        ],
        batch_size=2000,
    )
    now = timezone.now()
    Application.objects.bulk_create(
        [
            Application(
                edition=edition,
                user=user,
                role=ParticipantRole.MENTEE,
                organization=organization,
                status=ApplicationStatus.ACCEPTED,
                submitted_at=now,
                accepted_at=now,
            )
            for user in users
        ],
        batch_size=2000,
    )
    announcement = Announcement.objects.create(
        program=program,
        edition=edition,
        organization=organization,
        author=author,
        segment=Segment.MENTEES,
        subject="Lancement de la promotion",
        body="Bonjour à **toutes et tous** : rendez-vous lundi à 18 h, [programme](https://example.org).",
    )
    return announcement, author


def child(people: int, baseline: int) -> None:
    """Runs in a subprocess on the throwaway database."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Max, Min
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from mentorat.announcements import delivery
    from mentorat.announcements.models import Announcement, AnnouncementRecipient
    from mentorat.announcements.selectors import EMAILS
    from mentorat.announcements.services import send_announcement
    from mentorat.lib.markdown import render_markdown
    from mentorat.notifications.emails import send_templated_email
    from mentorat.notifications.models import DeliveryStatus, EmailDelivery

    call_command("migrate", verbosity=0)
    announcement, author = _cohort(people)

    # Baseline first, on a sample, so the worker's run is not disturbed by it.
    recipients = list(
        announcement.edition.applications.select_related("user").order_by("pk")[:baseline]
    )
    body_html = render_markdown(announcement.body)
    started = time.perf_counter()
    for application in recipients:
        user = application.user
        send_templated_email(
            to=[user.email],
            template=delivery.TEMPLATE,
            context=delivery.email_context(
                announcement=announcement, recipient=user, body_html=body_html
            ),
            language=user.language or "fr",
            recipient=user,
        )
    baseline_seconds = time.perf_counter() - started

    count = send_announcement(announcement=announcement, actor=author)  # queues the task
    started = time.perf_counter()
    delivery.build_recipients(announcement_id=announcement.pk)
    build_seconds = time.perf_counter() - started
    assert AnnouncementRecipient.objects.filter(announcement=announcement).count() == count

    started = time.perf_counter()
    worker = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload", "--no-startup-delay"],
        cwd=ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        check=False,
    )
    worker_seconds = time.perf_counter() - started
    result = DBTaskResult.objects.get()
    if worker.returncode != 0 or result.status != TaskResultStatus.SUCCESSFUL:
        raise SystemExit(worker.stderr[-3000:])
    sent = EmailDelivery.objects.filter(purpose=EMAILS, status=DeliveryStatus.SENT)
    span = sent.aggregate(first=Min("sent_at"), last=Max("sent_at"))
    send_seconds = (span["last"] - span["first"]).total_seconds()
    Announcement.objects.get(pk=announcement.pk)
    print(f"recipients           {count:>8,}")
    print(f"build the list       {build_seconds:8.2f} s  (segment + {count:,} inbox rows)")
    print(
        f"send (ledger)        {send_seconds:8.2f} s  {sent.count() / send_seconds:7.1f} emails/s"
        f"  (worker process {worker_seconds:.1f} s with start-up)"
    )
    print(
        f"baseline (no ledger) {baseline_seconds:8.2f} s  {len(recipients) / baseline_seconds:7.1f}"
        f" emails/s  ({len(recipients):,} emails, same rendering and SMTP)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--baseline", type=int, default=1000, help="emails in the baseline")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.people, args.baseline)
        return
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL server (postgres://…).")
    import psycopg

    name = f"mentorat_bench_cohort_{os.getpid()}"
    port = _free_port()
    sink = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c",
         "aiosmtpd.handlers.Sink"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        time.sleep(0.5)  # the SMTP server starts
        database_url = urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.cohort_send", "--child",
             "--people", str(args.people), "--baseline", str(args.baseline)],
            cwd=ROOT,
            env=_environment(database_url, port),
            check=False,
        )  # fmt: skip
    finally:
        sink.terminate()
        sink.wait(timeout=10)
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    load = os.getloadavg()
    print(f"load average at the end: {load[0]:.1f} (5 min {load[1]:.1f}) on {os.cpu_count()} CPUs")
    if done.returncode:
        raise SystemExit(done.returncode)


if __name__ == "__main__":
    main()
