"""`{% event_report program %}`: the events figures of a program for its report page
(events held, attendance rate, contacts made per mentee; figures about 1 to 4 people
hidden), from
`mentorat.events.selectors.event_figures`; `partner=` narrows to a partner's events."""

from typing import Any

from django import template

from mentorat.events.selectors import event_figures
from mentorat.lib.small_groups import HIDDEN

register = template.Library()


@register.inclusion_tag("events/_report.html")
def event_report(program: Any = None, partner: Any = None) -> dict[str, Any]:
    """A constant number of queries, whatever the number of events."""
    return {
        "event_figures": event_figures(
            program_id=getattr(program, "pk", None), partner_id=getattr(partner, "pk", None)
        ),
        "hidden": HIDDEN,
    }
