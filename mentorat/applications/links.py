"""The signed link emailed to a pupil's guardian. The email task builds it and
`guardians` reads it back, so both import this module, which imports neither of them."""

from datetime import timedelta
from typing import Any

from django.core import signing
from django.utils.translation import gettext as _

from mentorat.applications.models import Application
from mentorat.lib.errors import DomainError

GUARDIAN_LINK_VALID_DAYS = 30
_SALT = "mentorat.applications.guardian-consent"


class GuardianLinkError(DomainError):
    """The consent link cannot be used (tampered, expired, or the application moved on)."""


def submission_stamp(application: Application) -> int:
    return int(application.submitted_at.timestamp())


def guardian_token(application: Application) -> str:
    """The signed part of the link emailed to `application.guardian_email`. It names the
    submission too, so that a link stays used after the pupil withdraws and applies again."""
    return signing.dumps(
        {
            "application": application.pk,
            "email": application.guardian_email,
            "submitted": submission_stamp(application),
        },
        salt=_SALT,
    )


def guardian_payload(token: str) -> dict[str, Any]:
    """The verified payload of a consent link (unchecked against the database);
    GuardianLinkError if it was altered or is older than `GUARDIAN_LINK_VALID_DAYS`."""
    try:
        payload = signing.loads(token, salt=_SALT, max_age=timedelta(days=GUARDIAN_LINK_VALID_DAYS))
    except signing.SignatureExpired as exc:
        raise GuardianLinkError(
            _("This consent link has expired. The applicant can apply again.")
        ) from exc
    except signing.BadSignature as exc:
        raise GuardianLinkError(_("This consent link is not valid.")) from exc
    return payload if isinstance(payload, dict) else {}
