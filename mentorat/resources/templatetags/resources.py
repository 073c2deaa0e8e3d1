"""`{% pair_resources pair user %}`: the program's resources and goal templates that fit
this pair's phase, for the pair workspace."""

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("resources/_pair_resources.html")
def pair_resources(pair: Any, user: Any) -> dict[str, Any]:
    return {"pair": pair, "resources": [], "goal_templates": []}
