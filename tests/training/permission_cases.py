"""Permission cases of training (the issue's work adds one per view)."""

from tests.permissions import LOGIN, Case, everyone

SIGNED_IN = everyone(200) | {"anonymous": LOGIN}

CASES: dict[str, Case] = {
    "training:my_modules": Case(SIGNED_IN),
}
