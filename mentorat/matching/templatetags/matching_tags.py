from django import template

from mentorat.matching.models import Proposal

register = template.Library()


@register.filter
def parts(proposal: Proposal, language: str) -> list[tuple[str, float]]:
    """The proposal's score parts in the page's language."""
    return proposal.explanation_parts(language)
