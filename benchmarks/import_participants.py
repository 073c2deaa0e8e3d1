"""Bulk import benchmark: time to check and import a participant file of N rows.

    .venv/bin/python -m benchmarks.import_participants               # 5,000 rows, SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python -m benchmarks.import_participants --rows 5000   # + PostgreSQL

Each database runs in a fresh subprocess on a throwaway database (a temporary SQLite file;
on PostgreSQL a database created next to the one DATABASE_URL names, then dropped), with
DEBUG off and the task queue not running (sending the invitation emails is background
work, not part of the import). Timed steps:

- preview: parse, check every row against the database, store the file (what the
  coordinator waits for after uploading);
- import: the confirmation, which parses and checks again, then writes everything in one
  transaction (new people, profiles, applications, invitations, audit entries);
- re-import: the same file again, corrected names: every row updates a known person.

Wall time and this process's CPU time are printed: on a shared machine the CPU time is
the steadier figure (on PostgreSQL the server's own CPU time is not in it).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

HEADER = [
    "email", "first_name", "last_name", "role", "birth_date", "gender", "region",
    "rome_domain", "field", "goals", "languages", "remote_ok", "skills_wanted",
]  # fmt: skip
REGIONS = ["Île-de-France", "Auvergne-Rhône-Alpes", "Hauts-de-France", "Occitanie", "Bretagne"]


def rows(count: int, suffix: str = "") -> list[list[str]]:
    out = []
    for n in range(count):
        mentor = n % 4 == 0
        out.append(
            [
                f"personne{n}@ecole.example.org",
                f"Prénom{n}",
                f"Nom{n}{suffix}",
                "Mentor·e" if mentor else "Mentoré·e",
                f"{1 + n % 28:02d}/{1 + n % 12:02d}/{1970 if mentor else 2004}",
                ["Femme", "Homme", "F", "H"][n % 4],
                REGIONS[n % len(REGIONS)],
                "ABCDEFGHIJKLMN"[n % 14],
                "Informatique",
                "Premier emploi; network",
                "français; anglais",
                "oui",
                "Gestion de projet; Prise de parole",
            ]
        )
    return out


def csv_file(data: list[list[str]]) -> bytes:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(data)
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_file(data: list[list[str]]) -> bytes:
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in data:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def worker(count: int) -> dict[str, Any]:
    """Runs inside the subprocess, on the throwaway database."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from mentorat.accounts.models import User
    from mentorat.applications.imports.services import preview_import, run_import
    from mentorat.applications.models import Application
    from mentorat.organizations.models import Invitation, Membership, Organization, Role
    from mentorat.programs.models import Edition, Program

    organization = Organization.objects.create(name="Lycée Bench", slug="bench", kind="company")
    coordinator = User.objects.create_user("coord@bench.example.org", "x")
    Membership.objects.create(user=coordinator, organization=organization, role=Role.COORDINATOR)
    program = Program.objects.create(organization=organization, name="Bench", slug="bench")
    edition = Edition.objects.create(
        program=program,
        name="2026",
        applications_open_on="2026-01-01",
        applications_close_on="2026-12-31",
        matching_on="2026-12-31",
        starts_on="2027-01-01",
        ends_on="2027-06-30",
    )
    results: dict[str, Any] = {"database": connection.vendor, "rows": count}

    def timed(label: str, content: bytes, name: str) -> None:
        start, cpu = time.perf_counter(), time.process_time()
        batch, report = preview_import(
            program=program,
            edition=edition,
            organization=organization,
            default_role="",
            filename=name,
            content=content,
            actor=coordinator,
        )
        results[f"{label} preview"] = (time.perf_counter() - start, time.process_time() - cpu)
        assert not report.error_rows, report.error_rows[0].errors
        statements = 0

        def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            nonlocal statements
            statements += 1
            return execute(sql, params, many, context)

        start, cpu = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(count):
            run_import(batch=batch, sha256=batch.sha256, actor=coordinator)
        results[f"{label} import"] = (time.perf_counter() - start, time.process_time() - cpu)
        results[f"{label} statements"] = statements

    timed("CSV", csv_file(rows(count)), "bench.csv")
    assert Application.objects.count() == count
    timed("CSV again", csv_file(rows(count, suffix="-corrigé")), "bench.csv")
    Application.objects.all().delete()
    User.objects.exclude(pk=coordinator.pk).delete()
    Invitation.objects.all().delete()
    timed("XLSX", xlsx_file(rows(count)), "bench.xlsx")
    return results


def _run(count: int, database_url: str) -> dict[str, Any]:
    env = os.environ | {
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-secret-key-" + "x" * 40,
        "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DJANGO_SETTINGS_MODULE": "mentorat.settings",
        "LOG_LEVEL": "WARNING",
    }
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.import_participants", "--worker", str(count)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _postgres(count: int, url: str) -> dict[str, Any]:
    import psycopg

    name = f"mentorat_bench_import_{os.getpid()}"
    parts = urlsplit(url)
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        return _run(count, urlunsplit(parts._replace(path=f"/{name}")))
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker)))
        return
    outcomes = []
    with tempfile.TemporaryDirectory() as folder:
        outcomes.append(_run(args.rows, f"sqlite:///{Path(folder) / 'bench.sqlite3'}"))
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        outcomes.append(_postgres(args.rows, os.environ["DATABASE_URL"]))
    load = os.getloadavg()[0]
    print(f"load average at the end: {load:.1f} on {os.cpu_count()} CPUs")
    for outcome in outcomes:
        print(f"{outcome['database']}, {outcome['rows']:,} rows:   wall    CPU (this process)")
        for key, value in outcome.items():
            if isinstance(value, list):
                print(f"  {key:<20} {value[0]:6.2f} s {value[1]:6.2f} s")
            elif key.endswith("statements"):
                print(f"  {key:<20} {value:>6} SQL statements")


if __name__ == "__main__":
    main()
