"""The signed token of a registration, carried by its QR code (email and app) and read
at the door: it names the registration and its event, so a scan at another event is
refused. It grants nothing by itself: only a person who runs the event may check in
with it (`mentorat.permissions.events.can_manage_event`)."""

from django.core import signing

_CHECK_IN_SALT = "mentorat.events.check-in"


def check_in_token(*, registration_id: int, event_id: int) -> str:
    return signing.dumps({"r": registration_id, "e": event_id}, salt=_CHECK_IN_SALT)


def read_check_in_token(token: str, *, event_id: int) -> int | None:
    """The registration id of a valid token for event `event_id`; None otherwise."""
    try:
        payload = signing.loads(token.strip(), salt=_CHECK_IN_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("e") != event_id:
        return None
    registration_id = payload.get("r")
    return registration_id if isinstance(registration_id, int) else None
