import time
from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from mentorat.permissions.organizations import has_any_role, is_platform_admin

# Pages a person must still reach before their second factor is set up.
_ALLOWED_PREFIXES = (
    "/accounts/",
    "/static/",
    "/legal/",
    "/language/",
    "/healthz",
)


# True in the session of a person an organisation's identity provider signed in with a
# second factor it vouched for (`mentorat.sso`): that factor stands for TOTP.
PROVIDER_MFA_SESSION_KEY = "_mentorat_provider_mfa"


# The id of the user whose TOTP authenticator this session last saw, kept while the
# session's renewal is fresh (see `_totp_seen`).
TOTP_SEEN_SESSION_KEY = "_mentorat_totp_seen"


class RequireTwoFactorMiddleware:
    """Organisation admins, coordinators and platform admins must set up TOTP before
    using the platform: until then every page sends them to the set-up page. A session
    whose identity provider vouched for a second factor is exempt.

    The authenticator is looked up at most once per session renewal (every
    SESSION_REFRESH_SECONDS), not on every page: it was one statement on each page of
    every coordinator (docs/benchmarks.md). Removing it through the account pages forgets
    it in that session at once (`forget_totp`); a session elsewhere notices at its next
    renewal."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and (is_platform_admin(user) or has_any_role(user, set(settings.MFA_REQUIRED_ROLES)))
            and not request.session.get(PROVIDER_MFA_SESSION_KEY)
            and not _totp_seen(request.session, user.pk)
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)


def _totp_seen(session: SessionBase, user_id: int) -> bool:
    """Whether `user_id` has a TOTP authenticator: remembered in the session while its
    renewal is fresh (signing in looks it up and stores it with the session it saves
    anyway); else looked up again, the answer stored with the renewal's write."""
    renewed = session.get(SESSION_RENEWED_KEY)
    fresh = (
        isinstance(renewed, int) and int(time.time()) - renewed < settings.SESSION_REFRESH_SECONDS
    )
    if fresh and session.get(TOTP_SEEN_SESSION_KEY) == user_id:
        return True
    return remember_totp(session, user_id)


def remember_totp(session: SessionBase, user_id: int) -> bool:
    """Look up whether `user_id` has a TOTP authenticator and remember the answer in
    `session` (changing it only when the answer changed)."""
    found: bool = Authenticator.objects.filter(
        user_id=user_id, type=Authenticator.Type.TOTP
    ).exists()
    if found and session.get(TOTP_SEEN_SESSION_KEY) != user_id:
        session[TOTP_SEEN_SESSION_KEY] = user_id
    elif not found and TOTP_SEEN_SESSION_KEY in session:
        del session[TOTP_SEEN_SESSION_KEY]
    return found


def forget_totp(session: SessionBase) -> None:
    """The session's person removed an authenticator: look it up again on the next page."""
    session.pop(TOTP_SEEN_SESSION_KEY, None)


# The time of the session's last renewal, in seconds since the epoch.
SESSION_RENEWED_KEY = "_mentorat_renewed_at"


class SessionActivityMiddleware:
    """Sessions end after SESSION_COOKIE_AGE seconds without activity, yet are written
    at most once every SESSION_REFRESH_SECONDS: a request renews the session (its row,
    cache entry and cookie get a new expiry) only when the last renewal is that old, or
    when the request changed the session anyway. Writing on every request
    (SESSION_SAVE_EVERY_REQUEST) cost about a fifth of each signed-in page under load
    (docs/benchmarks.md). So a session ends between SESSION_COOKIE_AGE minus
    SESSION_REFRESH_SECONDS and SESSION_COOKIE_AGE after the last request.

    Listed just after SessionMiddleware, whose response phase then saves the session."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # is_empty() does not load a session: visitors without one cost nothing.
        if session is None or session.is_empty():
            return response
        now = int(time.time())
        renewed = session.get(SESSION_RENEWED_KEY)
        if (
            session.modified
            or not isinstance(renewed, int)
            or now - renewed >= settings.SESSION_REFRESH_SECONDS
        ):
            session[SESSION_RENEWED_KEY] = now
        return response


def mark_session_renewed(session: SessionBase) -> None:
    """Record that the session gets its expiry now (signing in saves it anyway): the
    first request after signing in then writes nothing."""
    session[SESSION_RENEWED_KEY] = int(time.time())
