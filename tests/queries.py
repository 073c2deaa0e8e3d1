"""Reading the SQL a request ran."""

from django.test.utils import CaptureQueriesContext


def writes(queries: CaptureQueriesContext) -> list[str]:
    """The INSERT and UPDATE statements run, but the session's: it is saved on every
    request on purpose (`SESSION_SAVE_EVERY_REQUEST`, the idle timeout)."""
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
        and "django_session" not in q["sql"]
    ]
