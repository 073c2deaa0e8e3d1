"""Each person sees times in their own time zone (`User.time_zone`, Europe/Paris by
default); the database keeps UTC."""

from collections.abc import Callable
from functools import wraps
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone


def user_zone(user: Any) -> ZoneInfo:
    """The person's time zone, or the site's one for anonymous people and unknown names."""
    name = getattr(user, "time_zone", "") or settings.TIME_ZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def in_user_time_zone(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """Run a view with the signed-in person's time zone active: templates show local
    times and form date-times are read as local times."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with timezone.override(user_zone(request.user)):
            return view(request, *args, **kwargs)

    return wrapper
