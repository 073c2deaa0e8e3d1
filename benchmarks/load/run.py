"""Load benchmark: the demo on PostgreSQL behind gunicorn, signed-in personas, locust.

    .venv/bin/python benchmarks/load/run.py --duration 60

One command, under 3 minutes. It creates a throwaway PostgreSQL database (DATABASE_URL's
server, default 127.0.0.1:5432 user postgres; dropped at the end unless --keep), migrates
it, loads the demo (`load_demo`), collects the static files, then:

1. **single pages**: each GET page of the workload requested alone in a Django process
   with the same settings (median of 7, and its number of SQL statements; budget 30 ms
   and 15 queries; benchmarks/load/single.py);
2. starts gunicorn (3 workers, DEBUG off, persistent connections, production settings:
   generated SECRET_KEY, ALLOWED_HOSTS, BEHIND_HTTPS_PROXY with X-Forwarded-Proto) and
   signs the personas in through the real sign-in pages (password, then the TOTP code for
   the coordinators, who must use two-factor authentication);
3. **reference**: /healthz alone for 10 s (one trivial query), to compare machines and
   runs: machine speed varies from hour to hour and the machine may be shared;
4. **mixed workload**: locust, headless, --users simulated people (closed loop, no
   pause) for --duration seconds: 3 coordinators, a mentor and a mentee, each page
   weighted as in real use (homes, pair workspace, program and application pages, and
   writes: a session log, a goal's progress; benchmarks/load/pages.py). Prints
   requests/s and p50/p90/p99 per page and overall, and the CPU seconds used by the
   gunicorn workers, by the PostgreSQL backends of the benchmark's database, by the
   load generator and by everything else on the machine.

Options: --users N (16), --workers N (3), --duration S (60), --redis URL (the shared
cache in Redis instead of the database table), --source DIR (serve another checkout of
the project, e.g. an older commit exported with `git archive`, to compare before and
after on the same machine in the same hour), --single (step 1 only), --keep (do not drop
the database), --database NAME (its name; an existing one is reused without loading,
e.g. kept by a previous run: to iterate quickly).

Figures and their interpretation: docs/benchmarks.md, section "Pages under load".
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psutil  # type: ignore[import-untyped]
import psycopg
import requests

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
COORDINATOR_WEIGHT, MENTOR_WEIGHT, MENTEE_WEIGHT = 2, 3, 3
MENTOR_SESSIONS = MENTEE_SESSIONS = 3


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(database_url: str, redis: str | None) -> dict[str, str]:
    """Production settings, as a deployment behind a TLS proxy sets them."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "PYTHONPATH"}
    }
    env |= {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "BEHIND_HTTPS_PROXY": "1",
        "DATABASE_URL": database_url,
        "CONN_MAX_AGE": "60",
        "DJANGO_SETTINGS_MODULE": "mentorat.settings",
        "LOG_LEVEL": "WARNING",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    if redis:
        env["REDIS_URL"] = redis
    return env


def _manage(source: Path, env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [PYTHON, "manage.py", *args], cwd=source, env=env, check=True, stdout=subprocess.DEVNULL
    )


def _prepare(source: Path, env: dict[str, str]) -> None:
    started = time.monotonic()
    _manage(source, env, "migrate", "--verbosity", "0")
    _manage(source, env, "load_demo")
    _manage(source, env, "collectstatic", "--noinput", "--verbosity", "0")
    print(
        f"database migrated, demo loaded, static files collected: "
        f"{time.monotonic() - started:.0f} s"
    )


def _workload(source: Path, env: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    # Run by file name with the served checkout first on the path: the pages are looked up
    # with that checkout's models.
    output = subprocess.run(
        [PYTHON, str(HERE / "pages.py")],
        cwd=source,
        env=env | {"PYTHONPATH": str(source)},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pages: dict[str, list[dict[str, Any]]] = json.loads(output.strip().splitlines()[-1])
    return pages


# --- signing in ------------------------------------------------------------------------


class _Browser:
    """Just enough of a browser: keeps the cookies (Secure ones too, as the proxy would
    have served HTTPS) and sends the CSRF token and origin with forms."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies: dict[str, str] = {}
        self.http = requests.Session()

    def request(
        self, method: str, path: str, data: dict[str, str] | None = None
    ) -> requests.Response:
        headers = {
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        if method == "POST":
            origin = "https://" + urlsplit(self.base).netloc
            headers |= {"Origin": origin, "Referer": origin + path}
            data = (data or {}) | {"csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        response = self.http.request(
            method, self.base + path, data=data, headers=headers, allow_redirects=False, timeout=30
        )
        for cookie in response.cookies:
            self.cookies[cookie.name] = cookie.value or ""
        return response


def _totp(secret: str) -> str:
    import base64
    import hashlib
    import hmac
    import struct

    if 30 - time.time() % 30 < 2:  # a code typed at the end of its window may expire
        time.sleep(2)
    key = base64.b32decode(secret)
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def _sign_in(base: str, email: str, password: str, totp_secret: str) -> dict[str, str]:
    browser = _Browser(base)
    browser.request("GET", "/accounts/login/")
    response = browser.request("POST", "/accounts/login/", {"login": email, "password": password})
    location = response.headers.get("Location", "")
    if "/2fa/authenticate/" in location:
        browser.request("GET", location)
        response = browser.request("POST", location, {"code": _totp(totp_secret)})
        location = response.headers.get("Location", "")
    if response.status_code != 302 or "/accounts/" in location:
        raise SystemExit(f"signing in {email} failed: {response.status_code} {location}")
    return browser.cookies


# --- measuring CPU ---------------------------------------------------------------------


class _CpuSampler(threading.Thread):
    """CPU seconds of process groups, sampled every half second (processes that end
    between two samples keep their last reading)."""

    def __init__(self, groups: dict[str, Any]) -> None:
        super().__init__(daemon=True)
        self.groups = groups  # name -> callable returning the processes of the group
        self.first: dict[int, float] = {}
        self.last: dict[tuple[str, int], float] = {}
        self.stop = threading.Event()
        self.machine_start = psutil.cpu_times()
        self.machine_end = self.machine_start
        self.wall = 0.0

    def _sample(self) -> None:
        for name, processes in self.groups.items():
            for process in processes():
                try:
                    times = process.cpu_times()
                except psutil.Error:
                    continue
                used = times.user + times.system
                self.first.setdefault(process.pid, used)
                self.last[(name, process.pid)] = used

    def run(self) -> None:
        started = time.monotonic()
        self._sample()
        while not self.stop.wait(0.5):
            self._sample()
        self._sample()
        self.machine_end = psutil.cpu_times()
        self.wall = time.monotonic() - started

    def seconds(self) -> dict[str, float]:
        used: dict[str, float] = {}
        for (name, pid), value in self.last.items():
            used[name] = used.get(name, 0.0) + value - self.first[pid]
        busy = sum(
            getattr(self.machine_end, f) - getattr(self.machine_start, f)
            for f in ("user", "system", "nice", "irq", "softirq")
        )
        used["everything else"] = max(0.0, busy - sum(used.values()))
        return used


def _children(pid: int) -> list[psutil.Process]:
    try:
        parent = psutil.Process(pid)
        return [parent, *parent.children(recursive=True)]
    except psutil.Error:
        return []


def _postgres_backends(database: str) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["name", "cmdline"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        if cmdline.startswith("postgres: ") and f" {database} " in cmdline:
            found.append(process)
    return found


def _pg_counters(database_url: str) -> dict[str, int]:
    """Rows written to the session table, from PostgreSQL's statistics. (Not the number
    of transactions: idle backends report theirs up to 10 s late, so the reference run's
    would be counted in the mixed workload's.)"""
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("SELECT pg_stat_clear_snapshot()")
        sessions = connection.execute(
            "SELECT n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables"
            " WHERE relname = 'django_session'"
        ).fetchone()
    return {"session rows written": sessions[0] if sessions else 0}


# --- locust ----------------------------------------------------------------------------


def _locust(
    base: str,
    users: int,
    seconds: int,
    user_classes: list[str],
    workload: Path | None,
    prefix: Path,
    sampler: _CpuSampler | None,
) -> None:
    command = [
        str(BIN / "locust"),
        "-f",
        str(HERE / "locustfile.py"),
        "--headless",
        "--host",
        base,
        "--users",
        str(users),
        "--spawn-rate",
        str(users),
        "--run-time",
        f"{seconds}s",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "ERROR",
        "--stop-timeout",
        "5",
        *user_classes,
    ]
    env = os.environ | {"BENCH_HOST": urlsplit(base).netloc}
    if workload:
        env["BENCH_WORKLOAD"] = str(workload)
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    if sampler is not None:
        sampler.groups["load generator (locust)"] = lambda: _children(process.pid)
        sampler.start()
    _out, err = process.communicate(timeout=seconds + 60)
    if sampler is not None:
        sampler.stop.set()
        sampler.join()
    if process.returncode not in (0, 1):  # 1: some requests failed, reported below
        raise SystemExit(f"locust failed ({process.returncode}):\n{err[-3000:]}")


def _stats(prefix: Path) -> list[dict[str, str]]:
    with Path(f"{prefix}_stats.csv").open() as file:
        return list(csv.DictReader(file))


def _failures(prefix: Path) -> list[dict[str, str]]:
    path = Path(f"{prefix}_failures.csv")
    return list(csv.DictReader(path.open())) if path.exists() else []


def _print_stats(rows: list[dict[str, str]]) -> dict[str, float]:
    print(
        f"{'page':<34} {'requests':>8} {'fail':>5} {'req/s':>7} {'p50':>5} {'p90':>5} "
        f"{'p99':>5} {'max':>5}  (ms)"
    )
    total: dict[str, float] = {}
    for row in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
        count = int(row["Request Count"])
        name = "overall" if row["Name"] == "Aggregated" else row["Name"]
        rate = float(row["Requests/s"])  # locust's: from the first to the last request
        print(
            f"{name:<34.34} {count:>8} {row['Failure Count']:>5} {rate:>7.1f} "
            f"{row['50%']:>5} {row['90%']:>5} {row['99%']:>5} "
            f"{float(row['Max Response Time']):>5.0f}"
        )
        if row["Name"] == "Aggregated":
            total = {
                "rps": rate,
                "p50": float(row["50%"]),
                "p90": float(row["90%"]),
                "p99": float(row["99%"]),
                "count": count,
            }
    return total


# --- main ------------------------------------------------------------------------------


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(url, headers={"X-Forwarded-Proto": "https"}, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise SystemExit(f"the server did not answer on {url}")


def _run_load(
    args: argparse.Namespace,
    source: Path,
    env: dict[str, str],
    database: str,
    workload: dict[str, list[dict[str, Any]]],
    tmp: Path,
) -> None:
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
            "--chdir",
            str(source),
            "--log-level",
            "warning",
        ],
        cwd=source,
        env=env,
        start_new_session=True,
    )
    try:
        _wait_for(base + "/healthz")
        sys.path.insert(0, str(ROOT))
        from benchmarks.load.pages import COORDINATORS, MENTEE, MENTOR

        password, secret = "mentorat-demo-2026", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
        personas = []
        sessions = [(e, "coordinator") for e in COORDINATORS]
        sessions += [(MENTOR, "mentor")] * MENTOR_SESSIONS + [(MENTEE, "mentee")] * MENTEE_SESSIONS
        for email, role in sessions:
            cookies = _sign_in(base, email, password, secret)
            personas.append(
                {"email": email, "role": role, "cookies": cookies, "pages": workload[email]}
            )
        (tmp / "workload.json").write_text(json.dumps({"personas": personas}))
        print(f"gunicorn: {args.workers} workers on {base}; {len(personas)} sessions signed in")

        # Warm every worker's caches (templates, URL resolver) before measuring.
        _locust(
            base,
            args.users,
            5,
            ["Coordinator", "Mentor", "Mentee"],
            tmp / "workload.json",
            tmp / "warm",
            None,
        )

        reference = _CpuSampler({})
        _locust(base, args.users, 10, ["Healthz"], None, tmp / "healthz", reference)
        row = next(r for r in _stats(tmp / "healthz") if r["Name"] == "Aggregated")
        print(
            f"\nreference: /healthz {float(row['Requests/s']):.0f} requests/s, "
            f"p50 {row['50%']} ms, p99 {row['99%']} ms ({args.users} users, 10 s)"
        )

        sampler = _CpuSampler(
            {
                "gunicorn (master + workers)": lambda: _children(gunicorn.pid),
                f"PostgreSQL (backends of {database})": lambda: _postgres_backends(database),
            }
        )
        time.sleep(1)  # statistics reach PostgreSQL's shared memory within a second
        counters = _pg_counters(env["DATABASE_URL"])
        _locust(
            base,
            args.users,
            args.duration,
            ["Coordinator", "Mentor", "Mentee"],
            tmp / "workload.json",
            tmp / "mixed",
            sampler,
        )
        time.sleep(1)
        counters = {k: v - counters[k] for k, v in _pg_counters(env["DATABASE_URL"]).items()}
        print(f"\nmixed workload: {args.users} users, {sampler.wall:.0f} s, {args.workers} workers")
        total = _print_stats(_stats(tmp / "mixed"))
        for failure in _failures(tmp / "mixed")[:10]:
            print(f"  failed: {failure['Name']}: {failure['Error']} ×{failure['Occurrences']}")
        print(
            "\nCPU seconds during the mixed workload "
            f"({sampler.wall:.0f} s wall, {psutil.cpu_count()} cores):"
        )
        for name, used in sampler.seconds().items():
            share = used / (sampler.wall * (psutil.cpu_count() or 1))
            per_request = 1000 * used / max(1, total.get("count", 0))
            print(
                f"  {name:<40} {used:7.1f} s  {share:6.1%} of the machine  "
                f"{per_request:5.1f} ms a request"
            )
        requests_made = max(1, int(total.get("count", 0)))
        print(
            "PostgreSQL: "
            + ", ".join(
                f"{name} {value / requests_made:.1f} a request" for name, value in counters.items()
            )
        )
        goal = total.get("rps", 0) >= 200 and total.get("p99", 1e9) < 150
        print(
            f"\ngoal ≥ 200 requests/s with p99 < 150 ms: {'met' if goal else 'not met'} "
            f"({total.get('rps', 0):.0f} requests/s, p99 {total.get('p99', 0):.0f} ms)"
        )
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--redis", default=None)
    parser.add_argument("--source", type=Path, default=ROOT)
    parser.add_argument("--single", action="store_true")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--database", default=None)
    args = parser.parse_args()

    server = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    server = re.sub(r"/[^/]*$", "", server)
    database = args.database or f"mentorat_load_{os.getpid()}"
    admin_url = f"{server}/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{database}"')
    source = args.source.resolve()
    env = _env(f"{server}/{database}", args.redis)
    started = time.monotonic()
    try:
        with tempfile.TemporaryDirectory() as tmp_name:
            tmp = Path(tmp_name)
            if exists:
                print(f"reusing the database {database} (not loaded again)")
                _manage(source, env, "collectstatic", "--noinput", "--verbosity", "0")
            else:
                _prepare(source, env)
            workload = _workload(source, env)
            (tmp / "workload.json").write_text(
                json.dumps(
                    {
                        "personas": [
                            {"email": email, "pages": pages} for email, pages in workload.items()
                        ]
                    }
                )
            )
            print("\nsingle pages (signed in, requested alone):")
            single = subprocess.run(
                [PYTHON, str(HERE / "single.py")],
                cwd=source,
                env=env | {"PYTHONPATH": str(source), "BENCH_WORKLOAD": str(tmp / "workload.json")},
                check=False,
            )
            if not args.single:
                _run_load(args, source, env, database, workload, tmp)
    finally:
        if args.keep:
            print(f"kept the database {database}")
        else:
            with psycopg.connect(admin_url, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    print(f"done in {time.monotonic() - started:.0f} s")
    if args.single:
        sys.exit(single.returncode)


if __name__ == "__main__":
    main()
