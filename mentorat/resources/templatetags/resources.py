"""`{% pair_resources pair user %}`: the program's resources and goal templates that fit
this pair's phase, for the pair workspace; and the `markdown` filter (sanitised)."""

from typing import Any

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString

from mentorat.lib.markdown import render_markdown
from mentorat.mentorships.models import Mentorship
from mentorat.permissions.mentorships import can_work_in
from mentorat.resources.selectors import pair_library

register = template.Library()


@register.inclusion_tag("resources/_pair_resources.html")
def pair_resources(pair: Mentorship, user: Any) -> dict[str, Any]:
    """The library for `user`'s side of `pair` (every side for someone outside it),
    with "Adopt" buttons for the pair while it is active."""
    return {
        "pair": pair,
        "program_slug": pair.edition.program.slug,
        "library": pair_library(mentorship=pair, role=pair.role_of(user.pk), now=timezone.now()),
        "can_adopt": can_work_in(user, pair),
    }


@register.filter
def markdown(text: str) -> SafeString:
    """Markdown written in the library, as sanitised HTML."""
    return render_markdown(text)
