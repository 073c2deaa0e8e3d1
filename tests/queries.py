"""Reading the SQL a request ran."""

from django.test.utils import CaptureQueriesContext


def writes(queries: CaptureQueriesContext) -> list[str]:
    """The INSERT and UPDATE statements run, but the session's: it is renewed, for the
    idle timeout, at most once a minute (mentorat.accounts.middleware.SessionActivityMiddleware)."""
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
        and "django_session" not in q["sql"]
    ]
