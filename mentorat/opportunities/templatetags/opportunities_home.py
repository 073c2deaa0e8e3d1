"""`{% home_opportunities %}`: this app's section of the signed-in home page."""

from typing import Any

from django import template

from mentorat.opportunities.selectors import open_for

register = template.Library()


@register.inclusion_tag("opportunities/_home.html", takes_context=True)
def home_opportunities(context: template.Context) -> dict[str, Any]:
    """How many opportunities are open to the signed-in person (one query)."""
    request = context["request"]
    return {"request": request, "open_count": open_for(request.user).count()}
