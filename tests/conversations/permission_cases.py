from tests.permissions import Case, everyone

CASES: dict[str, Case] = {
    # Everyone signed in has an inbox (their own threads only).
    "conversations:inbox": Case(everyone(200) | {"anonymous": 302}),
}
