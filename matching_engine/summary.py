"""The figures ``mentorat match`` reports after a matching: computed once, printed as the
summary and written as JSON by ``--json-summary`` (the keys are documented in
docs/matching-engine.md), so that both always say the same."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from matching_engine.explain import best_points, compatibility_percent
from matching_engine.io_csv import write_text_atomic
from matching_engine.result import Result

#: Version of the JSON layout: raised when a key changes meaning or disappears.
JSON_VERSION = 1


def figures(result: Result, *, seconds: float, stages: dict[str, float]) -> dict[str, Any]:
    """The summary figures of ``result``: ``seconds`` is the whole command's wall time and
    ``stages`` the wall time of each stage (``reading``, ``encoding``, ``solving``…)."""
    s = result.summary
    best = best_points(result.problem)
    return {
        "version": JSON_VERSION,
        "mode": s.mode,
        "mentees": s.mentees,
        "matched": s.matched,
        "coverage": s.coverage,
        "priority_mentees": s.priority_total,
        "priority_matched": s.priority_matched,
        "priority_coverage": (s.priority_matched / s.priority_total if s.priority_total else None),
        "total_score": s.total_score,
        "mean_score": s.mean_score,
        "best_points": best,
        "mean_compatibility": compatibility_percent(s.mean_score, best) if s.matched else None,
        "upper_bound": s.upper_bound,
        "proven_ratio": s.proven_ratio,
        "proven_optimal": None if s.upper_bound is None else s.score_bound is not None,
        "parity": [
            {
                "group": rep.group,
                "target": rep.target,
                "size": rep.size,
                "matched": rep.matched,
                "share": rep.share,
                "met": rep.met,
                "best": rep.best,
            }
            for rep in result.parity
        ],
        "reserved_places": [
            {
                "partnership": r.partnership,
                "places": r.places,
                "filled": r.filled,
                "empty": r.empty,
            }
            for r in s.reserved
        ],
        "reserved_places_empty": sum(r.empty for r in s.reserved),
        "seconds": seconds,
        "stage_seconds": dict(stages),
    }


def write_json(path: Path, data: dict[str, Any]) -> None:
    """``data`` as indented UTF-8 JSON, written atomically (see ``io_csv.write_atomic``)."""
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    write_text_atomic(path, lambda handle: handle.write(text), suffix=".json")


def text(f: dict[str, Any], lang: str) -> str:
    """The printed summary of the ``figures`` ``f`` in ``lang``."""
    fr = lang == "fr"
    lines = [
        (f"Mentoré·es appariés\u202f: {f['matched']}/{f['mentees']} ({f['coverage']:.1%})" if fr
         else f"Mentees matched: {f['matched']}/{f['mentees']} ({f['coverage']:.1%})"),
        _mean_compatibility(f, fr),
    ]  # fmt: skip
    ratio = f["proven_ratio"]
    if ratio is not None:
        lines.append(
            ("Score total prouvé optimal" if fr else "Total score proven optimal")
            if f["proven_optimal"] is True
            else (f"Score total prouvé ≥ {ratio:.2%} de l'optimum" if fr
                  else f"Total score proven ≥ {ratio:.2%} of the optimum")
        )  # fmt: skip
    if f["priority_mentees"]:
        done, total = f["priority_matched"], f["priority_mentees"]
        lines.append(
            f"Public prioritaire apparié\u202f: {done}/{total}"
            if fr
            else f"Priority mentees matched: {done}/{total}"
        )
    for rep in f["parity"]:
        lines += _parity(rep, fr)
    for res in f["reserved_places"]:
        name, filled, places, empty = res["partnership"], res["filled"], res["places"], res["empty"]
        lines.append(
            f"Places réservées au partenariat {name}\u202f: {filled}/{places} "
            f"pourvues, {empty} laissée(s) vide(s)"
            if fr
            else f"Places reserved for the partnership {name}: "
            f"{filled}/{places} filled, {empty} left empty"
        )
    seconds = f["seconds"]
    lines.append(f"Durée\u202f: {seconds:.2f} s" if fr else f"Time taken: {seconds:.2f} s")
    return "\n".join(lines)


def _parity(rep: dict[str, Any], fr: bool) -> list[str]:
    status = ("atteint" if fr else "met") if rep["met"] else ("NON ATTEINT" if fr else "NOT MET")
    group, target, size, matched = rep["group"], rep["target"], rep["size"], rep["matched"]
    lines = [
        f"Objectif de parité {group} ≥ {target:.0%}\u202f: {matched}/{size} "
        f"({rep['share']:.1%}) – {status}"
        if fr
        else f"Parity target {group} ≥ {target:.0%}: {matched}/{size} "
        f"({rep['share']:.1%}) – {status}"
    ]
    if not rep["met"] and rep["best"] is not None:
        lines.append(
            f"  au mieux {rep['best']}/{size} sans réduire la couverture"
            if fr
            else f"  at most {rep['best']}/{size} without lowering coverage"
        )
    return lines


def _mean_compatibility(f: dict[str, Any], fr: bool) -> str:
    """The mean score on the 0–100 compatibility scale the platform shows, with the points it
    stands for (the raw mean only when no criterion can score, e.g. provided scores of 0)."""
    mean, percent, best = f["mean_score"], f["mean_compatibility"], f["best_points"]
    if percent is None:
        return f"Score moyen\u202f: {mean:.1f}" if fr else f"Mean score: {mean:.1f}"
    points = f"{mean:.1f}".removesuffix(".0")
    if fr:
        points = points.replace(".", ",")
        return (
            f"Compatibilité moyenne\u202f: {percent}\u202f% "
            f"(en moyenne {points} points sur {best:g} possibles)"
        )
    return f"Mean compatibility: {percent}% (on average {points} points out of a possible {best:g})"
