"""What the operations share: path parameters, the documented answers, and fetching a
program through the permission layer as the key's creator."""

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Path, Query

from mentorat.accounts.models import User
from mentorat.api.auth import acting
from mentorat.api.models import Scope
from mentorat.api.pagination import DEFAULT_LIMIT, MAX_LIMIT
from mentorat.api.problems import Problem
from mentorat.api.schemas import ID_MAX
from mentorat.permissions import require
from mentorat.permissions.programs import access_program
from mentorat.programs.models import Program

SLUG_PATTERN = r"^[-a-zA-Z0-9_]{1,80}$"
Slug = Annotated[str, Path(pattern=SLUG_PATTERN, description="The program's short name.")]
Pk = Annotated[int, Path(ge=1, le=ID_MAX)]
Cursor = Annotated[
    str | None, Query(max_length=200, description="`next_cursor` of the previous page.")
]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
FilterId = Annotated[int | None, Query(ge=1, le=ID_MAX)]
DEFAULT = DEFAULT_LIMIT

_ERRORS: dict[int, Any] = {
    401: Problem,
    403: Problem,
    404: Problem,
    422: Problem,
    429: Problem,
}


def reads(schema: Any) -> dict[int, Any]:
    """The answers of a read: the object, 304 for a current `If-None-Match`, problems."""
    return {200: schema, 304: None, **_ERRORS}


def writes(status: int, schema: Any) -> dict[int, Any]:
    """The answers of a write (409: a concurrent twin with the same Idempotency-Key)."""
    return {status: schema, 400: Problem, 409: Problem, **_ERRORS}


def program_for(
    request: HttpRequest, slug: str, scope: Scope, *checks: Any
) -> tuple[User, Program]:
    """The program `slug` as the key's creator may see it, after each `check(user,
    program)` (403 when one says no), exactly as the pages ask."""
    user = acting(request, scope)
    program = access_program(user, slug, request=request)
    for check in checks:
        require(check(user, program))
    return user, program
