"""Explanations for one mentee: the proposed pair, the best alternatives and why each
was not chosen, and the score of any pair a coordinator considers. Reads only.

The engine is given this mentee and every available mentor; `rank_mentors` also lists the
best-scoring mentors whatever the rules, so that a coordinator sees the good candidates a
rule ruled out, and why."""

from dataclasses import dataclass, field

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
from mentorat.lib.errors import DomainError
from mentorat.matching import inputs as run_inputs
from mentorat.matching.models import MatchRun
from mentorat.matching.parameters import RunParameters
from mentorat.matching.selectors import mentor_loads
from mentorat.programs.models import Edition


@dataclass
class Candidate:
    mentor_id: int
    name: str
    score: float
    parts: list[tuple[str, float]]
    reason: str
    reason_code: str
    free: int

    @property
    def assignable(self) -> bool:
        return not (self.reason_code.startswith("rule_") or self.reason_code == "excluded")


@dataclass
class PairCheck:
    score: float
    explanation: Explanation
    free: int


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
    return PairCheck(score=explanation.total, explanation=explanation, free=int(ctx.free[j]))
