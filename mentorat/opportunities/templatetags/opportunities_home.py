"""`{% home_opportunities %}`: this app's section of the signed-in home page."""

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("opportunities/_home.html", takes_context=True)
def home_opportunities(context: template.Context) -> dict[str, Any]:
    """What the signed-in person has to see or do here (skeleton: nothing yet)."""
    return {"request": context["request"]}
