"""`{% home_opportunities %}`: this app's section of the signed-in home page."""

from typing import Any

from django import template

from mentorat.opportunities.selectors import open_for

register = template.Library()


@register.inclusion_tag("opportunities/_home.html", takes_context=True)
def home_opportunities(context: template.Context) -> dict[str, Any]:
    """How many opportunities are open to the signed-in person (one query, none when
    the home page counted them with its other figures: `open_opportunities`)."""
    request = context["request"]
    counted = context.get("open_opportunities")
    return {
        "request": request,
        "open_count": open_for(request.user).count() if counted is None else counted,
    }
