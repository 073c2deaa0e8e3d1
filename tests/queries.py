"""Reading the SQL a request ran."""

from typing import Any
from unittest import mock

from django.db.models.sql.compiler import SQLCompiler
from django.http import HttpResponse
from django.test import Client
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


def compilations(client: Client, url: str) -> tuple[HttpResponse, list[str]]:
    """The page at `url` served a second time (the first warms the process's compiled
    statements), and the SQL the ORM built meanwhile: a page whose reads are compiled
    once per process (mentorat.lib.compiled_sql) builds none of them again."""
    client.get(url)
    built: list[str] = []
    as_sql = SQLCompiler.as_sql

    def spy(self: SQLCompiler, *args: Any, **kwargs: Any) -> tuple[str, Any]:
        sql, params = as_sql(self, *args, **kwargs)
        built.append(sql)
        return sql, params

    with mock.patch.object(SQLCompiler, "as_sql", spy):
        response = client.get(url)
    assert response.status_code == 200
    return response, built
