"""Signed links sent by email (check-in scores, "stop these reminders").

A link names one person and expires; opening it with GET never writes, because mail
scanners fetch every link of a message. The page it opens records the action with a POST
(sent on load by `static/js/auto-submit.js`, or by a visible button without JavaScript).

The email tasks build the links and the services read them back, so both import this
module, which imports neither of them."""

from typing import Any

from django.core import signing
from django.utils.translation import gettext as _

from mentorat.lib.errors import DomainError
from mentorat.mentorships.models import CheckIn, Mentorship

CHECK_IN_LINK_VALID_DAYS = 30
STOP_LINK_VALID_DAYS = 60
# The satisfaction scores of a check-in; the email carries one link per score.
SCORES = range(1, 6)

_CHECK_IN_SALT = "mentorat.mentorships.check-in"
_STOP_SALT = "mentorat.mentorships.reminders-stop"


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


def check_in_token(check_in: CheckIn, *, satisfaction: int | None = None) -> str:
    """The signed part of an emailed link; with `satisfaction`, the link answers that
    score (one link per score in the email)."""
    payload: dict[str, int] = {"c": check_in.pk, "u": check_in.respondent_id}
    if satisfaction is not None:
        payload["s"] = satisfaction
    return signing.dumps(payload, salt=_CHECK_IN_SALT)


def check_in_payload(token: str) -> dict[str, Any]:
    """The verified payload of a check-in link; DomainError if altered or expired."""
    return unsign(
        token,
        salt=_CHECK_IN_SALT,
        valid_days=CHECK_IN_LINK_VALID_DAYS,
        expired_message=_(
            "This link has expired. Sign in to answer the check-in from your home page."
        ),
    )


def reminders_stop_token(*, mentorship: Mentorship, user_id: int) -> str:
    """The signed part of the "stop these reminders" link of a reminder email."""
    return signing.dumps({"m": mentorship.pk, "u": user_id}, salt=_STOP_SALT)


def reminders_stop_payload(token: str) -> dict[str, Any]:
    """The verified payload of a stop link; DomainError if altered or expired."""
    return unsign(
        token,
        salt=_STOP_SALT,
        valid_days=STOP_LINK_VALID_DAYS,
        expired_message=_(
            "This link has expired. Sign in to stop the reminders from your mentorship space."
        ),
    )
