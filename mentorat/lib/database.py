"""Settings of each database session the application opens."""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

# PostgreSQL compiles a statement to machine code (JIT) when its estimated cost passes
# `jit_above_cost` (100,000). The planner over-estimates the rows of tables autovacuum has
# never analysed (under 50 rows written: a program's sharings, a handful of
# organisations), so a coordinator's home, a few milliseconds of work, was estimated at
# 106,000 and spent ~100 ms compiling at every request (docs/benchmarks.md, issue 23).
# The application's statements are short: compiling never pays for them.
SESSION_SETTINGS = "SET jit = off"


def configure_session(sender: object, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """Receiver of `connection_created`: applies SESSION_SETTINGS to a new PostgreSQL
    connection. Django sends the signal right after connecting, in autocommit mode, so the
    setting holds for the whole session, not one transaction; a statement rather than a
    startup option, which PgBouncer refuses unless configured to accept it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(SESSION_SETTINGS)
