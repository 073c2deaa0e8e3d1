from tests.permissions import LOGIN, Case, everyone

CASES: dict[str, Case] = {
    "participants:profile": Case(everyone(200) | {"anonymous": LOGIN}),
    # Everyone withdraws only their own consents (none here: nothing changes), then
    # goes back to their profile.
    "participants:withdraw_consent": Case(
        everyone(302) | {"anonymous": LOGIN}, method="post", data={"kind": "disability"}
    ),
}
