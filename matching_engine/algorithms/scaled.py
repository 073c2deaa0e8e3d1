"""National-scale paths (placeholder: full graph until the pruned solver lands)."""

from __future__ import annotations

from matching_engine.algorithms.edges import drop_locked, profile_edges
from matching_engine.algorithms.optimal import solve_exact
from matching_engine.algorithms.stable import deferred_acceptance, preference_order
from matching_engine.model import I32, IntArray, Problem


def solve_priced(p: Problem, capacity: I32) -> tuple[IntArray, float | None]:
    edges = drop_locked(p, profile_edges(p))
    return solve_exact(p.n_mentees, p.n_mentors, edges, capacity, p.mentees.priority), None


def stable_lazy(p: Problem, capacity: I32) -> IntArray:
    edges = drop_locked(p, profile_edges(p))
    mo = preference_order(edges.mentee, edges.mentor, edges.score)
    mj = preference_order(edges.mentor, edges.mentee, edges.score)
    return deferred_acceptance(
        p.n_mentees, p.n_mentors, edges.mentee, edges.mentor, mo, mj, capacity
    )
