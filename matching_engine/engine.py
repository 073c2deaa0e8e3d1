"""Public entry points: solve (optimal or stable), suggest, explain_pair."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Literal

import numpy as np

from matching_engine import reserved
from matching_engine.algorithms.edges import all_edges, drop_locked, pair_ranks
from matching_engine.algorithms.stable import deferred_acceptance, preference_order
from matching_engine.explain import (
    compatibility_reason,
    explain_pair,
    pair_reasons,
    profile_reasons,
)
from matching_engine.messages import both
from matching_engine.model import (
    WOMEN,
    Explanation,
    IntArray,
    ParityReport,
    Problem,
    Reason,
    Summary,
)
from matching_engine.progress import SILENT, Note, Progress, figure
from matching_engine.result import Result
from matching_engine.scoring import (
    excluded_pairs,
    has_reservations,
    partnership_member,
    rule_masks,
    score_block,
    score_pairs,
)

Mode = Literal["optimal", "stable"]

#: Above this many mentee × mentor cells, optimal mode uses candidate lists with pricing.
FULL_GRAPH_CELLS = 2_000_000


@dataclass(frozen=True)
class Suggestion:
    """One mentor ``suggest`` proposes for a mentee, with the pair's score and why."""

    mentor: int
    score: float
    explanation: Explanation


def solve(problem: Problem, mode: Mode = "optimal", *, progress: Progress = SILENT) -> Result:
    """Match every mentee it can; locked pairs are kept and consume capacity.

    ``optimal``: lexicographic optimum (priority mentees matched, then mentees matched, then
    total score), exact; unmet parity targets are then pursued below coverage (see
    ``_pursue_parity``). ``stable``: mentee-optimal stable matching (deferred acceptance;
    preferences by score, ties broken by index, or by ranks from ``pairs``).
    The result is a pure function of the input (no randomised step is used).
    ``progress`` hears the ``solving`` stage (rounds, proven bound).
    """
    progress.stage("solving")
    started = time.perf_counter()
    real = problem
    # Reserved places: the solvers see each mentor holding some as two (see reserved.py).
    p, origin = reserved.split(real) if has_reservations(real) else (real, None)
    capacity = p.free_capacity()
    bound: float | None = None
    best: dict[str, int] = {}
    if mode == "optimal":
        assignment, bound = _optimal(p, capacity, progress=progress)
        assignment, bound, best = _pursue_parity(p, capacity, assignment, bound, progress)
    elif mode == "stable":
        if p.pairs is None and p.n_mentees * p.n_mentors > FULL_GRAPH_CELLS:
            progress.note(Note("deferred acceptance, preference lists built on demand",
                               "acceptation différée, listes de préférences construites "
                               "au fur et à mesure"))  # fmt: skip
            # Imported here: the compiled kernels (numba) load only for national-scale runs.
            from matching_engine.algorithms import stable_parts

            assignment = stable_parts.stable_lazy(p, capacity)
        else:
            progress.note(Note("deferred acceptance on every allowed pair",
                               "acceptation différée sur toutes les paires permises"))  # fmt: skip
            assignment = _stable_full(p, capacity)
    else:
        raise ValueError(f"unknown mode {mode!r}")
    matched = int((assignment >= 0).sum()) + len(p.locked_mentee)
    progress.note(
        Note(f"{figure(matched, 'en')} mentees matched, finding why the others are not",
             f"{figure(matched, 'fr')} mentoré·es appariés, recherche des raisons pour les "
             "autres")
    )  # fmt: skip
    assignment = assignment.copy()
    assignment[p.locked_mentee] = p.locked_mentor
    if origin is not None:
        assignment = np.where(assignment >= 0, origin[np.maximum(assignment, 0)], -1)
    result = _result(real, mode, assignment, time.perf_counter() - started, bound, best)
    progress.note(_solved_note(result.summary))
    return result


def _solved_note(s: Summary) -> Note:
    """The solving stage's last word: mentees matched and, when proven, the bound."""
    en = f"{figure(s.matched, 'en')}/{figure(s.mentees, 'en')} mentees matched"
    fr = f"{figure(s.matched, 'fr')}/{figure(s.mentees, 'fr')} mentoré·es appariés"
    ratio = s.proven_ratio
    if ratio is not None and s.score_bound is not None:
        en, fr = f"{en} · score proven optimal", f"{fr} · score prouvé optimal"
    elif ratio is not None:
        en += f" · score proven ≥ {ratio:.2%} of the optimum"
        fr += f" · score prouvé ≥ {figure(100 * ratio, 'fr', 2)}\u202f% de l'optimum"
    return Note(en, fr)


