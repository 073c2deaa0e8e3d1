"""Hold a matching run in a worker process before it saves, so that a test can kill it there.

`paused_worker_environment(seconds)` gives the environment variables a `manage.py db_worker`
subprocess needs for this: the test-only settings module and the length of the pause."""

PAUSE_VARIABLE = "MENTORAT_TEST_PAUSE_BEFORE_SAVE"


def paused_worker_environment(seconds: float) -> dict[str, str]:
    return {"DJANGO_SETTINGS_MODULE": "tests.worker_settings", PAUSE_VARIABLE: str(seconds)}
