"""API list benchmark: 20,000 applications listed through the REST API, 100 a page,
on PostgreSQL behind gunicorn.

    .venv/bin/python benchmarks/api_list.py --duration 20

It creates a throwaway PostgreSQL database (DATABASE_URL's server, default
127.0.0.1:5432 user postgres; dropped at the end unless --keep), migrates it, writes one
program with 20,000 applications (bulk inserts) and an API key, starts gunicorn (3
workers, DEBUG off, persistent connections: the helpers of benchmarks/load/run.py), then
runs closed-loop clients (--clients threads, no pause) for --duration seconds on each of:

1. **reference**: /healthz (one trivial query), to compare machines and runs;
2. **first page**: `GET /api/v1/programs/<slug>/applications?limit=100`;
3. **full walk**: every page from the first to the 200th, following `next_cursor`;
4. **deep page**: the last page, from its cursor (keyset pagination: as cheap as the
   first; an OFFSET would read the 19,900 rows before it).

Prints requests/s, p50 and p95 for each, side by side. Figures: docs/benchmarks.md,
section "API list".
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.load.run import BIN, PYTHON, _env, _free_port, _manage, _wait_for  # noqa: E402

APPLICATIONS = 20_000
PAGE = 100
SLUG = "bench-api"


def seed() -> None:
    """Run inside the benchmark's database (`--seed`): the program, its applications
    and a key; prints the key."""
    import django

    django.setup()
    # Imported after django.setup(): the models need the app registry.
    from datetime import timedelta

    from django.utils import timezone

    from mentorat.accounts.models import User
    from mentorat.api.services import create_api_key
    from mentorat.applications.models import Application
    from mentorat.organizations.models import Membership, Organization
    from mentorat.programs.models import Edition, Program

    today = timezone.localdate()
    organization = Organization.objects.create(name="Bench", slug="bench", kind="university")
    admin = User.objects.create_user(email="admin@bench.example", password=None)
    Membership.objects.create(user=admin, organization=organization, role="admin")
    program = Program.objects.create(
        organization=organization, name="Bench", slug=SLUG, kind="student_insertion"
    )
    edition = Edition.objects.create(
        program=program,
        name="2027",
        applications_open_on=today,
        applications_close_on=today + timedelta(days=30),
        matching_on=today + timedelta(days=31),
        starts_on=today + timedelta(days=35),
        ends_on=today + timedelta(days=200),
    )
    users = User.objects.bulk_create(
        [
            User(email=f"person{k}@bench.example", first_name=f"P{k}", last_name="Bench")
            for k in range(APPLICATIONS)
        ],
        batch_size=2000,
    )
    now = timezone.now()
    Application.objects.bulk_create(
        [
            Application(
                edition=edition,
                user=user,
                role="mentee" if k % 3 else "mentor",
                organization=organization,
                status="submitted",
                submitted_at=now,
            )
            for k, user in enumerate(users)
        ],
        batch_size=2000,
    )
    # Fresh statistics, as autovacuum would gather them within a minute of the bulk
    # inserts: without them PostgreSQL expects ~30 applications, joins all 20,000 with their
    # people before taking the first 100, and the first page costs ~110 ms more than a deep one.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    _key, secret = create_api_key(
        organization=organization,
        name="bench",
        scopes=["read"],
        expires_at=now + timedelta(days=1),
        actor=admin,
    )
    print(secret)


def _load(
    base: str, key: str, urls: list[str], clients: int, duration: float
) -> tuple[float, list[float], int]:
    """Closed loop: each client requests `urls` in turn, again and again. Returns
    requests/s, the latencies (ms) and the number of failures."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + duration

    def client() -> None:
        session = requests.Session()
        session.headers.update({"Authorization": f"Bearer {key}", "X-Forwarded-Proto": "https"})
        mine: list[float] = []
        k = 0
        while time.monotonic() < deadline:
            started = time.perf_counter()
            response = session.get(base + urls[k % len(urls)], timeout=30)
            mine.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                with lock:
                    failures[0] += 1
            k += 1
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies) / (time.monotonic() - started), latencies, failures[0]


def _pages(base: str, key: str) -> list[str]:
    """The URLs of every page, following `next_cursor` from the first."""
    url = f"/api/v1/programs/{SLUG}/applications?limit={PAGE}"
    found = [url]
    headers = {"Authorization": f"Bearer {key}", "X-Forwarded-Proto": "https"}
    while True:
        body = requests.get(base + found[-1], headers=headers, timeout=30).json()
        if not body["next_cursor"]:
            return found
        found.append(f"{url}&cursor={body['next_cursor']}")


def _row(name: str, result: tuple[float, list[float], int]) -> str:
    rps, latencies, failures = result
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return (
        f"  {name:<34} {rps:8.1f} requests/s   p50 {quantiles[49]:6.1f} ms   "
        f"p95 {quantiles[94]:6.1f} ms   ({len(latencies)} requests, {failures} failed)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--seed", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed:
        seed()
        return

    server = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    server = re.sub(r"/[^/]*$", "", server)
    database = f"mentorat_api_bench_{os.getpid()}"
    admin_url = f"{server}/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{database}"')
    env = _env(f"{server}/{database}", None)
    gunicorn = None
    try:
        started = time.monotonic()
        _manage(ROOT, env, "migrate", "--verbosity", "0")
        key = (
            subprocess.run(
                [PYTHON, __file__, "--seed"],
                cwd=ROOT,
                env=env | {"PYTHONPATH": str(ROOT)},
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        print(
            f"database migrated, {APPLICATIONS} applications written: "
            f"{time.monotonic() - started:.0f} s"
        )
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        gunicorn = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "mentorat.wsgi",
                "--workers",
                str(args.workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env | {"API_RATE_LIMIT": "100000000/m"},
            start_new_session=True,
        )
        _wait_for(base + "/healthz")
        pages = _pages(base, key)
        assert len(pages) == APPLICATIONS // PAGE, len(pages)
        # Warm every worker (templates, URL resolver, connections).
        _load(base, key, pages[:10], args.clients, 3)
        print(
            f"\ngunicorn {args.workers} workers, {args.clients} clients, "
            f"{args.duration:.0f} s each, PostgreSQL:"
        )
        print(
            _row("reference: /healthz", _load(base, key, ["/healthz"], args.clients, args.duration))
        )
        print(_row("first page (100)", _load(base, key, pages[:1], args.clients, args.duration)))
        print(_row("full walk (200 pages)", _load(base, key, pages, args.clients, args.duration)))
        print(
            _row("deep page (the 200th)", _load(base, key, pages[-1:], args.clients, args.duration))
        )
    finally:
        if gunicorn is not None:
            os.killpg(gunicorn.pid, signal.SIGTERM)
            gunicorn.wait(timeout=30)
        if not args.keep:
            with psycopg.connect(admin_url, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


if __name__ == "__main__":
    main()
