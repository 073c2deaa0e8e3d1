"""Shared pieces of the permission tests (see tests/test_permissions.py)."""

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.conftest import PERSONAS, Cast

LOGIN = 302  # anonymous users are sent to the sign-in page


@dataclass
class Case:
    """Expected status per persona; `method` POST sends `data`. `kwargs` builds the URL
    arguments (and any object they need) from the cast."""

    expected: dict[str, int]
    kwargs: Callable[[Cast], dict[str, str]] = lambda cast: {}
    method: str = "get"
    data: dict[str, str] = field(default_factory=dict)


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(PERSONAS, status)


def org_a(cast: Cast) -> dict[str, str]:
    return {"slug": cast.org_a.slug}


# Members of organisation A see it; others cannot tell it exists (404).
MEMBERS_OF_A_ONLY = {
    "anonymous": LOGIN,
    "outsider": 404,
    "coordinator_b": 404,
    "mentee": 200,
    "mentor": 200,
    "coordinator_a": 200,
    "admin_a": 200,
    "platform_admin": 200,
}
# Coordinators and admins of A; mentors and mentees of A are refused (403).
STAFF_OF_A = MEMBERS_OF_A_ONLY | {"mentee": 403, "mentor": 403}
# Organisation admins of A only.
ADMIN_OF_A = STAFF_OF_A | {"coordinator_a": 403}
