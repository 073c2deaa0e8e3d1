"""The outcome of :func:`~matching_engine.engine.solve` and the checks it can run on itself.

``Result`` lives here rather than in ``model`` because explaining and checking a result need
the scoring and the pair graph, which are built on ``model``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from matching_engine.algorithms.edges import all_edges, drop_locked, pair_edges, pair_ranks
from matching_engine.algorithms.stable import preference_order
from matching_engine.explain import WhyNot, explain_pair, why_not
from matching_engine.model import (
    Explanation,
    FloatArray,
    IntArray,
    ParityReport,
    Problem,
    Reason,
    Summary,
)
from matching_engine.reserved import reserved_part
from matching_engine.scoring import has_reservations, partnership_member, score_pairs


class InvalidMatching(ValueError):
    """A result breaks a rule every matching must keep (see :meth:`Result.check_validity`)."""


@dataclass(frozen=True)
class Result:
    """A matching of ``problem``: ``assignment[i]`` is mentee i's mentor index (-1 when
    unmatched) and ``score[i]`` that pair's score (nan when unmatched); ``reasons`` say why
    each unmatched mentee is; ``summary`` and ``parity`` give the totals."""

    problem: Problem
    mode: str
    assignment: IntArray  # mentee index -> mentor index, -1 when unmatched
    score: FloatArray  # nan when unmatched
    reasons: dict[int, Reason]
    summary: Summary
    parity: tuple[ParityReport, ...]
    #: per mentee: the partnership (code of ``vocab.partnerships``) whose reserved place it
    #: holds, -1 otherwise (None: no mentor has reserved places).
    reserved_place: IntArray | None = None

    def explanation(self, mentee: int) -> Explanation:
        """Score breakdown of the mentee's assigned pair (empty when unmatched), followed
        by the note "Place réservée au partenariat X" when it holds a reserved place."""
        mentor = int(self.assignment[mentee])
        if mentor < 0:
            return Explanation(())
        explanation = explain_pair(self.problem, mentee, mentor)
        code = -1 if self.reserved_place is None else int(self.reserved_place[mentee])
        if code >= 0:
            return Explanation((*explanation.parts, reserved_part(self.problem, code)))
        return explanation

    def why_not(self, mentee: int, mentor: int) -> WhyNot:
        """Why ``mentee`` was not paired with ``mentor`` in this result and what it got
        instead (``explain.why_not`` with the places the result leaves free and the
        mentee's unmatched reason; the assigned pair explained as ``explanation``)."""
        a = self.assignment
        taken = np.bincount(a[a >= 0], minlength=self.problem.n_mentors)
        free = self.problem.mentors.capacity - taken
        found = why_not(
            self.problem, assignment=a, free=free, mentee=mentee, mentor=mentor,
            unmatched=self.reasons.get(mentee),
        )  # fmt: skip
        if found.assigned_explanation is None:
            return found
        return replace(found, assigned_explanation=self.explanation(mentee))

    def check_validity(self) -> bool:
        """True when the matching keeps every rule; raises :class:`InvalidMatching` naming
        the first rule broken otherwise. The rules: one mentor index (or -1) per mentee, no
        mentor above their capacity, every locked pair kept, and every other pair allowed
        (hard rules met, not excluded, listed in the pairs table when there is one)."""
        p, a = self.problem, np.asarray(self.assignment)
        if a.shape != (p.n_mentees,) or ((a < -1) | (a >= p.n_mentors)).any():
            raise InvalidMatching("the assignment is not one mentor index (or -1) per mentee")
        counts = np.bincount(a[a >= 0], minlength=p.n_mentors)
        over = np.flatnonzero(counts > p.mentors.capacity)
        if len(over):
            j = int(over[0])
            raise InvalidMatching(
                f"mentor {j} has {counts[j]} mentees for a capacity of {p.mentors.capacity[j]}"
            )
        _check_reserved(p, a)
        moved = np.flatnonzero(a[p.locked_mentee] != p.locked_mentor)
        if len(moved):
            i = int(p.locked_mentee[moved[0]])
            raise InvalidMatching(f"mentee {i} lost their locked mentor")
        free = np.setdiff1d(np.arange(p.n_mentees), p.locked_mentee)
        mentee = free[a[free] >= 0]
        mentor = a[mentee]
        if p.pairs is not None:
            allowed = pair_edges(p)
            ok = np.isin(
                mentee * p.n_mentors + mentor, allowed.mentee * p.n_mentors + allowed.mentor
            )
        else:
            _scores, ok = score_pairs(p, mentee, mentor)
        if not ok.all():
            k = int(np.flatnonzero(~ok)[0])
            raise InvalidMatching(
                f"mentee {mentee[k]} and mentor {mentor[k]} may not be paired "
                "(a hard rule, an exclusion or the pairs table forbids it)"
            )
        return True

    def blocking_pairs(self) -> list[tuple[int, int]]:
        """Pairs (mentee, mentor), locked mentees left out, that would both rather be
        together than keep their assignment: the mentee prefers this mentor to their own
        (or has none), and the mentor has a free place or prefers this mentee to one of
        theirs. Preferences are the stable mode's: ranks from the pairs table when given,
        then higher score, then lower index. Builds the whole pair graph (for tests and
        audits, not for national-scale problems)."""
        p, a = self.problem, np.asarray(self.assignment)
        edges = drop_locked(p, all_edges(p))
        if len(edges.mentee) == 0:
            return []
        rank_i, rank_j = pair_ranks(p, edges) if p.pairs is not None else (None, None)
        pos_i = _positions(
            edges.mentee, preference_order(edges.mentee, edges.mentor, edges.score, rank_i)
        )
        pos_j = _positions(
            edges.mentor, preference_order(edges.mentor, edges.mentee, edges.score, rank_j)
        )
        held = a[edges.mentee] == edges.mentor
        # Position of each mentee's own mentor in their list (past the end when unmatched).
        own = np.full(p.n_mentees, len(edges.mentee), np.int64)
        own[edges.mentee[held]] = pos_i[held]
        # Each mentor's free places and the position of the least preferred mentee they hold.
        free = p.free_capacity().astype(np.int64)
        taken = np.bincount(edges.mentor[held], minlength=p.n_mentors)
        worst = np.full(p.n_mentors, -1, np.int64)
        np.maximum.at(worst, edges.mentor[held], pos_j[held])
        wants = pos_i < own[edges.mentee]
        accepts = (taken[edges.mentor] < free[edges.mentor]) | (pos_j < worst[edges.mentor])
        block = wants & accepts
        return sorted(zip(edges.mentee[block].tolist(), edges.mentor[block].tolist(), strict=True))

    def check_stability(self) -> bool:
        """True when no pair blocks the matching (see :meth:`blocking_pairs`)."""
        return not self.blocking_pairs()


def _check_reserved(p: Problem, a: IntArray) -> None:
    """No mentor gives more than its open places to mentees outside the partnership its
    other places are reserved for (locked pairs made before the reservation aside)."""
    if not has_reservations(p):
        return
    mo = p.mentors
    mentees = np.flatnonzero(a >= 0)
    outside = ~partnership_member(p, mentees, mo.reserved_for[a[mentees]])
    counts = np.bincount(a[mentees[outside]], minlength=p.n_mentors)
    locked_outside = ~partnership_member(p, p.locked_mentee, mo.reserved_for[p.locked_mentor])
    locked = np.bincount(p.locked_mentor[locked_outside], minlength=p.n_mentors)
    allowed = np.maximum(mo.capacity - mo.reserved_places, locked)
    over = np.flatnonzero(counts > allowed)
    if len(over):
        j = int(over[0])
        raise InvalidMatching(
            f"mentor {j} gives {counts[j]} places to mentees outside its partnership "
            f"for {allowed[j]} open places"
        )


def _positions(owner: IntArray, order: IntArray) -> IntArray:
    """Each edge's place (0 = first choice) in its owner's preference list, given the edge
    order of :func:`preference_order` (grouped by owner)."""
    sorted_owner = owner[order]
    start = np.searchsorted(sorted_owner, sorted_owner, side="left")
    pos = np.empty(len(order), np.int64)
    pos[order] = np.arange(len(order)) - start
    return pos
