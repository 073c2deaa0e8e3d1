"""`{% home_events %}`: this app's section of the signed-in home page."""

from typing import Any

from django import template

from mentorat.events.selectors import my_upcoming_registrations

register = template.Library()


@register.inclusion_tag("events/_home.html", takes_context=True)
def home_events(context: template.Context) -> dict[str, Any]:
    """The next events the signed-in person is registered or waiting for (one query)."""
    request = context["request"]
    user = request.user
    registrations = my_upcoming_registrations(user=user) if user.is_authenticated else []
    return {"request": request, "registrations": registrations}
