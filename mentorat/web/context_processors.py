from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from mentorat.legal.models import LegalPageKind
from mentorat.permissions.organizations import is_platform_admin
from mentorat.web.selectors import unread_messages


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "legal_kinds": LegalPageKind,
        "is_platform_admin": bool(user and is_platform_admin(user)),
        # Counted only when a template shows it (the menu, for signed-in people), once
        # per request, and not at all on the home page, which counted it already.
        "unread_messages": SimpleLazyObject(
            lambda: unread_messages(user=user) if user is not None else 0
        ),
    }
