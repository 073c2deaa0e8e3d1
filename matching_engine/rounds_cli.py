"""``mentorat match --mode rounds``: the output rows and the summary of a speed-networking plan
(the command itself, its options and files, are ``cli.match``'s)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from matching_engine.engine import pair_scores
from matching_engine.explain import best_points, compatibility_percent, explanation_texts
from matching_engine.io_csv import format_score
from matching_engine.io_csv import spreadsheet_safe as safe
from matching_engine.model import Problem
from matching_engine.rounds import RoundsPlan

HEADER = ["participant", "round", "table", "professional", "score", "explanation"]


def rounds_rows(problem: Problem, plan: RoundsPlan, lang: str) -> Iterable[list[str]]:
    """Header, then for each mentee (file order) one row per round — the table (the
    professional's number in file order, from 1), its professional, the pair's score and
    why; an empty table is a break — then each professional's rows (their table, every round)."""
    yield HEADER
    p = problem
    si = np.asarray([s.mentee for s in plan.seats], np.int64)
    sj = np.asarray([s.professional for s in plan.seats], np.int64)
    texts = explanation_texts(p, si, sj, lang) if len(si) else []
    scores = plan_scores(p, plan)
    seat_of: dict[tuple[int, int], int] = {(s.mentee, s.round): k for k, s in enumerate(plan.seats)}
    pause = "pause" if lang == "fr" else "break"
    for i, mentee_id in enumerate(p.mentees.ids):
        for r in range(plan.rounds):
            k = seat_of.get((i, r))
            if k is None:
                yield [safe(mentee_id), str(r + 1), "", "", "", pause]
                continue
            j = int(sj[k])
            yield [
                safe(mentee_id), str(r + 1), str(j + 1), safe(p.mentors.ids[j]),
                format_score(float(scores[k])), safe(texts[k]),
            ]  # fmt: skip
    for j, mentor_id in enumerate(p.mentors.ids):
        for r in range(plan.rounds):
            yield [safe(mentor_id), str(r + 1), str(j + 1), safe(mentor_id), "", ""]


def plan_scores(problem: Problem, plan: RoundsPlan) -> np.ndarray:
    """The score of each seat of the plan, in seat order (the matching's pair scores)."""
    si = np.asarray([s.mentee for s in plan.seats], np.int64)
    sj = np.asarray([s.professional for s in plan.seats], np.int64)
    return pair_scores(problem, si, sj) if len(si) else np.zeros(0)


def rounds_summary(problem: Problem, plan: RoundsPlan, seconds: float, lang: str) -> str:
    """The plan in a few lines for standard error (French typography in French)."""
    fr = lang == "fr"
    n, pros = problem.n_mentees, problem.n_mentors
    possible = n * plan.rounds
    share = int(plan.mentee_meetings.sum()) / possible if possible else 1.0
    loads = plan.professional_meetings
    lo, hi = (int(loads.min()), int(loads.max())) if len(loads) else (0, 0)
    lines = [
        (f"Tours\u202f: {plan.rounds}, tables de {plan.table_size} mentoré·es au plus\u202f: {pros}"
         if fr else
         f"Rounds: {plan.rounds}, tables of up to {plan.table_size} mentees: {pros}"),
        (f"Rencontres\u202f: {plan.meetings} (mentoré·es assis·es {share:.1%} des tours)"
         if fr else
         f"Meetings: {plan.meetings} (mentees seated in {share:.1%} of the rounds)"),
        (f"Chaque professionnel·le rencontre de {lo} à {hi} personnes"
         if fr else f"Each professional meets {lo} to {hi} people"),
    ]  # fmt: skip
    mean = plan.total_score / plan.meetings if plan.meetings else 0.0
    best = best_points(problem)
    percent = compatibility_percent(mean, best) if plan.meetings else None
    if percent is not None:
        points = f"{mean:.1f}".removesuffix(".0")
        lines.append(
            f"Compatibilité moyenne\u202f: {percent}\u202f% (en moyenne "
            f"{points.replace('.', ',')} points sur {best:g} possibles)"
            if fr
            else f"Mean compatibility: {percent}% (on average {points} points out of a "
            f"possible {best:g})"
        )
    if plan.proven_optimal:
        lines.append("Score total prouvé optimal" if fr else "Total score proven optimal")
    else:
        ratio = plan.total_score / plan.upper_bound if plan.upper_bound > 0 else 1.0
        lines.append(
            f"Score total ≥ {ratio:.2%} de l'optimum ({plan.unplaced} rencontres replacées)"
            if fr
            else f"Total score ≥ {ratio:.2%} of the optimum ({plan.unplaced} meetings re-seated)"
        )
    lines.append(f"Durée\u202f: {seconds:.2f} s" if fr else f"Time taken: {seconds:.2f} s")
    return "\n".join(lines)
