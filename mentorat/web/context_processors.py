from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from mentorat.announcements.selectors import unread_count as unread_announcements
from mentorat.conversations.selectors import unread_thread_count
from mentorat.legal.models import LegalPageKind
from mentorat.permissions.organizations import is_platform_admin


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "legal_kinds": LegalPageKind,
        "is_platform_admin": bool(user and is_platform_admin(user)),
        # Counted only when a template shows it (the menu, for signed-in people).
        "unread_messages": SimpleLazyObject(
            lambda: (
                unread_thread_count(user) + unread_announcements(user)
                if user is not None and user.is_authenticated
                else 0
            )
        ),
    }
