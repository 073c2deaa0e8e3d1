import os
import time
from typing import Any

from django.apps import AppConfig

from tests.worker_pause import PAUSE_VARIABLE


class WorkerPauseConfig(AppConfig):
    """Wraps the step that builds a run's proposals so that the run then waits (still in its
    "explaining" phase, nothing saved) for `MENTORAT_TEST_PAUSE_BEFORE_SAVE` seconds."""

    name = "tests.worker_pause"
    label = "worker_pause"

    def ready(self) -> None:
        from mentorat.matching.services import runs

        seconds = float(os.environ.get(PAUSE_VARIABLE) or 0)
        build_proposals = runs._proposals

        def build_then_pause(*args: Any, **kwargs: Any) -> Any:
            proposals = build_proposals(*args, **kwargs)
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                time.sleep(0.2)
            return proposals

        runs._proposals = build_then_pause
