"""Explanations for one mentee: the proposed pair, the best alternatives and why each
was not chosen, and the score of any pair a coordinator considers. Reads only.

The engine is given this mentee and every available mentor; `rank_mentors` also lists the
best-scoring mentors whatever the rules, so that a coordinator sees the good candidates a
rule ruled out, and why."""

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from matching_engine import (
    Explanation,
    Problem,
    alternative_reason,
    explain_pair,
    rank_mentors,
    suggest,
)
from matching_engine.explain import compatibility_percent
from mentorat.applications.models import Application
from mentorat.lib.errors import DomainError
from mentorat.matching import inputs as run_inputs
from mentorat.matching.models import MatchRun, MentorRequest, Proposal
from mentorat.matching.parameters import RunParameters
from mentorat.matching.selectors import mentor_loads
from mentorat.mentorships.models import Mentorship
from mentorat.programs.models import Edition, MatchingSettings

# Compatibility: the one score people see -----------------------------------------------------


@dataclass(frozen=True)
class Compatibility:
    """A pair's `points` out of the `best` its program's criteria allow, and the
    percentage every page, export and email shows (`compatibility_percent`: rounded half
    up, within 0–100; None when the program weighs no criterion)."""

    points: float
    best: int

    @property
    def percent(self) -> int | None:
        """The compatibility from 0 to 100 (None when no criterion can score)."""
        return compatibility_percent(self.points, self.best)


def best_points(parameters: RunParameters) -> int:
    """The most points a pair can reach under these parameters: the program's weights
    applied to every criterion's maximum (the engine's `Weights.max_score`)."""
    return parameters.criteria().weights.max_score()


def run_best_points(run: MatchRun) -> int:
    """`best_points` of the parameters the run was computed with (stored with the run, so
    later changes of the program's weights do not change its percentages)."""
    return best_points(RunParameters.from_json(run.parameters))


def program_best_points(program_id: int) -> int:
    """`best_points` of a program's current matching settings (self-matching requests)."""
    settings = MatchingSettings.objects.filter(program_id=program_id).first()
    return best_points(RunParameters.from_settings(settings))


def stored_explanation(parts: list[dict[str, Any]], *, best: int, **source: int) -> dict[str, Any]:
    """What a mentorship keeps of the matching: the score parts, the best possible points
    they are measured against, and where the pair came from (`run=` or `request=`)."""
    return {"parts": parts, "best_points": best, **source}


def mentorship_compatibility(mentorship: Mentorship) -> Compatibility | None:
    """The compatibility of a pair the matching created (None for a pair made by hand).
    The best possible points are the ones stored with the pair, else those of the run
    that proposed it, else the program's current settings (pairs stored before)."""
    if mentorship.score is None:
        return None
    explanation = mentorship.explanation or {}
    best = explanation.get("best_points")
    if best is None and explanation.get("run"):
        parameters = (
            MatchRun.objects.filter(pk=explanation["run"])
            .values_list("parameters", flat=True)
            .first()
        )
        if parameters is not None:
            best = best_points(RunParameters.from_json(parameters))
    if best is None:
        best = program_best_points(mentorship.edition.program_id)
    return Compatibility(points=float(mentorship.score), best=int(best))


def proposal_compatibility(proposal: Proposal, *, best: int) -> Compatibility | None:
    """A proposed pair's compatibility (None for a mentee left unmatched); `best` is
    `run_best_points` of its run, computed once per page."""
    if proposal.mentor_id is None or proposal.score is None:
        return None
    return Compatibility(points=float(proposal.score), best=best)


def request_compatibility(found: MentorRequest, *, best: int) -> Compatibility | None:
    """A self-matching request's compatibility; `best` is `program_best_points`."""
    if found.score is None:
        return None
    return Compatibility(points=float(found.score), best=best)


def pair_explanation(
    *, edition: Edition, parameters: RunParameters, mentee: Application, mentor: Application
) -> Explanation:
    """The engine's breakdown of one given pair under `parameters`, whatever the rules and
    the mentor's places (pairs written directly, e.g. the demo's history)."""
    mentees = run_inputs.mentee_rows(
        Application.objects.filter(pk=mentee.pk), priority_groups=parameters.priority_groups
    )
    mentors = run_inputs.mentor_rows(
        Application.objects.filter(pk=mentor.pk), capacities={mentor.pk: 1}
    )
    problem = run_inputs.build(run_inputs.Inputs(mentees=mentees, mentors=mentors), parameters)
    return explain_pair(problem, 0, 0)


@dataclass
class Candidate:
    mentor_id: int
    name: str
    score: float
    parts: list[tuple[str, float]]
    reason: str
    reason_code: str
    free: int
    #: best possible points of the criteria the mentor was scored with
    best: int = 0

    @property
    def assignable(self) -> bool:
        return not (self.reason_code.startswith("rule_") or self.reason_code == "excluded")

    @property
    def compatibility(self) -> Compatibility:
        """The score as shown: the percentage of the best possible points."""
        return Compatibility(points=self.score, best=self.best)


@dataclass
class PairCheck:
    score: float
    explanation: Explanation
    free: int
    best: int = 0

    @property
    def compatibility(self) -> Compatibility:
        """The score as shown: the percentage of the best possible points."""
        return Compatibility(points=self.score, best=self.best)


@dataclass
class MenteeReview:
    parts: list[tuple[str, float]] = field(default_factory=list)
    alternatives: list[Candidate] = field(default_factory=list)
    #: every available mentor (id, name, mentees proposed in this run, capacity)
    mentors: list[tuple[int, str, int, int]] = field(default_factory=list)


