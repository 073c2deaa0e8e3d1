from typing import Any

from django import template
from django.urls import reverse

from mentorat.applications.models import Application, ApplicationStatus
from mentorat.matching import selectors
from mentorat.matching.models import MentorRequest, Proposal
from mentorat.matching.parameters import MAX_CAPACITY
from mentorat.programs.models import ParticipantRole

register = template.Library()


@register.filter
def parts(proposal: Proposal | MentorRequest, language: str) -> list[tuple[str, float]]:
    """The score parts of a proposal or a request, in the page's language."""
    return proposal.explanation_parts(language)


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    """`mapping|get_item:key` — a dict lookup with a variable key."""
    return mapping.get(key)


def _capacity_context(application: Application, action: str, *, own: bool) -> dict[str, Any]:
    state = selectors.mentor_capacity_state(application)
    return {
        "application": application,
        "state": state,
        "action": action,
        "own": own,
        "max": MAX_CAPACITY,
    }


@register.inclusion_tag("matching/_capacity_card.html")
def mentor_capacity_card(application: Application) -> dict[str, Any]:
    """The coordinator's form for a mentor's number of mentees (application review)."""
    if application.role != ParticipantRole.MENTOR:
        return {"application": None}
    action = reverse("matching:capacity", args=[application.edition.program.slug, application.pk])
    return _capacity_context(application, action, own=False)


@register.inclusion_tag("matching/_application_matching.html")
def application_matching(application: Application) -> dict[str, Any]:
    """On a participant's own application: where their matching goes on (suggestions,
    requests) and, for mentors, how many mentees they take."""
    context: dict[str, Any] = {"application": application, "capacity": None}
    if application.status in (ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN):
        return context
    self_matching = selectors.is_self_matching(application.edition.program_id)
    accepted = application.status == ApplicationStatus.ACCEPTED
    context["self_matching"] = self_matching
    context["accepted"] = accepted
    if application.role == ParticipantRole.MENTOR:
        context["capacity"] = _capacity_context(
            application, reverse("matching:my_capacity", args=[application.pk]), own=True
        )
    return context
