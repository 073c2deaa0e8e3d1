"""Signed links sent by email (check-in scores, "stop these reminders").

A link names one person and expires; opening it with GET never writes, because mail
scanners fetch every link of a message. The page it opens records the action with a POST
(sent on load by `static/js/auto-submit.js`, or by a visible button without JavaScript)."""

from typing import Any

from django.core import signing
from django.utils.translation import gettext as _

from mentorat.lib.errors import DomainError


def unsign(token: str, *, salt: str, valid_days: int, expired_message: str) -> dict[str, Any]:
    """The payload of a link signed with `signing.dumps(..., salt=salt)`; DomainError with
    `expired_message` once it is older than `valid_days`, or if it was altered."""
    try:
        payload = signing.loads(token, salt=salt, max_age=valid_days * 24 * 3600)
    except signing.SignatureExpired as error:
        raise DomainError(expired_message) from error
    except signing.BadSignature as error:
        raise DomainError(_("This link is not valid.")) from error
    if not isinstance(payload, dict):
        raise DomainError(_("This link is not valid."))
    return payload


def payload_id(payload: dict[str, Any], key: str) -> int:
    """An integer of a verified payload (DomainError if absent: a link of another kind)."""
    value = payload.get(key)
    if not isinstance(value, int):
        raise DomainError(_("This link is not valid."))
    return value
