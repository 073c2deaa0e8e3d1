from collections.abc import Callable
from typing import Any, cast

from django import template
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentorat.applications.models import Application, ApplicationStatus
from mentorat.lib.formatting import format_number, format_percent
from mentorat.matching import selectors
from mentorat.matching.explain import (
    Candidate,
    Compatibility,
    PairCheck,
    mentorship_compatibility,
    program_best_points,
    proposal_compatibility,
    request_compatibility,
    run_best_points,
)
from mentorat.matching.models import MatchRun, MentorRequest, Proposal
from mentorat.matching.parameters import MAX_CAPACITY
from mentorat.mentorships.models import Mentorship
from mentorat.programs.models import ParticipantRole

register = template.Library()


# The match score: one scale (compatibility 0–100), one way to get it, one way to show it. ----


def _best(context: template.Context, key: tuple[str, int], compute: Callable[[], int]) -> int:
    """Best possible points, computed once per run or program while a page renders."""
    render = cast(Any, context.render_context)
    cache: dict[tuple[str, int], int] = render.setdefault("matching_best_points", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


@register.simple_tag(takes_context=True)
def compatibility(context: template.Context, item: Any, of: Any = None) -> Compatibility | None:
    """`{% compatibility item [of] as c %}`: the compatibility of a proposal (`of`: its
    run), a request, a mentorship, a suggested or checked pair, or of raw points (`of`: the
    run or the best possible points, e.g. a run's mean). Best possible points are computed
    once per run or program and page. None when there is no score to show."""
    found = _compatibility(context, item, of)
    # A program that weighs no criterion has no scale: nothing to show but "—".
    return found if found is not None and found.percent is not None else None


def _compatibility(context: template.Context, item: Any, of: Any) -> Compatibility | None:
    if item is None or isinstance(item, Compatibility):
        return item
    if isinstance(item, Candidate | PairCheck):
        return item.compatibility
    if isinstance(item, Mentorship):
        return mentorship_compatibility(item)
    if isinstance(item, MentorRequest):
        program_id = item.edition.program_id
        return request_compatibility(
            item,
            best=_best(context, ("program", program_id), lambda: program_best_points(program_id)),
        )
    best = of
    if isinstance(of, MatchRun):
        run = of
        best = _best(context, ("run", run.pk), lambda: run_best_points(run))
    if best is None:
        raise template.TemplateSyntaxError("compatibility: give the run or the best points")
    if isinstance(item, Proposal):
        return proposal_compatibility(item, best=int(best))
    return Compatibility(points=float(item), best=int(best))


@register.filter
def percent(value: Compatibility | None) -> str:
    """The compatibility as shown everywhere: "59 %" in French, "59%" in English; "—" when
    there is none (no score, or a program that weighs no criterion)."""
    return format_percent(value.percent if value is not None else None)


def _points(value: float) -> str:
    return formats.number_format(value, 0 if float(value).is_integer() else 1, use_l10n=True)


@register.filter
def points_out_of(value: Compatibility | None) -> str:
    """What the percentage is made of, e.g. "82 points out of a possible 139"."""
    if value is None:
        return ""
    return ngettext(
        "%(points)s point out of a possible %(best)s",
        "%(points)s points out of a possible %(best)s",
        int(value.points) if float(value.points).is_integer() else 2,
    ) % {"points": _points(value.points), "best": _points(value.best)}


@register.filter
def parts(
    proposal: Proposal | MentorRequest | Mentorship, language: str
) -> list[tuple[str, float]]:
    """The score parts of a proposal, a request or a mentorship, in the page's language."""
    if isinstance(proposal, Mentorship):
        key = "en" if language == "en" else "fr"
        stored = (proposal.explanation or {}).get("parts", [])
        return [(str(p.get(key, "")), float(p.get("points", 0))) for p in stored if p.get("points")]
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


@register.filter
def duration(seconds: float | None) -> str:
    """A run's duration as people say it: "4.2 s", "42 s", "1 min 12 s", "1 h 5 min"."""
    if seconds is None:
        return "—"
    if seconds < 10:
        return _("%(s)s s") % {"s": format_number(seconds, -1)}
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return _("%(h)s h %(min)s min") % {"h": hours, "min": minutes}
    if minutes:
        return _("%(min)s min %(s)s s") % {"min": minutes, "s": secs}
    return _("%(s)s s") % {"s": secs}
