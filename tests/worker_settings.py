"""Settings for a `db_worker` process that a kill test starts and wants to catch in the middle
of a matching run: the project's settings plus the test-only app `tests.worker_pause`.
Production code has no hook for this; see `tests/worker_pause/apps.py`."""

from mentorat.settings import *  # noqa: F403
from mentorat.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.worker_pause"]
