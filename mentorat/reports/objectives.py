"""The program's objectives: each `Indicator` choice maps to one function computing its
current value in the objective's scope (occupation domain or field, N months or days)."""

from collections.abc import Callable
from dataclasses import dataclass

from mentorat.mentorships.models import OutcomeStage
from mentorat.programs.models import Indicator, Objective, ObjectiveUnit
from mentorat.reports import selectors
from mentorat.reports.figures import Figure, Standing, Status, count, objective_status, share
from mentorat.reports.indicators import (
    DEFAULT_WITHIN_DAYS,
    EMPLOYED_OR_TRAINING,
    Facts,
    outcome_share,
)
from mentorat.reports.scope import Scope

DEFAULT_MONTHS = 6


def _supported_months(facts: Facts, n: int | None) -> Figure:
    ratio = selectors.supported_at_least(facts.scope, months=n or DEFAULT_MONTHS)
    return share(ratio.part, ratio.whole)


def _employed_or_training(facts: Facts, n: int | None) -> Figure:
    # Outcomes are recorded at the end and six months later: N of 6 or more reads the
    # six-month situation, a smaller N the situation at the end.
    stage = OutcomeStage.SIX_MONTHS if (n or 0) >= 6 else OutcomeStage.END
    return outcome_share(facts.outcomes, stage=stage, situations=EMPLOYED_OR_TRAINING)


def _matched_within(facts: Facts, n: int | None) -> Figure:
    ratio = facts.coverage.within[n or DEFAULT_WITHIN_DAYS]
    return share(ratio.part, ratio.whole)


OBJECTIVE_INDICATORS: dict[str, Callable[[Facts, int | None], Figure]] = {
    Indicator.SUPPORTED_MONTHS: _supported_months,
    Indicator.EMPLOYED_OR_TRAINING: _employed_or_training,
    Indicator.WOMEN_SHARE: lambda f, n: share(f.coverage.women, f.coverage.gender_known),
    Indicator.MATCHED_SHARE: lambda f, n: share(f.coverage.matched, f.coverage.accepted),
    Indicator.MATCHED_WITHIN_DAYS: _matched_within,
    Indicator.SATISFACTION: lambda f, n: share(
        f.satisfaction.satisfied, f.satisfaction.respondents
    ),
    Indicator.MENTORS_RECRUITED: lambda f, n: count(f.applications.accepted_mentors),
}


@dataclass(frozen=True)
class ObjectiveProgress:
    objective: Objective
    figure: Figure
    standing: Standing

    @property
    def status(self) -> Status:
        return self.standing.status


def objective_progress(
    objective: Objective, *, facts: Facts, facts_for: Callable[[Scope], Facts]
) -> ObjectiveProgress:
    """Value and status of one objective. `facts` are the report's own; an objective
    limited to a domain or field gets `facts_for` its narrowed scope."""
    if objective.rome_domain or objective.field:
        facts = facts_for(
            facts.scope.narrowed(rome_domain=objective.rome_domain, field=objective.field)
        )
    figure = OBJECTIVE_INDICATORS[objective.indicator](facts, objective.months)
    # A share compared with a target in people compares the number of people counted.
    if objective.unit == ObjectiveUnit.COUNT and figure.part is not None:
        figure = count(figure.part)
    scope = facts.scope
    first_edition = min(
        (e.applications_open_on for e in scope.program.editions.all()), default=None
    )
    standing = objective_status(
        value=figure.shown_value,
        target=objective.target,
        deadline=objective.deadline,
        today=scope.today,
        started_on=first_edition,
    )
    return ObjectiveProgress(objective, figure, standing)


def program_objectives(facts: Facts) -> list[ObjectiveProgress]:
    """Progress of every objective of the program (the caller prefetches `objectives`
    and `editions`); narrowed scopes share their facts, and the result is kept."""
    if "objectives" in facts.derived:
        kept: list[ObjectiveProgress] = facts.derived["objectives"]
        return kept
    cache: dict[tuple[str, str], Facts] = {}

    def facts_for(scope: Scope) -> Facts:
        key = (scope.filters.rome_domain, scope.filters.field)
        if key not in cache:
            cache[key] = Facts(scope, parent=facts)
        return cache[key]

    progress = [
        objective_progress(o, facts=facts, facts_for=facts_for)
        for o in facts.scope.program.objectives.all()
        if o.indicator in OBJECTIVE_INDICATORS
    ]
    facts.derived["objectives"] = progress
    return progress