@dataclass
class _Context:
    data: run_inputs.Inputs
    problem: Problem
    index: dict[int, int]
    free: np.ndarray
    assignment: np.ndarray
    parameters: RunParameters


def _parts(explanation: Explanation, language: str) -> list[tuple[str, float]]:
    return [(p.text(language), p.points) for p in explanation.parts if p.points]


def mentee_context(
    *,
    edition: Edition,
    parameters: RunParameters,
    mentee_id: int,
    loads: dict[int, int],
    current_mentor: int | None,
) -> _Context:
    """The engine's problem for one mentee and every mentor with a place left in the
    edition; `loads` are the mentees already given to each mentor (in a run)."""
    data = run_inputs.load_inputs(edition=edition, parameters=parameters, mentee_ids=[mentee_id])
    if not data.mentees:
        raise DomainError(
            _("This mentee is no longer waiting for a mentor (already paired, or withdrawn).")
        )
    problem = run_inputs.build(data, parameters)
    index = {int(row["id"]): j for j, row in enumerate(data.mentors)}
    free = np.array(
        [
            int(row["capacity"]) - loads.get(int(row["id"]), 0) + (int(row["id"]) == current_mentor)
            for row in data.mentors
        ],
        np.int64,
    )
    current = index.get(current_mentor, -1) if current_mentor is not None else -1
    return _Context(data, problem, index, free, np.array([current], np.int64), parameters)


def _context(run: MatchRun, mentee_id: int, current_mentor: int | None) -> _Context:
    return mentee_context(
        edition=run.edition,
        parameters=RunParameters.from_json(run.parameters),
        mentee_id=mentee_id,
        loads=mentor_loads(run=run),
        current_mentor=current_mentor,
    )


def suggestions_for(
    *, edition: Edition, parameters: RunParameters, mentee_id: int, language: str, top_k: int
) -> list[Candidate]:
    """Self-matching: the best compatible mentors with a place left, best first."""
    ctx = mentee_context(
        edition=edition, parameters=parameters, mentee_id=mentee_id, loads={}, current_mentor=None
    )
    if not ctx.data.mentors:
        return []
    out = []
    for suggestion in suggest(ctx.problem, [0], top_k=top_k)[0]:
        row = ctx.data.mentors[suggestion.mentor]
        out.append(
            Candidate(
                mentor_id=int(row["id"]),
                name=row["name"],
                score=suggestion.score,
                parts=_parts(suggestion.explanation, language),
                reason="",
                reason_code="suggested",
                free=int(ctx.free[suggestion.mentor]),
                best=best_points(parameters),
            )
        )
    return out


def check_request(
    *, edition: Edition, parameters: RunParameters, mentee_id: int, mentor_id: int, language: str
) -> PairCheck:
    """Self-matching: the pair must meet the rules and the mentor have a place left."""
    ctx = mentee_context(
        edition=edition, parameters=parameters, mentee_id=mentee_id, loads={}, current_mentor=None
    )
    return _check(ctx, mentor_id, language)


def review_mentee(
    *, run: MatchRun, mentee_id: int, current_mentor: int | None, language: str, top_k: int = 5
) -> MenteeReview:
    ctx = _context(run, mentee_id, current_mentor)
    review = MenteeReview()
    current = int(ctx.assignment[0])
    if current >= 0:
        review.parts = _parts(explain_pair(ctx.problem, 0, current), language)
    loads = mentor_loads(run=run)
    review.mentors = sorted(
        (
            (int(r["id"]), r["name"], loads.get(int(r["id"]), 0), int(r["capacity"]))
            for r in ctx.data.mentors
        ),
        key=lambda m: m[1],
    )
    if not ctx.data.mentors:
        return review
    for suggestion in rank_mentors(ctx.problem, 0, top_k=top_k + 1):
        j = suggestion.mentor
        if j == current:
            continue
        reason = alternative_reason(ctx.problem, ctx.assignment, ctx.free, 0, j)
        row = ctx.data.mentors[j]
        review.alternatives.append(
            Candidate(
                mentor_id=int(row["id"]),
                name=row["name"],
                score=suggestion.score,
                parts=_parts(suggestion.explanation, language),
                reason=reason.text(language),
                reason_code=reason.code,
                free=int(ctx.free[j]),
                best=best_points(ctx.parameters),
            )
        )
    review.alternatives = review.alternatives[:top_k]
    return review


def check_pair(*, run: MatchRun, mentee_id: int, mentor_id: int, language: str) -> PairCheck:
    """Score of the pair; DomainError naming the rule when the pair is not acceptable."""
    return _check(_context(run, mentee_id, None), mentor_id, language)


def _check(ctx: _Context, mentor_id: int, language: str) -> PairCheck:
    j = ctx.index.get(mentor_id)
    if j is None:
        raise DomainError(_("This mentor has no place left in the edition."))
    unconstrained = np.full(len(ctx.free), 1, np.int64)
    reason = alternative_reason(ctx.problem, np.array([-1]), unconstrained, 0, j)
    if reason.code.startswith("rule_") or reason.code == "excluded":
        raise DomainError(reason.text(language))
    explanation = explain_pair(ctx.problem, 0, j)
    return PairCheck(
        score=explanation.total,
        explanation=explanation,
        free=int(ctx.free[j]),
        best=best_points(ctx.parameters),
    )
