"""Cursor pagination: pages in a stable order (primary key), the cursor an opaque signed
token naming the last row seen, so pages never skip or repeat a row whatever is
added meanwhile, and reading page 200 costs what page 1 does (no OFFSET)."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.core import signing
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from mentorat.lib.errors import DomainError

M = TypeVar("M", bound=Model)
SALT = "mentorat.api.cursor"
DEFAULT_LIMIT = 50
MAX_LIMIT = 100


def encode(after: int) -> str:
    return signing.dumps(after, salt=SALT, compress=False)


def decode(cursor: str) -> int:
    try:
        after = signing.loads(cursor, salt=SALT)
    except signing.BadSignature as error:
        raise DomainError(
            _("cursor: not a cursor this API gave; start again without it."),
            field_errors={"cursor": [_("Not a cursor this API gave.")]},
        ) from error
    if not isinstance(after, int):
        raise DomainError(_("cursor: not a cursor this API gave; start again without it."))
    return after


def page(
    queryset: "QuerySet[M]",
    *,
    cursor: str | None,
    limit: int,
    serialize: Callable[[list[M]], list[Any]],
) -> dict[str, Any]:
    """One page of `queryset` in primary-key order after `cursor`; `serialize` turns the
    page's rows into items (all at once, so it may read related rows in bulk)."""
    rows = queryset.order_by("pk")
    if cursor:
        rows = rows.filter(pk__gt=decode(cursor))
    found = list(rows[: limit + 1])
    more = len(found) > limit
    found = found[:limit]
    return {
        "items": serialize(found),
        "next_cursor": encode(found[-1].pk) if more and found else None,
    }
