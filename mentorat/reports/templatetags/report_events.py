"""`{% events_by_organization program %}`: the table of `mentorat.reports.events` on the
program's report page; a partner's staff see the lines of their own organisations only."""

from typing import Any

from django import template

from mentorat.permissions.programs import is_program_staff, partner_scope
from mentorat.programs.models import Program
from mentorat.reports.events import events_table

register = template.Library()


@register.inclusion_tag("reports/_events_by_organization.html", takes_context=True)
def events_by_organization(context: dict[str, Any], program: Program) -> dict[str, Any]:
    """A constant number of queries, whatever the number of events, people or partners."""
    user = context["request"].user
    scope = None if is_program_staff(user, program) else frozenset(partner_scope(user, program))
    return {"table": events_table(program, organizations=scope), "program": program}
