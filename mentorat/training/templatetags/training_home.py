"""`{% home_training %}`: this app's section of the signed-in home page."""

from typing import Any

from django import template
from django.utils import timezone

from mentorat.training.selectors import assigned_modules

register = template.Library()


@register.inclusion_tag("training/_home.html", takes_context=True)
def home_training(context: template.Context) -> dict[str, Any]:
    """The modules the person's programs ask of them, with progress (one query; one
    more when a module is due before a first meeting)."""
    request = context["request"]
    user = request.user
    assigned = (
        assigned_modules(user=user, today=timezone.localdate()) if user.is_authenticated else []
    )
    return {"request": request, "assigned": assigned}