def _optimal(
    p: Problem,
    capacity: np.ndarray,
    bonus: IntArray | None = None,
    *,
    progress: Progress = SILENT,
) -> tuple[IntArray, float | None]:
    if p.pairs is None and p.n_mentees * p.n_mentors > FULL_GRAPH_CELLS:
        # Imported here: numba loads only for a national-scale problem, not at start-up.
        from matching_engine.algorithms import scaled

        return scaled.solve_priced(p, capacity, bonus, progress=progress)
    # Imported here: OR-Tools loads only for the exact flows, not at start-up.
    from matching_engine.algorithms.optimal import solve_exact

    edges = drop_locked(p, all_edges(p))
    n = len(edges.mentee)
    progress.note(
        Note(
            f"exact flows on {figure(n, 'en')} allowed pairs",
            f"flots exacts sur {figure(n, 'fr')} paires permises",
        )
    )
    return solve_exact(p.n_mentees, p.n_mentors, edges, capacity, p.mentees.priority, bonus), None


@dataclass(frozen=True)
class _Target:
    name: str
    share: float
    members: np.ndarray  # bool per mentee


def _targets(p: Problem) -> list[_Target]:
    out = []
    for name, share in p.criteria.parity_targets:
        code = p.vocab.groups.index(name) if name in p.vocab.groups else -1
        members = np.zeros(p.n_mentees, bool)
        if code >= 0:
            members = ((p.mentees.groups >> np.uint64(code)) & np.uint64(1)).astype(bool)
        out.append(_Target(name, share, members))
    if p.criteria.women_share_target is not None:
        out.append(_Target(WOMEN, p.criteria.women_share_target, p.mentees.gender == 1))
    return out


def _reached(t: _Target, assignment: IntArray) -> tuple[int, int]:
    """(members matched, count the target asks for)."""
    matched = assignment >= 0
    size = int(matched.sum()) if t.name == WOMEN else int(t.members.sum())
    return int((t.members & matched).sum()), math.ceil(t.share * size - 1e-9)


def _pursue_parity(
    p: Problem,
    capacity: np.ndarray,
    assignment: IntArray,
    bound: float | None,
    progress: Progress = SILENT,
) -> tuple[IntArray, float | None, dict[str, int]]:
    """Meet unmet parity targets when possible, below priority and coverage.

    Members of unmet targets' groups get a bonus on every pair. With a bonus above any score
    difference (``tier``) the optimum matches the most of them that keeps priority mentees and
    coverage at their maximum: if the targets are still unmet they cannot be met, and the
    score-optimal matching is kept (reported with what was achievable). Otherwise the smallest
    power-of-two bonus meeting them is used, which costs as little score as this search finds.
    """
    targets = _targets(p)
    unmet = [t for t in targets if _reached(t, assignment)[0] < _reached(t, assignment)[1]]
    if not unmet:
        return assignment, bound, {}
    members = np.logical_or.reduce([t.members for t in unmet])
    pairs = min(p.n_mentees, int(capacity.sum()))
    smax = p.criteria.weights.max_score()
    if p.pairs is not None and len(p.pairs.score):  # provided scores, ×1000 when fractional
        smax = math.ceil(1000 * float(np.ptp(p.pairs.score))) + 1
    tier = smax * max(pairs, 1) + 1
    progress.note(Note("parity targets unmet: solving again with their groups favoured",
                       "objectifs de parité non atteints\u202f: nouveau calcul favorisant leurs "
                       "groupes"))  # fmt: skip
    top, _ = _optimal(p, capacity, tier * members.astype(np.int64))
    best = {t.name: _reached(t, top)[0] for t in unmet}
    if any(_reached(t, top)[0] < _reached(t, top)[1] for t in unmet):
        return assignment, bound, best
    lo, hi, chosen = 0, tier.bit_length(), top
    while lo < hi:  # smallest exponent whose bonus meets every unmet target
        mid = (lo + hi) // 2
        trial, _ = _optimal(p, capacity, (1 << mid) * members.astype(np.int64))
        if all(_reached(t, trial)[0] >= _reached(t, trial)[1] for t in unmet):
            hi, chosen = mid, trial
        else:
            lo = mid + 1
    return chosen, None, best


