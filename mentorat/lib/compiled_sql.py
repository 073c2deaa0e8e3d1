"""Statements whose SQL is compiled once per process: the queries of every signed-in page
(the person's memberships, the menu's unread badge) and of the home page.

Building and compiling a query with a dozen subqueries costs the ORM far more CPU than
the database spends answering it: the home page's figures (17 scalar subqueries) took
~20 ms of Python per request, the menu's unread badge ~3 ms on every signed-in page
(docs/benchmarks.md, issue 23). When a query's SQL depends only on its arguments' values
(a user id, the current time), the ORM is asked once per process and database, with
sentinel arguments, and later calls only put the real values at the sentinels' places.

Safety checks when compiling (a query that fails them raises ImproperlyConfigured, so a
change that breaks the assumption shows in the tests, not as wrong figures):
- the query is compiled twice with different sentinels, the second time in another time
  zone and language: the SQL must be the same text, and the parameters must differ
  exactly where a sentinel stands (a lookup that passes the current time zone's name,
  such as `__date` or `Trunc*`, or a translated value, would otherwise be frozen with the
  first request's zone or language for the life of the process);
- every argument must appear at least once.
The clock must not be read while building (a `timezone.now()` or `localdate()` would be
frozen into the statement): pass the time as an argument. The tests of each compiled
statement compile it at two clock times and compare.

What is kept per process is SQL text derived from the code, never data: nothing to
invalidate when rows change. Each call runs on the calling thread's connection.
"""

import copy
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone, translation

_KINDS = (int, datetime, date)


def _sentinel(kind: type, compilation: int, argument: int) -> Any:
    """A value no real argument takes (a negative id, a day before the platform
    existed), distinct for each compilation and each argument."""
    step = 2 * argument + compilation
    if kind is int:
        return -917_000_001 - step
    if kind is datetime:
        return datetime(1901, 2, 3, 4, 5, 6, 789_001, tzinfo=UTC) + timedelta(days=step)
    return date(1901, 5, 6) + timedelta(days=step)


