"""The database sessions the application opens (mentorat.lib.database)."""

import json

import pytest
from django.db import connection, connections


@pytest.mark.django_db
def test_on_postgresql_a_costly_statement_runs_without_jit_compilation():
    """PostgreSQL compiled a coordinator's home statement (over-estimated on tables never
    analysed) to machine code at every request, ~100 ms for a few milliseconds of work:
    every connection the application opens runs its statements uncompiled."""
    if connection.vendor != "postgresql":
        pytest.skip("JIT compilation is PostgreSQL's")
    fresh = connections.create_connection("default")  # a new session, as a worker opens
    try:
        with fresh.cursor() as cursor:
            cursor.execute("SHOW jit")
            assert cursor.fetchone()[0] == "off"
            # Estimated far above jit_above_cost (100,000): compiled if JIT were on.
            cursor.execute(
                "EXPLAIN (FORMAT JSON) SELECT count(*) FROM generate_series(1, 30000) a,"
                " generate_series(1, 300) b WHERE a + b > 10"
            )
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            assert plan[0]["Plan"]["Total Cost"] > 100_000
            assert "JIT" not in plan[0]
    finally:
        fresh.close()
