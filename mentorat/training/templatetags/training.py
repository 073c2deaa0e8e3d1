"""The training pages' `training_markdown` filter (section texts and explanations rendered
only through `lib.markdown.render_markdown`, sanitised) and the `training_coverage` tag
for report pages."""

from typing import Any

from django import template
from django.utils.safestring import SafeString

from mentorat.lib.markdown import render_markdown
from mentorat.organizations.models import Organization
from mentorat.programs.models import Program
from mentorat.training import selectors

register = template.Library()


@register.filter
def training_markdown(text: str) -> SafeString:
    """Markdown written in a module, as sanitised HTML."""
    return render_markdown(text)


@register.inclusion_tag("training/_coverage.html")
def training_coverage(program: Program) -> dict[str, Any]:
    """`{% training_coverage program %}`: the program's training coverage table (share
    of active mentors fully trained, in total and per organisation, small groups hidden)
    for a report page; three queries."""
    return {"coverage": selectors.training_coverage(program=program)}


@register.inclusion_tag("training/_contribution_coverage.html")
def training_contribution(organization: Organization) -> dict[str, Any]:
    """`{% training_contribution organization %}`: in an organisation's report, the
    training coverage of its mentors in the partner programs it contributes to (small
    groups hidden); four queries."""
    return {"lines": selectors.contribution_coverage(organization=organization)}
