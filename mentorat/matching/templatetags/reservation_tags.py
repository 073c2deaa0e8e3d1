"""Places reserved for partners on the review pages: the run summary's figures
(`{% reserved_figures run as reserved %}`) and, on a mentee's page, why the mentor being
considered cannot take her (`{% reserved_refusal run mentee mentor as reserved_error %}`)."""

from django import template

from mentorat.matching import reservations
from mentorat.matching.models import MatchRun, RunStatus
from mentorat.matching.reservations import Figure, run_figures

register = template.Library()


@register.simple_tag
def reserved_figures(run: MatchRun) -> list[Figure] | list[dict[str, object]]:
    """For a run under review, the figures counted on its current proposals (changes made
    by hand included, as the notes on each pair and the export); for any other run, the
    figures the engine stored (once published, the pairs are the edition's and the
    mentors' free places are no longer those the run read)."""
    if run.status == RunStatus.SUCCEEDED:
        return run_figures(run=run)
    return list(run.summary.get("reserved", []))


@register.simple_tag
def reserved_refusal(run: MatchRun, mentee_id: int, mentor_id: int | None) -> str | None:
    """The refusal the assignment would meet, said before the coordinator submits it
    (None: reservations do not stand in the way)."""
    if mentor_id is None or run.status != RunStatus.SUCCEEDED:
        return None
    return reservations.reserved_refusal(run=run, mentee_id=mentee_id, mentor_id=mentor_id)
