"""The signed invitation link. The email tasks build it and the services read it back, so
both import this module, which imports neither of them."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

from mentorat.lib.errors import DomainError
from mentorat.organizations.models import Invitation

_INVITATION_SALT = "mentorat.organizations.invitation"


def invitation_token(invitation: Invitation) -> str:
    """The signed part of the link of an invitation email."""
    return signing.dumps({"invitation": invitation.pk}, salt=_INVITATION_SALT)


def invitation_id(token: str) -> int:
    """The invitation id a link carries (unchecked against the database); DomainError if
    the link was altered or is older than `INVITATION_VALID_DAYS`."""
    try:
        payload = signing.loads(
            token,
            salt=_INVITATION_SALT,
            max_age=timedelta(days=settings.INVITATION_VALID_DAYS),
        )
    except signing.SignatureExpired as exc:
        raise DomainError(_("This invitation has expired. Ask for a new one.")) from exc
    except signing.BadSignature as exc:
        raise DomainError(_("This invitation link is not valid.")) from exc
    value = payload.get("invitation") if isinstance(payload, dict) else None
    if not isinstance(value, int):
        raise DomainError(_("This invitation link is not valid."))
    return value
