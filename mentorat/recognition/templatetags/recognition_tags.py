"""Recognition's pieces in other apps' pages: the thank-you note link in the workspace
of an ended pair, and the figures of the program report."""

from typing import Any

from django import template
from django.db.models import QuerySet

from mentorat.mentorships.models import Mentorship
from mentorat.permissions.recognition import can_write_thank_you_note
from mentorat.programs.models import Program
from mentorat.recognition import selectors

register = template.Library()


@register.inclusion_tag("recognition/_thank_you_link.html", takes_context=True)
def thank_you_link(context: dict[str, Any], mentorship: Mentorship) -> dict[str, Any]:
    """For the mentee of an ended pair: write the thank-you note (or see it is sent)."""
    user = context["request"].user
    if not can_write_thank_you_note(user, mentorship):
        return {"show": False}
    return {"show": True, "mentorship": mentorship, "note": selectors.note_of(mentorship)}


@register.inclusion_tag("recognition/_report.html")
def recognition_report(programs: QuerySet[Program] | list[Program]) -> dict[str, Any]:
    """Hours recognised, attestations issued and recognitions awarded per program."""
    ids = [p.pk for p in programs]
    return {"rows": selectors.recognition_report(Program.objects.filter(pk__in=ids))}
