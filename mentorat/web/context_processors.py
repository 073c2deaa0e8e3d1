from typing import Any

from django.http import HttpRequest

from mentorat.legal.models import LegalPageKind
from mentorat.permissions.organizations import is_platform_admin


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "legal_kinds": LegalPageKind,
        "is_platform_admin": bool(user and is_platform_admin(user)),
    }
