"""Mentorat's matching engine: a plain, typed package (numpy, scipy, OR-Tools; no Django).

Build a :class:`~matching_engine.model.Problem` with :func:`build_problem`, then call
:func:`solve`, :func:`suggest`, :func:`rank_mentors`, :func:`explain_pair` or
:func:`why_not`.
"""

from matching_engine.encode import build_problem
from matching_engine.engine import RankedMentor, Suggestion, rank_mentors, solve, suggest
from matching_engine.explain import WhyNot, alternative_reason, explain_pair, why_not
from matching_engine.model import (
    Criteria,
    EngineInputError,
    Explanation,
    HardRules,
    Part,
    Problem,
    Reason,
    Weights,
)
from matching_engine.result import InvalidMatching, Result

__all__ = [
    "Criteria",
    "EngineInputError",
    "Explanation",
    "HardRules",
    "InvalidMatching",
    "Part",
    "Problem",
    "RankedMentor",
    "Reason",
    "Result",
    "Suggestion",
    "Weights",
    "WhyNot",
    "alternative_reason",
    "build_problem",
    "explain_pair",
    "rank_mentors",
    "solve",
    "suggest",
    "why_not",
]
