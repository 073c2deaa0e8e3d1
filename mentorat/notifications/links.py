"""The signed one-click unsubscribe link of every email of a kind one can turn off
(RFC 8058: `List-Unsubscribe` and `List-Unsubscribe-Post` headers, and a visible link).

The link names one person and one kind and never expires: it only turns emails off,
and mail clients keep offering it for as long as the message is in the mailbox."""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

from mentorat.lib.errors import DomainError
from mentorat.notifications.kinds import MANDATORY, EmailKind

_UNSUBSCRIBE_SALT = "mentorat.notifications.unsubscribe"


def unsubscribe_token(*, user_id: int, kind: EmailKind) -> str:
    return signing.dumps({"u": user_id, "k": str(kind.value)}, salt=_UNSUBSCRIBE_SALT)


def unsubscribe_url(*, user_id: int, kind: EmailKind) -> str:
    """The absolute address of the unsubscribe link (headers and footer of an email)."""
    token = unsubscribe_token(user_id=user_id, kind=kind)
    return settings.SITE_URL + reverse("notifications:unsubscribe", kwargs={"token": token})


def unsubscribe_payload(token: str) -> tuple[int, EmailKind]:
    """(user id, kind) of a link; DomainError if it was altered or names a kind one
    cannot turn off."""
    invalid = DomainError(_("This link is not valid."))
    try:
        payload = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
    except signing.BadSignature as error:
        raise invalid from error
    if not isinstance(payload, dict):
        raise invalid
    user_id, kind = payload.get("u"), payload.get("k")
    if not isinstance(user_id, int) or kind not in EmailKind.values:
        raise invalid
    if EmailKind(kind) in MANDATORY:
        raise invalid
    return user_id, EmailKind(kind)
