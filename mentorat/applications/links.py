"""The signed link emailed to a pupil's guardian. The email task builds it and
`guardians` reads it back, so both import this module, which imports neither of them.

The link carries no personal data: the application's id, a keyed digest of the
guardian's address (so that a link stops working when the address is changed) and the
submission's time. It is valid `GUARDIAN_LINK_VALID_DAYS` to consent and, once the
guardian has consented, `GUARDIAN_RECORD_VALID_DAYS` to come back, read what they
consented to and withdraw it."""

from datetime import timedelta
from typing import Any

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from mentorat.applications.models import Application
from mentorat.lib.errors import DomainError

GUARDIAN_LINK_VALID_DAYS = 30
# About a school year and its summer: long enough to withdraw while the program runs.
GUARDIAN_RECORD_VALID_DAYS = 400
_SALT = "mentorat.applications.guardian-consent"


class GuardianLinkError(DomainError):
    """The consent link cannot be used (tampered, expired, or the application moved on)."""


class GuardianLinkExpired(GuardianLinkError):
    """The link is genuine but older than the validity asked for."""


def submission_stamp(application: Application) -> int:
    return int(application.submitted_at.timestamp())


def guardian_address_digest(email: str) -> str:
    """A keyed digest of the guardian's address: tells whether a link was sent to the
    current address without putting the address in the URL."""
    return salted_hmac(f"{_SALT}.address", email.strip().lower(), algorithm="sha256").hexdigest()[
        :32
    ]


def guardian_token(application: Application) -> str:
    """The signed part of the link emailed to `application.guardian_email`. It names the
    submission too, so that a link stays used after the pupil withdraws and applies again."""
    return signing.dumps(
        {
            "application": application.pk,
            "guardian": guardian_address_digest(application.guardian_email),
            "submitted": submission_stamp(application),
        },
        salt=_SALT,
    )


def sent_to(payload: dict[str, Any], email: str) -> bool:
    """Whether the link's payload was made for the guardian address `email` (links
    emailed before the digest carried the address itself)."""
    if not email:
        return False
    digest = payload.get("guardian")
    if isinstance(digest, str):
        return constant_time_compare(digest, guardian_address_digest(email))
    legacy = payload.get("email")
    return isinstance(legacy, str) and legacy == email


def guardian_payload(token: str, *, valid_days: int = GUARDIAN_LINK_VALID_DAYS) -> dict[str, Any]:
    """The verified payload of a consent link (unchecked against the database);
    GuardianLinkExpired if it is older than `valid_days`, GuardianLinkError if it was
    altered."""
    try:
        payload = signing.loads(token, salt=_SALT, max_age=timedelta(days=valid_days))
    except signing.SignatureExpired as exc:
        raise GuardianLinkExpired(
            _("This consent link has expired. The applicant can apply again.")
        ) from exc
    except signing.BadSignature as exc:
        raise GuardianLinkError(_("This consent link is not valid.")) from exc
    return payload if isinstance(payload, dict) else {}
