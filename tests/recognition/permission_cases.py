"""Permission cases of recognition (the issue's work adds one per view)."""

from tests.permissions import LOGIN, Case, everyone

SIGNED_IN = everyone(200) | {"anonymous": LOGIN}

CASES: dict[str, Case] = {
    "recognition:my_engagement": Case(SIGNED_IN),
}
