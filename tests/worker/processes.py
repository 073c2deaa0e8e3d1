"""Real `manage.py db_worker` processes sharing the test database (PostgreSQL), as in
tests/matching/test_worker_kill.py: started in their own process group so that a test
can SIGKILL them whole, with their output kept in a file for the failure report."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
WORKER_OPTIONS = ["--no-reload", "--no-startup-delay", "--interval", "0.2", "--verbosity", "2"]


def database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Worker:
    def __init__(self, log: Path, env: dict[str, str]) -> None:
        self.log = log
        environment = os.environ | {
            "DATABASE_URL": database_url(),
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "DEBUG": "1",
            "CONN_MAX_AGE": "0",
        }
        with log.open("ab") as output:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "db_worker", *WORKER_OPTIONS],
                cwd=ROOT,
                env=environment | env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self) -> None:
        """SIGKILL: no clean-up of any kind, as when the machine or the OOM killer stops it."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> int:
        """SIGTERM: the worker finishes its task, then exits."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
        return self.process.wait(timeout=30)


def wait_for(
    predicate: Callable[[], bool], *, timeout: float = 60.0, logs: list[Path] = ()
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    output = "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in logs if p.exists())
    raise AssertionError(f"timed out after {timeout} s\n{output}")
