"""Reports dashboard benchmark: render a program's report page with N mentees.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python -m benchmarks.reports_dashboard --mentees 20000

A throwaway database is created next to the one DATABASE_URL names (dropped at the end)
and a fresh subprocess, with DEBUG off, loads with bulk_create: one program, N accepted
mentees and N/2 mentors with profiles and applications, pairs for 90 % of the mentees
(15 % of them ended, with outcomes and skill self-assessments), three meetings with a
session log per pair and one answered check-in per person. A second program with a
tenth of the people is loaded the same way, to show that the number of queries does not
depend on the size. The page is requested through Django's test client, signed in as
the program's coordinator; the best and median of five renderings are printed, with
this process's CPU time (on PostgreSQL the server's own CPU time is not in it).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

RUNS = 5


def load(program_slug: str, mentees: int, organization: Any, coordinator: Any) -> Any:
    from mentorat.accounts.models import User
    from mentorat.applications.models import Application
    from mentorat.mentorships.models import (
        CheckIn,
        Meeting,
        Mentorship,
        Outcome,
        SessionLog,
        SkillAssessment,
    )
    from mentorat.participants.models import Profile, Skill
    from mentorat.programs.models import Edition, MatchingSettings, Objective, Program

    now = datetime.now(UTC)
    today = now.date()
    program = Program.objects.create(
        organization=organization, name=program_slug, slug=program_slug, kind="gender_diversity"
    )
    MatchingSettings.objects.create(
        program=program, priority_groups=["scholarship_holder", "vocational_pupil"]
    )
    for indicator, n in [
        ("matched_share", None),
        ("women_share", None),
        ("supported_months", 3),
        ("matched_within_days", 30),
        ("satisfaction", None),
        ("employed_or_training", 6),
    ]:
        Objective.objects.create(program=program, indicator=indicator, target=60, months=n)
    Objective.objects.create(
        program=program, indicator="mentors_recruited", target=mentees, unit="count"
    )
    Objective.objects.create(program=program, indicator="matched_share", target=80, rome_domain="F")
    edition = Edition.objects.create(
        program=program,
        name="2026",
        applications_open_on=today - timedelta(days=200),
        applications_close_on=today - timedelta(days=150),
        matching_on=today - timedelta(days=140),
        starts_on=today - timedelta(days=130),
        ends_on=today + timedelta(days=60),
    )
    mentors = mentees // 2
    users = User.objects.bulk_create(
        # "!" is Django's mark of an unusable password.
        User(email=f"{program_slug}-{i}@bench.example.org", password="!")  # noqa: S106
        for i in range(mentees + mentors)
    )
    Profile.objects.bulk_create(
        Profile(
            user=user,
            gender=["woman", "man", "", "non_binary"][i % 4],
            rome_domain="ABCDEFGHIJKLMN"[i % 14],
            field="Informatique",
            priority_groups=["scholarship_holder"] if i % 3 == 0 else [],
            goals=["career_change"] if i % 5 == 0 else ["first_job"],
        )
        for i, user in enumerate(users)
    )
    accepted_at = now - timedelta(days=145)
    Application.objects.bulk_create(
        Application(
            edition=edition,
            user=user,
            role="mentee" if i < mentees else "mentor",
            organization=organization,
            status="accepted",
            submitted_at=now - timedelta(days=180 - i % 30),
            accepted_at=accepted_at,
        )
        for i, user in enumerate(users)
    )
    mentee_users, mentor_users = users[:mentees], users[mentees:]
    matched = mentees * 9 // 10
    pairs = Mentorship.objects.bulk_create(
        Mentorship(
            edition=edition,
            mentor=mentor_users[i % mentors],
            mentee=mentee_users[i],
            status="ended" if i % 20 < 3 else "active",
            started_on=today - timedelta(days=130),
            ended_on=today - timedelta(days=20) if i % 20 < 3 else None,
            end_reason=("program_ended" if i % 2 else "not_a_fit") if i % 20 < 3 else "",
        )
        for i in range(matched)
    )
    Mentorship.objects.filter(edition=edition).update(created_at=accepted_at + timedelta(days=12))
    meetings = Meeting.objects.bulk_create(
        Meeting(
            mentorship=pair,
            starts_at=now - timedelta(days=10 + 30 * k + i % 7),
            mode="video",
            status="accepted",
            proposed_at=now - timedelta(days=40 + 30 * k),
        )
        for i, pair in enumerate(pairs)
        for k in range(3)
    )
    SessionLog.objects.bulk_create(
        SessionLog(
            meeting=m, mentorship_id=m.mentorship_id, duration_minutes=45 + i % 4 * 15, topics="CV"
        )
        for i, m in enumerate(meetings)
    )
    CheckIn.objects.bulk_create(
        CheckIn(
            mentorship=pair,
            respondent_id=person,
            role=role,
            occasion="monthly",
            period=3,
            sent_at=now - timedelta(days=12),
            answered_at=now - timedelta(days=10),
            satisfaction=1 + i % 5,
            recommend=i % 11,
        )
        for i, pair in enumerate(pairs)
        for person, role in ((pair.mentee_id, "mentee"), (pair.mentor_id, "mentor"))
    )
    ended = [p for p in pairs if p.status == "ended"]
    situations = ["cdi", "cdd", "apprenticeship", "further_studies", "job_seeking", "career_change"]
    Outcome.objects.bulk_create(
        Outcome(mentorship=p, stage=stage, situation=situations[i % 6], recorded_at=now)
        for i, p in enumerate(ended)
        for stage in ("end", "six_months")
    )
    skill, _ = Skill.objects.get_or_create(name="Communication", defaults={"kind": "transversal"})
    SkillAssessment.objects.bulk_create(
        SkillAssessment(mentorship=p, skill=skill, phase=phase, rater_role="mentee", level=level)
        for i, p in enumerate(ended)
        for phase, level in (("start", 1 + i % 3), ("end", 2 + i % 4))
    )
    return program


def worker(mentees: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    # Pages link the static files by their hashed names; without `collectstatic` here,
    # the plain storage serves the same page.
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }
    from django.urls import reverse

    call_command("migrate", verbosity=0)
    from mentorat.accounts.models import User
    from mentorat.organizations.models import Membership, Organization, Role

    organization = Organization.objects.create(name="Bench", slug="bench", kind="association")
    coordinator = User.objects.create_user("coord@bench.example.org", "x")
    Membership.objects.create(user=coordinator, organization=organization, role=Role.COORDINATOR)
    # Coordinators must have two-factor authentication set up to reach their pages.
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(coordinator, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    start = time.perf_counter()
    big = load("bench-big", mentees, organization, coordinator)
    small = load("bench-small", max(mentees // 10, 50), organization, coordinator)
    loaded = time.perf_counter() - start
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    client = Client()
    client.force_login(coordinator, backend="django.contrib.auth.backends.ModelBackend")
    results: dict[str, Any] = {"database": connection.vendor, "mentees": mentees, "load": loaded}

    def measure(program: Any, label: str) -> None:
        url = reverse("reports:program", kwargs={"slug": program.slug})
        statements = 0

        timings: list[tuple[float, str]] = []

        def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            nonlocal statements
            statements += 1
            began = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                timings.append((time.perf_counter() - began, sql))

        walls, cpus = [], []
        for _ in range(RUNS):
            statements = 0
            timings.clear()
            wall, cpu = time.perf_counter(), time.process_time()
            with connection.execute_wrapper(count):
                response = client.get(url)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
            assert response.status_code == 200, response.status_code
        results[label] = {
            "best": min(walls),
            "median": statistics.median(walls),
            "cpu median": statistics.median(cpus),
            "queries": statements,
            "slowest": [
                f"{seconds * 1000:.0f} ms {sql[:300]}" for seconds, sql in sorted(timings)[-6:]
            ],
        }

    measure(small, "small")
    measure(big, "big")
    return results


def _run(mentees: int, database_url: str) -> dict[str, Any]:
    env = os.environ | {
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-secret-key-" + "x" * 40,
        "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DJANGO_SETTINGS_MODULE": "mentorat.settings",
        "LOG_LEVEL": "WARNING",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "testserver",
    }
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.reports_dashboard", "--worker", str(mentees)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(done.stderr[-5000:])
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mentees", type=int, default=20000)
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker)))
        return
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL server (see the docstring).")
    import psycopg

    name = f"mentorat_bench_reports_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        result = _run(args.mentees, urlunsplit(urlsplit(url)._replace(path=f"/{name}")))
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    print(f"database: {result['database']}, data loaded in {result['load']:.1f} s")
    for label in ("small", "big"):
        r = result[label]
        people = args.mentees if label == "big" else max(args.mentees // 10, 50)
        print(
            f"{people:>6} mentees: best {r['best'] * 1000:.0f} ms,"
            f" median {r['median'] * 1000:.0f} ms (CPU {r['cpu median'] * 1000:.0f} ms),"
            f" {r['queries']} queries"
        )
        if os.environ.get("BENCH_SLOWEST"):
            print("\n".join(r["slowest"]))


if __name__ == "__main__":
    main()
