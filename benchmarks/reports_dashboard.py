"""Reports dashboard benchmark: render a program's report page with N mentees.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python -m benchmarks.reports_dashboard --mentees 20000

A throwaway database is created next to the one DATABASE_URL names (dropped at the end)
and a fresh subprocess, with DEBUG off, loads with bulk_create: one program, N accepted
mentees and N/2 mentors with profiles and applications, pairs for 90 % of the mentees
(15 % of them ended, with outcomes and skill self-assessments), three meetings with a
session log per pair and one answered check-in per person. A second program with a
tenth of the people is loaded the same way, to show that the number of queries does not
depend on the size. A partner company, with which the big program is shared, employs a
third of its mentors.

Measured through Django's test client (first, best and median of five rounds, with this
process's CPU time, the time spent in SQL statements and, when PostgreSQL runs on this
machine, the CPU time of its process serving the connection): the program's report page
as its coordinator; its four charts as the page links them (SVG, one request each; the
first round draws them); and for the big program the report as the partner's
coordinator sees it (their people only), the organisation report of the owner (its
programs side by side) and that of the company (its contribution).

    --db-name NAME --keep    keep the loaded database; then --db-name NAME --reuse
                             measures it again without loading (same --mentees)
    --profile                cProfile of one rendering of the big report page
    BENCH_SLOWEST=1          the six slowest statements of the last report rendering
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

RUNS = 5


def load(program_slug: str, mentees: int, organization: Any) -> Any:
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
    applications = Application.objects.bulk_create(
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
    mentee_applications, mentor_applications = applications[:mentees], applications[mentees:]
    matched = mentees * 9 // 10
    pairs = Mentorship.objects.bulk_create(
        Mentorship(
            edition=edition,
            mentor_application=mentor_applications[i % mentors],
            mentee_application=mentee_applications[i],
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
        for person, role in ((pair.mentee_user_id, "mentee"), (pair.mentor_user_id, "mentor"))
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


PAGES = ("dashboard", "charts", "partner dashboard", "organisation", "company")


def setup(mentees: int) -> None:
    """Load both programs, a partner company whose staff see the big one and whose people
    mentor a third of its pairs, and their coordinators (with two-factor set up)."""
    from allauth.mfa.totp.internal.auth import TOTP
    from django.core.management import call_command
    from django.db import connection

    from mentorat.accounts.models import User
    from mentorat.applications.models import Application
    from mentorat.organizations.models import Membership, Organization, Role

    call_command("migrate", verbosity=0)
    organization = Organization.objects.create(name="Bench", slug="bench", kind="association")
    company = Organization.objects.create(name="Company", slug="bench-co", kind="company")
    for email, org in (
        ("coord@bench.example.org", organization),
        ("co@bench.example.org", company),
    ):
        user = User.objects.create_user(email, "x")
        Membership.objects.create(user=user, organization=org, role=Role.COORDINATOR)
        # Coordinators must have two-factor authentication set up to reach their pages.
        TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    big = load("bench-big", mentees, organization)
    load("bench-small", max(mentees // 10, 50), organization)
    big.shared_with.add(company)
    mentors = Application.objects.filter(edition__program=big, role="mentor").order_by("pk")
    ids = list(mentors.values_list("pk", "user_id"))[::3]
    Membership.objects.bulk_create(
        Membership(user_id=user_id, organization=company, role=Role.MENTOR) for _, user_id in ids
    )
    Application.objects.filter(pk__in=[pk for pk, _ in ids]).update(organization=company)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")


def worker(mentees: int, *, reuse: bool, profile: bool) -> dict[str, Any]:
    import django

    django.setup()
    # Django (settings, models, test client) is importable only after `django.setup()`,
    # so the functions below import it inside.
    from django.conf import settings
    from django.db import connection

    # Pages link the static files by their hashed names; without `collectstatic` here,
    # the plain storage serves the same page.
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }
    start = time.perf_counter()
    if not reuse:
        setup(mentees)
    loaded = time.perf_counter() - start
    coordinator, partner = _clients()
    results: dict[str, Any] = {"database": connection.vendor, "mentees": mentees, "load": loaded}
    server_cpu = _server_cpu_reader()
    for label, slug in (("small", "bench-small"), ("big", "bench-big")):
        pages = _pages(label, slug, coordinator, partner)
        results[label] = {
            page: _measure(client, urls, server_cpu) for page, (client, urls) in pages.items()
        }
    if profile:
        results["profile"] = _profile(coordinator)
    return results


def _clients() -> tuple[Any, Any]:
    """Test clients logged in as the program's coordinator and the partner's coordinator."""
    from django.test import Client

    from mentorat.accounts.models import User

    clients = []
    for email in ("coord@bench.example.org", "co@bench.example.org"):
        client = Client()
        client.force_login(
            User.objects.get(email=email), backend="django.contrib.auth.backends.ModelBackend"
        )
        clients.append(client)
    return clients[0], clients[1]


def _server_cpu_reader() -> Callable[[], float | None]:
    """A function giving the CPU seconds of the PostgreSQL process serving this connection."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()" if connection.vendor == "postgresql" else "")
        backend = cursor.fetchone()[0] if connection.vendor == "postgresql" else None
    ticks = os.sysconf("SC_CLK_TCK")

    def server_cpu() -> float | None:
        """CPU seconds of the PostgreSQL process serving this connection, when it runs
        on this machine (user + system time from /proc): unlike wall time, it does not
        grow when other processes compete for the processors."""
        try:
            with open(f"/proc/{backend}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except (OSError, TypeError):
            return None
        return (int(fields[11]) + int(fields[12])) / ticks

    return server_cpu


def _pages(label: str, slug: str, coordinator: Any, partner: Any) -> dict[str, Any]:
    """Page name -> (client, URLs requested one after the other) for one program."""
    from django.urls import reverse

    from mentorat.programs.models import Program
    from mentorat.reports.report import CHARTS

    program = Program.objects.get(slug=slug)
    dashboard = reverse("reports:program", kwargs={"slug": slug})
    # The charts as the page links them (under the digest of their data).
    page = coordinator.get(dashboard).content.decode()
    charts = [html.unescape(src) for src in re.findall(r'<img src="([^"]+\.svg[^"]*)"', page)]
    assert len(charts) == len(CHARTS), charts
    pages = {
        "dashboard": (coordinator, [dashboard]),
        "charts": (coordinator, charts),
    }
    if label == "big":
        pages["partner dashboard"] = (partner, [dashboard])
        pages["organisation"] = (
            coordinator,
            [reverse("reports:organization", args=[program.organization.slug])],
        )
        pages["company"] = (partner, [reverse("reports:organization", args=["bench-co"])])
    return pages


def _measure(
    client: Any, urls: list[str], server_cpu: Callable[[], float | None]
) -> dict[str, Any]:
    """Best and median of RUNS requests of `urls` (one after the other)."""
    from django.db import connection

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

    walls, cpus, dbs, servers = [], [], [], []
    for _ in range(RUNS):
        statements = 0
        timings.clear()
        server = server_cpu()
        wall, cpu = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(count):
            for url in urls:
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        dbs.append(sum(seconds for seconds, _ in timings))
        if server is not None:
            servers.append((server_cpu() or 0) - server)
    return {
        "server cpu median": statistics.median(servers) if servers else None,
        "first": walls[0],
        "best": min(walls),
        "median": statistics.median(walls),
        "cpu median": statistics.median(cpus),
        "db median": statistics.median(dbs),
        "queries": statements,
        "slowest": [
            f"{seconds * 1000:.0f} ms {sql[:300]}" for seconds, sql in sorted(timings)[-6:]
        ],
    }


def _profile(coordinator: Any) -> str:
    """cProfile statistics of one rendering of the big program's report page."""
    import cProfile
    import io
    import pstats

    from django.urls import reverse

    profiler = cProfile.Profile()
    profiler.enable()
    coordinator.get(reverse("reports:program", kwargs={"slug": "bench-big"}))
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(20)
    return out.getvalue()


def _run(mentees: int, database_url: str, *, reuse: bool, profile: bool) -> dict[str, Any]:
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
    command = [sys.executable, "-m", "benchmarks.reports_dashboard", "--worker", str(mentees)]
    command += ["--reuse"] * reuse + ["--profile"] * profile
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(done.stderr[-5000:])
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mentees", type=int, default=20000)
    parser.add_argument(
        "--db-name", help="database to create (default: one named after this process)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    parser.add_argument(
        "--reuse", action="store_true", help="measure a database kept by --keep (same --mentees)"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile one big rendering")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, reuse=args.reuse, profile=args.profile)))
        return
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL server (see the docstring).")
    if args.reuse and not args.db_name:
        raise SystemExit("--reuse needs --db-name.")
    import psycopg

    name = args.db_name or f"mentorat_bench_reports_{os.getpid()}"
    if not args.reuse:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        result = _run(
            args.mentees,
            urlunsplit(urlsplit(url)._replace(path=f"/{name}")),
            reuse=args.reuse,
            profile=args.profile,
        )
    finally:
        if not args.keep:
            with psycopg.connect(url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    print(f"database: {result['database']}, data loaded in {result['load']:.1f} s")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for label in ("small", "big"):
        people = args.mentees if label == "big" else max(args.mentees // 10, 50)
        for page, r in result[label].items():
            server = ""
            if r["server cpu median"] is not None:
                server = f", server CPU {r['server cpu median'] * 1000:4.0f} ms"
            print(
                f"{people:>6} mentees, {page + ':':<18} first {r['first'] * 1000:5.0f} ms,"
                f" best {r['best'] * 1000:5.0f} ms,"
                f" median {r['median'] * 1000:5.0f} ms (CPU {r['cpu median'] * 1000:4.0f} ms,"
                f" SQL {r['db median'] * 1000:4.0f} ms{server}), {r['queries']} queries"
            )
            if os.environ.get("BENCH_SLOWEST") and page == "dashboard":
                print("\n".join(r["slowest"]))
    if args.profile:
        print(result["profile"])


if __name__ == "__main__":
    main()
