"""Each page of the load workload requested alone: time and number of queries.

Started by run.py in a Django process with the production settings of the benchmark
(DEBUG off, the throwaway PostgreSQL database). For each persona and page: one request
to warm the process, then the median wall time of ROUNDS requests, and the SQL statements
of one more request (Django's CaptureQueriesContext). "cpu ms" is this process's CPU
time (the median too): on a shared machine it varies less than the wall time. Writes are
skipped: they redirect. Prints one line per page; exits with 1 when a page exceeds the budget.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROUNDS = 7
BUDGET_MS = 30.0
BUDGET_QUERIES = 15


def main() -> int:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from mentorat.accounts.models import User

    workload = json.loads(Path(os.environ["BENCH_WORKLOAD"]).read_text())
    host = os.environ.get("BENCH_HOST", "127.0.0.1")
    over = 0
    seen: set[str] = set()
    print(f"{'page':<40} {'path':<50} {'ms':>6} {'cpu ms':>6} {'queries':>7}")
    for persona in workload["personas"]:
        if persona["email"] in seen:  # the same pages, signed in twice
            continue
        seen.add(persona["email"])
        client = Client(HTTP_HOST=host, HTTP_ACCEPT_LANGUAGE="fr")
        client.force_login(User.objects.get(email=persona["email"]))
        for page in persona["pages"]:
            if page["method"] != "GET":
                continue
            response = client.get(page["path"], secure=True)
            assert response.status_code == 200, (page, response.status_code)
            times, cpu = [], []
            for _ in range(ROUNDS):
                start, start_cpu = time.perf_counter(), time.process_time()
                client.get(page["path"], secure=True)
                times.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
            with CaptureQueriesContext(connection) as queries:
                client.get(page["path"], secure=True)
            ms = statistics.median(times)
            flag = ""
            if ms > BUDGET_MS or len(queries) > BUDGET_QUERIES:
                over += 1
                flag = "  over budget"
            label = f"{page['name']} ({persona['email'].split('@')[0]})"
            print(
                f"{label:<40.40} {page['path']:<50.50} {ms:6.1f} {statistics.median(cpu):6.1f}"
                f" {len(queries):7d}{flag}"
            )
    print(f"budget: {BUDGET_MS:.0f} ms and {BUDGET_QUERIES} queries a page; {over} over")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
