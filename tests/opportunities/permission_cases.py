"""Permission cases of opportunities (the issue's work adds one per view)."""

from tests.permissions import LOGIN, Case, everyone

SIGNED_IN = everyone(200) | {"anonymous": LOGIN}

CASES: dict[str, Case] = {
    "opportunities:list": Case(SIGNED_IN),
}
