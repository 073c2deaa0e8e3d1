from tests.permissions import LOGIN, Case, everyone

CASES: dict[str, Case] = {
    "participants:profile": Case(everyone(200) | {"anonymous": LOGIN}),
}