def _stable_full(p: Problem, capacity: np.ndarray) -> IntArray:
    edges = drop_locked(p, all_edges(p))
    rank_i = rank_j = None
    if p.pairs is not None:
        rank_i, rank_j = pair_ranks(p, edges)
    mentee_order = preference_order(edges.mentee, edges.mentor, edges.score, rank_i)
    mentor_order = preference_order(edges.mentor, edges.mentee, edges.score, rank_j)
    return deferred_acceptance(
        p.n_mentees, p.n_mentors, edges.mentee, edges.mentor, mentee_order, mentor_order, capacity
    )


def pair_scores(p: Problem, mentee: IntArray, mentor: IntArray) -> np.ndarray:
    """Scores of the given (mentee, mentor) pairs as used by the engine."""
    if p.pairs is not None:
        t = p.pairs
        keys = t.mentee * p.n_mentors + t.mentor
        order = np.argsort(keys)
        want = mentee * p.n_mentors + mentor
        pos = np.minimum(np.searchsorted(keys[order], want), len(keys) - 1)
        found = keys[order][pos] == want
        return np.where(found, t.score[order][pos], 0.0)

    scores, _ = score_pairs(p, mentee, mentor)
    return scores.astype(np.float64)


def _reasons(p: Problem, assignment: IntArray, free: np.ndarray) -> dict[int, Reason]:
    unmatched = np.flatnonzero(assignment < 0)
    if p.pairs is not None:
        return pair_reasons(p, unmatched, free)
    special = np.zeros(p.n_mentees, bool)  # mentees with excluded pairs: one by one
    if len(p.excluded_keys):
        special[p.excluded_keys // p.n_mentors] = True
    out = profile_reasons(p, unmatched[~special[unmatched]], free)
    for i in unmatched[special[unmatched]].tolist():
        out[i] = compatibility_reason(p, i, free)
    return out


def _result(
    p: Problem,
    mode: str,
    assignment: IntArray,
    seconds: float,
    bound: float | None,
    best: dict[str, int] | None = None,
) -> Result:
    matched = assignment >= 0
    score = np.full(p.n_mentees, np.nan)
    idx = np.flatnonzero(matched)
    score[idx] = pair_scores(p, idx, assignment[idx])
    free = p.mentors.capacity - np.bincount(assignment[idx], minlength=p.n_mentors)
    reasons = _reasons(p, assignment, free)
    held: IntArray | None = None
    if has_reservations(p):
        held = reserved.reserved_places_held(p, assignment)
        _reserved_reasons(p, assignment, reasons)
    prio = p.mentees.priority
    parity = []
    for t in _targets(p):
        size = int(matched.sum()) if t.name == WOMEN else int(t.members.sum())
        reached = int((t.members & matched).sum())
        parity.append(ParityReport(t.name, t.share, size, reached, (best or {}).get(t.name)))
    total = float(score[idx].sum())
    upper: float | None = None
    if bound is not None:  # the solvers' bound leaves out locked pairs
        locked = 0.0
        if len(p.locked_mentee):
            locked = float(pair_scores(p, p.locked_mentee, p.locked_mentor).sum())
        upper = max(bound + locked, total)
    summary = Summary(
        mode=mode,
        mentees=p.n_mentees,
        matched=int(matched.sum()),
        priority_total=int(prio.sum()),
        priority_matched=int((prio & matched).sum()),
        total_score=total,
        mean_score=total / len(idx) if len(idx) else 0.0,
        seconds=seconds,
        score_bound=total if upper is not None and upper <= total + 1e-6 else None,
        upper_bound=upper,
        reserved=() if held is None else reserved.reports(p, held),
    )
    return Result(p, mode, assignment, score, reasons, summary, tuple(parity), held)


#: Above this many unmatched mentees × mentors with a free place, the "free places are
#: reserved" reason is not looked for (the capacity reason stays).
RESERVED_REASON_CELLS = 20_000_000


def _reserved_reasons(p: Problem, assignment: IntArray, reasons: dict[int, Reason]) -> None:
    """An unmatched mentee told "not chosen" whose compatible mentors' free places are all
    reserved for partnerships it is not part of is told so instead."""
    waiting = [i for i, r in reasons.items() if r.code == "not_chosen"]
    open_free, free = reserved.open_places_left(p, assignment)
    candidates = np.flatnonzero(free > 0)
    if not waiting or len(waiting) * len(candidates) > RESERVED_REASON_CELLS:
        return
    code = p.mentors.reserved_for[candidates]
    for i in waiting:
        ii = np.full(len(candidates), i)
        _, ok = score_pairs(p, ii, candidates)
        usable = (open_free[candidates] > 0) | partnership_member(p, ii, code)
        if ok.any() and not (ok & usable).any():
            reasons[i] = Reason("reserved_full", *both("reason_reserved_full"))


def suggest(
    problem: Problem,
    mentees: list[int] | IntArray,
    *,
    top_k: int = 5,
    assignment: IntArray | None = None,
) -> list[list[Suggestion]]:
    """Top-k compatible mentors with free capacity for each given mentee, best first.

    Free capacity counts locked pairs and, when given, the current ``assignment``.
    Ties are broken by mentor index, so the answer is deterministic.
    """
    p = problem
    used = np.bincount(p.locked_mentor, minlength=p.n_mentors)
    if assignment is not None:
        taken = assignment[assignment >= 0]
        used = np.bincount(taken, minlength=p.n_mentors)
    free = p.mentors.capacity - used
    open_free = free
    if has_reservations(p):  # free places reserved for a partnership go to its mentees only
        taken_by = assignment if assignment is not None else _locked_assignment(p)
        open_free, free = reserved.open_places_left(p, taken_by)
    out: list[list[Suggestion]] = []
    for i in np.asarray(mentees, np.int64).tolist():
        if p.pairs is not None:
            t = p.pairs
            mask = t.mentee == i
            cand, sc = t.mentor[mask], t.score[mask]
            _, ok = score_pairs(p, np.full(len(cand), i), cand)
        else:
            cand = np.flatnonzero(free > 0)
            scores, okm = score_block(p, np.array([i]), cand)
            sc, ok = scores[0].astype(np.float64), okm[0]
        ok = ok & (free[cand] > 0)
        if open_free is not free:
            member = partnership_member(p, np.full(len(cand), i), p.mentors.reserved_for[cand])
            ok &= (open_free[cand] > 0) | member
        cand, sc = cand[ok], sc[ok]
        k = min(top_k, len(cand))
        if k == 0:
            out.append([])
            continue
        top = np.argpartition(-sc, k - 1)[:k] if k < len(cand) else np.arange(len(cand))
        top = top[np.lexsort((cand[top], -sc[top]))]
        out.append(
            [Suggestion(int(cand[t]), float(sc[t]), explain_pair(p, i, int(cand[t]))) for t in top]
        )
    return out


def _locked_assignment(p: Problem) -> IntArray:
    a = np.full(p.n_mentees, -1, np.int64)
    a[p.locked_mentee] = p.locked_mentor
    return a


@dataclass(frozen=True)
class RankedMentor:
    """A mentor :func:`rank_mentors` scores for a mentee, with the hard rules the pair
    breaks (the rule names of ``scoring.rule_masks``, and ``excluded`` for an excluded,
    previous or conflicting pair); ``broken`` is empty when the pair is allowed."""

    mentor: int
    score: float
    explanation: Explanation
    broken: tuple[str, ...]


def rank_mentors(problem: Problem, mentee: int, *, top_k: int = 5) -> list[RankedMentor]:
    """The ``top_k`` best-scoring mentors for ``mentee`` whatever the hard rules and
    exclusions, best first (ties by mentor index), each saying which rules the pair breaks:
    the good candidates a rule ruled out, next to the allowed ones. Scores are the real
    ones. Mentors without capacity are left out; locked pairs do not count against it."""
    p = problem
    if p.pairs is not None:
        rows = p.pairs.mentee == mentee
        cand, sc = p.pairs.mentor[rows], p.pairs.score[rows].astype(np.float64)
    else:
        cand = np.flatnonzero(p.mentors.capacity > 0)
        sc, _ok = score_pairs(p, np.full(len(cand), mentee), cand)
        sc = sc.astype(np.float64)
    keep = p.mentors.capacity[cand] > 0
    cand, sc = cand[keep], sc[keep]
    top = np.lexsort((cand, -sc))[:top_k]
    cand, sc = cand[top], sc[top]
    ii = np.full(len(cand), mentee, np.int64)
    masks = rule_masks(p, ii, cand)
    excluded = excluded_pairs(p, ii, cand)
    out = []
    for k, j in enumerate(cand.tolist()):
        broken = [rule for rule, ok in masks.items() if not ok[k]]
        if excluded[k]:
            broken.append("excluded")
        out.append(RankedMentor(j, float(sc[k]), explain_pair(p, mentee, j), tuple(broken)))
    return out


__all__ = ["RankedMentor", "Suggestion", "explain_pair", "rank_mentors", "solve", "suggest"]