def _adapt(connection: Any, value: Any) -> Any:
    """`value` as the ORM passes it to the database driver."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value(value)
    return value


class CompiledQuery:
    """A query whose SQL depends only on the values of its keyword arguments, each of
    a kind in `kinds` (int, datetime, date). `build(**arguments)` returns the queryset
    (without `prefetch_related`: prefetch on the list `fetch` returns).

    `row(**arguments)`: the one row of a `.values(...)` query, as a dict of column name
    to the database's value (no ORM converter: meant for counts and ids).
    `fetch(**arguments)`: the list the queryset would give (model instances with their
    `select_related` objects and annotations, or values), through the ORM's own
    iterables, only without building and compiling the query again."""

    def __init__(self, build: Callable[..., QuerySet[Any, Any]], **kinds: type) -> None:
        unknown = [k for k in kinds.values() if k not in _KINDS]
        if unknown:
            raise ImproperlyConfigured(f"No sentinel for arguments of type {unknown}.")
        self.build = build
        self.kinds = kinds
        # (database alias, vendor) -> the compiled statement
        self._compiled: dict[tuple[str, str], _Compiled] = {}

    def _compile_with(
        self, using: str, index: int
    ) -> tuple[QuerySet[Any, Any], SQLCompiler, str, list[Any], dict[str, Any]]:
        arguments = {
            name: _sentinel(kind, index, i) for i, (name, kind) in enumerate(self.kinds.items())
        }
        with _elsewhere() if index else nullcontext():
            queryset = self.build(**arguments)
            compiler = queryset.query.get_compiler(using=using)
            sql, params = compiler.as_sql()
        if queryset._prefetch_related_lookups:  # type: ignore[attr-defined]
            raise ImproperlyConfigured("Prefetch on the fetched list, not in the query.")
        connection = connections[using]
        adapted = {name: _adapt(connection, value) for name, value in arguments.items()}
        return queryset, compiler, sql, list(params), adapted

    def _compile(self, using: str) -> "_Compiled":
        queryset, compiler, sql, params, first = self._compile_with(using, 0)
        _, _, sql_again, params_again, second = self._compile_with(using, 1)
        if sql != sql_again or len(params) != len(params_again):
            raise ImproperlyConfigured("The statement's SQL depends on its arguments' values.")
        slots: list[tuple[int, str]] = []
        for position, (one, other) in enumerate(zip(params, params_again, strict=True)):
            names = [n for n in self.kinds if first[n] == one and second[n] == other]
            if len(names) == 1:
                slots.append((position, names[0]))
            elif names:
                raise ImproperlyConfigured("Two arguments share a sentinel.")
            elif one != other:
                raise ImproperlyConfigured(
                    f"Parameter {position} changes with the arguments, the time zone or the "
                    "language but is none of the arguments."
                )
        missing = set(self.kinds) - {name for _, name in slots}
        if missing:
            raise ImproperlyConfigured(f"Arguments not found in the statement: {missing}.")
        return _Compiled(queryset, compiler, sql, params, slots)

    def _bound(self, using: str, arguments: dict[str, Any]) -> tuple["_Compiled", list[Any]]:
        connection = connections[using]
        key = (using, connection.vendor)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(using)
        params = list(compiled.params)
        for position, name in compiled.slots:
            params[position] = _adapt(connection, arguments[name])
        return compiled, params

    def row(self, using: str = "default", **arguments: Any) -> dict[str, Any]:
        compiled, params = self._bound(using, arguments)
        with _cursor(connections[using]) as cursor:
            cursor.execute(compiled.sql, params)
            values = cursor.fetchone()
            names = [column[0] for column in cursor.description]
        if values is None:
            raise ImproperlyConfigured("The compiled statement returned no row.")
        return dict(zip(names, values, strict=True))

    def fetch(self, using: str = "default", **arguments: Any) -> list[Any]:
        compiled, params = self._bound(using, arguments)
        # A copy of the compiler of the first compilation (its select list, related
        # objects and converters), on this thread's connection, answering the bound SQL.
        connection = connections[using]
        frozen = copy.copy(compiled.compiler)
        frozen.connection = _Preparing(connection)  # type: ignore[assignment]
        frozen.as_sql = lambda *args, **kwargs: (compiled.sql, params)  # type: ignore[method-assign]
        frozen.get_converters = _converters_of(compiled, frozen, connection)  # type: ignore[method-assign,assignment]
        queryset = compiled.queryset._chain()  # type: ignore[attr-defined]
        queryset.query.get_compiler = lambda *args, **kwargs: frozen
        return list(queryset)


@contextmanager
def _elsewhere() -> Iterator[None]:
    """Another time zone and language than the current ones (`_compile`'s second pass)."""
    zone = "Pacific/Chatham" if timezone.get_current_timezone_name() != "Pacific/Chatham" else "UTC"
    language = "en" if (translation.get_language() or "").startswith("fr") else "fr"
    with timezone.override(zone), translation.override(language):
        yield


@dataclass(frozen=True)
class _Compiled:
    queryset: QuerySet[Any, Any]
    compiler: SQLCompiler
    sql: str
    params: list[Any]
    #: (position in params, argument name)
    slots: list[tuple[int, str]]
    #: the columns' converters, by the connection's operations they are bound to
    converters: dict[tuple[int, ...], tuple[Any, dict[int, Any]]] = field(default_factory=dict)


def _converters_of(
    compiled: _Compiled, compiler: SQLCompiler, connection: Any
) -> Callable[[list[Any]], dict[int, Any]]:
    """`compiler.get_converters`, computed once per connection for `compiled`'s columns:
    asking every column's field and the backend for its converters took about a fifth
    of the CPU of fetching a few rows (they depend on the columns and the database,
    never on the data)."""
    ops = connection.ops

    def get_converters(expressions: list[Any]) -> dict[int, Any]:
        # The compiled compiler's own columns (kept alive with it): their ids stay theirs.
        key = (id(ops), *map(id, expressions))
        known = compiled.converters.get(key)
        if known is None or known[0] is not ops:
            if len(compiled.converters) > 16:  # connections come and go (threads, tests)
                compiled.converters.clear()
            known = compiled.converters[key] = (
                ops,
                SQLCompiler.get_converters(compiler, expressions),
            )
        return known[1]

    return get_converters


def _prepares(connection: Any) -> bool:
    """Whether statements may be prepared on `connection` (PostgreSQL with
    DATABASE_PREPARED_STATEMENTS on: settings.py sets psycopg's `prepare_threshold`)."""
    return (
        connection.vendor == "postgresql"
        and connection.settings_dict.get("OPTIONS", {}).get("prepare_threshold") is not None
    )


def _cursor(connection: Any) -> Any:
    """A cursor of `connection` wrapped as Django wraps its own (query capture, database
    errors); on PostgreSQL, one whose statements the server prepares once per connection.

    The same SQL text comes back on every request, so PostgreSQL can skip parsing,
    analysing and planning it after the first executions: the home's figures statement (17
    subqueries, 8.9 kB) took 6–7 ms a request, ~1 ms prepared (docs/benchmarks.md).
    Django's cursors bind parameters on the client, which never prepares. While queries
    are logged (DEBUG, tests counting statements) Django's own cursor is used: it records
    each statement's text, which a prepared execution does not give back."""
    if not _prepares(connection) or connection.queries_logged:
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        _plan_once(connection.connection)
        # What Django's own `cursor()` does with the cursor it creates (a private method,
        # the one place that wraps a cursor for query logging and error translation).
        return connection._prepare_cursor(_prepared_cursor_class()(connection.connection))


_GENERIC_PLANS = "_mentorat_generic_plans"


def _plan_once(raw: Any) -> None:
    """Have PostgreSQL plan each prepared statement once per connection (its generic
    plan) rather than planning it anew for each of its first five executions.

    PostgreSQL's default (`plan_cache_mode = auto`) plans a prepared statement with the
    request's values for its first five executions, then keeps the generic plan if it is
    not costlier: the home's figures statement takes 4.5–8.6 ms to plan, so a new
    connection's first home pages took ~20 ms more of the database's CPU. On the demo
    every compiled statement was on its generic plan from the sixth execution
    (pg_prepared_statements: 5 custom plans each), so the plans served after the first
    five are the same ones (docs/benchmarks.md, issue 23). Set once per connection with a
    statement outside any transaction (a SET in a transaction that rolls back would be
    undone), not as a startup option, which PgBouncer refuses unless configured to."""
    if getattr(raw, _GENERIC_PLANS, False):
        return
    # Imported here: psycopg is needed (and installed) only where the database is PostgreSQL.
    from psycopg.pq import TransactionStatus

    if raw.info.transaction_status == TransactionStatus.IDLE:
        raw.execute("SET plan_cache_mode = force_generic_plan")
        setattr(raw, _GENERIC_PLANS, True)


@cache
def _prepared_cursor_class() -> type:
    """psycopg's cursor binding on the server, every statement prepared (psycopg is
    imported only on PostgreSQL)."""
    # Imported here: psycopg is needed (and installed) only where the database is PostgreSQL.
    from psycopg import Cursor

    class PreparedCursor(Cursor[Any]):
        def execute(self, query: Any, params: Any = None, **options: Any) -> Any:
            return super().execute(query, params, prepare=True)

    return PreparedCursor


class _Preparing:
    """`connection` as the compiler of `CompiledQuery.fetch` sees it: its cursors prepare
    their statements (`_cursor`); everything else is the connection's own."""

    def __init__(self, connection: Any) -> None:
        self._connection = connection
        # Read by the compiler for every column of every row (~500 times on a home page):
        # set here rather than passed through __getattr__.
        self.ops = connection.ops
        self.features = connection.features

    def cursor(self) -> Any:
        return _cursor(self._connection)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._connection, name)
