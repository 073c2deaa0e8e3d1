"""The signed link to a thread sent in the new-message emails and digests.

The link is the thread's page (which needs signing in) with `?t=<token>` naming the
person it was sent to: it grants nothing by itself, the page's permission check still
decides. A page that reads the token (`thread_link_user`) can tell a person signed in as
someone else that the link was not meant for them (a forwarded email)."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

_THREAD_SALT = "mentorat.conversations.thread-link"


def thread_link_token(*, mentorship_id: int, user_id: int) -> str:
    return signing.dumps({"m": mentorship_id, "u": user_id}, salt=_THREAD_SALT)


def thread_url(*, mentorship_id: int, user_id: int) -> str:
    """The absolute address of pair `mentorship_id`'s thread, signed for `user_id`."""
    path = reverse("conversations:thread", kwargs={"pk": mentorship_id})
    token = thread_link_token(mentorship_id=mentorship_id, user_id=user_id)
    return f"{settings.SITE_URL}{path}?t={token}"


def thread_link_user(token: str, *, mentorship_id: int) -> int | None:
    """The id of the person a thread link was sent to, if `token` is a valid link to
    pair `mentorship_id`'s thread; None otherwise (altered, or for another thread)."""
    try:
        payload = signing.loads(token, salt=_THREAD_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("m") != mentorship_id:
        return None
    user_id = payload.get("u")
    return user_id if isinstance(user_id, int) else None
