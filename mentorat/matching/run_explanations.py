"""Every proposal's explanation, built in bulk once a run is solved.

A run explains each proposed pair the way the review pages do (`Result.explanation`: the
criteria that scored, with points and French and English wording, then the reserved-place
note). One pair at a time that costs about 100 µs, 20 s for a national edition; here the
criteria are scored for all pairs together and each criterion's wording is formatted once
per distinct content (same field, same skills in common…), as the engine's own
`explanation_texts` does for the command line. The parts, their order and their wording
are the engine's; `tests/matching/test_bulk_run.py` compares them with the pair-by-pair path.
"""

import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from matching_engine import Problem, Result

# The engine's wording of one criterion for one pair, and what that wording depends on;
# its public bulk function (`explanation_texts`) joins the parts into one text, and a
# proposal keeps them apart (points and both languages).
from matching_engine.explain import _detail, _labels
from matching_engine.model import Part
from matching_engine.reserved import reserved_part
from matching_engine.scoring import components


@dataclass(frozen=True)
class Explanations:
    """`parts[k]` for k in `of_pair[n]`: the parts of the n-th pair, in the engine's order."""

    parts: list[Part]
    of_pair: list[list[int]]

    def as_json(self) -> list[list[dict[str, Any]]]:
        """Each pair's explanation as a proposal stores it (the dicts are shared)."""
        shared = [part_json(p) for p in self.parts]
        return [[shared[k] for k in pair] for pair in self.of_pair]

    def as_text(self) -> list[str]:
        """Each pair's explanation as JSON text (for `COPY`), each part serialised once."""
        shared = [json.dumps(part_json(p), ensure_ascii=False) for p in self.parts]
        return ["[" + ", ".join(shared[k] for k in pair) + "]" for pair in self.of_pair]


def part_json(part: Part) -> dict[str, Any]:
    return {"code": part.code, "points": part.points, "fr": part.fr, "en": part.en}


def explain_assignment(result: Result, mentees: np.ndarray) -> Explanations:
    """`result.explanation(i).parts` for each mentee index i of `mentees` (all assigned)."""
    problem = result.problem
    mentees = np.asarray(mentees, np.int64)
    mentors = np.asarray(result.assignment, np.int64)[mentees]
    if problem.pairs is not None:  # scores given pair by pair: nothing to group
        flat: list[Part] = []
        of_pair: list[list[int]] = []
        for i in mentees.tolist():
            parts_of = result.explanation(i).parts
            of_pair.append(list(range(len(flat), len(flat) + len(parts_of))))
            flat.extend(parts_of)
        return Explanations(flat, of_pair)
    parts: list[Part] = []
    columns: list[np.ndarray] = []
    if len(mentees):
        for code, points in components(problem, mentees, mentors).items():
            points = np.asarray(points, np.int64)
            column = _criterion(problem, code, points, mentees, mentors, parts)
            if column is not None:
                columns.append(column)
    reserved = result.reserved_place
    if reserved is not None and len(mentees):
        codes = np.asarray(reserved, np.int64)[mentees]
        column = np.full(len(mentees), -1, np.int64)
        for code in np.unique(codes[codes >= 0]).tolist():
            column[codes == code] = len(parts)
            parts.append(reserved_part(problem, int(code)))
        columns.append(column)
    if not columns:
        return Explanations(parts, [[] for _ in range(len(mentees))])
    table = np.column_stack(columns).tolist()
    return Explanations(parts, [[k for k in row if k >= 0] for row in table])


def _criterion(
    problem: Problem,
    code: str,
    points: np.ndarray,
    mentees: np.ndarray,
    mentors: np.ndarray,
    parts: list[Part],
) -> np.ndarray | None:
    """The part of criterion `code` of each pair (index into `parts`, -1 when it did not
    score), adding one part per distinct (points, what the wording names)."""
    fired = np.flatnonzero(points)
    if len(fired) == 0:
        return None
    detail = _detail(problem, code, mentees, mentors)
    detail = detail[fired].reshape(len(fired), -1)
    detail = detail.view(np.int64) if detail.dtype == np.uint64 else detail.astype(np.int64)
    key = np.column_stack([points[fired], detail])
    _keys, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
    start = len(parts)
    for rep in fired[first].tolist():
        i, j = int(mentees[rep]), int(mentors[rep])
        parts.append(Part(code, float(points[rep]), *_labels(problem, i, j, code)))
    column = np.full(len(mentees), -1, np.int64)
    column[fired] = start + np.asarray(inverse).ravel()
    return column
