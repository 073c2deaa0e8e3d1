"""Plain French and English explanations: score breakdowns, unmatched reasons, alternatives."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from matching_engine.encode import DAY_LABELS, SLOT_LABELS
from matching_engine.messages import both
from matching_engine.model import (
    CONFLICT,
    PREVIOUS,
    Explanation,
    IntArray,
    Part,
    Problem,
    Reason,
)
from matching_engine.rome import DOMAIN_LETTERS, DOMAINS
from matching_engine.scoring import (
    components,
    excluded_pairs,
    has_reservations,
    minors,
    partnership_bits,
    rule_masks,
)

GOALS_EN = {
    "premier emploi": "first job",
    "stage/alternance": "internship/apprenticeship",
    "reconversion": "career change",
    "création d'entreprise": "starting a business",
    "poursuite d'études": "further studies",
    "orientation": "career guidance",
    "réseau professionnel": "professional network",
}


def _bits(value: int) -> list[int]:
    return [b for b in range(64) if value >> b & 1]


def _skill_names(p: Problem, i: int, j: int) -> list[str]:
    common = p.mentees.skills[i] & p.mentors.skills[j]
    names = []
    for word, value in enumerate(common.tolist()):
        names += [p.vocab.skills[word * 64 + b] for b in _bits(int(value))]
    return names


def _plural(n: int, fr: str, en: str) -> tuple[str, str]:
    return (fr.replace("(s)", "s" if n > 1 else "").replace("(x)", "x" if n > 1 else ""),
            en.replace("(s)", "s" if n > 1 else ""))  # fmt: skip


def explain_pair(p: Problem, i: int, j: int) -> Explanation:
    """Breakdown of the pair's score by criterion; parts sum exactly to the score."""
    if p.pairs is not None:
        t = p.pairs
        hit = np.flatnonzero((t.mentee == i) & (t.mentor == j))
        score = float(t.score[hit[0]]) if len(hit) else 0.0
        return Explanation((Part("provided", score, "Score fourni", "Provided score"),))
    pts = {k: int(v) for k, v in components(p, np.array(i), np.array(j)).items()}
    return Explanation(
        tuple(
            Part(code, float(points), *_labels(p, i, j, code))
            for code, points in pts.items()
            if points
        )
    )


def explanation_texts(p: Problem, mentees: IntArray, mentors: IntArray, lang: str) -> list[str]:
    """``explain_pair(p, i, j).text(lang)`` for many pairs at once: the criteria are scored
    for all pairs together and each criterion's wording is formatted once per distinct
    content (field, skills in common…), then each pair's parts are joined."""
    mentees, mentors = np.asarray(mentees, np.int64), np.asarray(mentors, np.int64)
    if len(mentees) == 0:
        return []
    if p.pairs is not None:
        return _provided_texts(p, mentees, mentors, lang)
    parts: list[np.ndarray] = []  # per criterion: each pair's formatted part, or None
    for code, points in components(p, mentees, mentors).items():
        fired = np.flatnonzero(points)
        if len(fired) == 0:
            continue
        detail = _detail(p, code, mentees, mentors)
        detail = detail[fired].reshape(len(fired), -1)
        detail = detail.view(np.int64) if detail.dtype == np.uint64 else detail.astype(np.int64)
        key = np.column_stack([points[fired].astype(np.int64), detail])
        _, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
        texts = np.empty(len(first), object)
        for k, rep in enumerate(fired[first].tolist()):
            part = Part(
                code, float(points[rep]), *_labels(p, int(mentees[rep]), int(mentors[rep]), code)
            )
            texts[k] = Explanation((part,)).text(lang)
        column = np.full(len(mentees), None, object)
        column[fired] = texts[np.asarray(inverse).ravel()]
        parts.append(column)
    if not parts:
        return [""] * len(mentees)
    shape = np.zeros(len(mentees), np.int64)
    for k, column in enumerate(parts):
        shape |= (column != None).astype(np.int64) << k  # noqa: E711 — elementwise
    out = np.empty(len(mentees), object)
    for value in np.unique(shape).tolist():
        rows = np.flatnonzero(shape == value)
        chosen = [column[rows] for k, column in enumerate(parts) if value >> k & 1]
        out[rows] = [" · ".join(t) for t in zip(*chosen, strict=True)] if chosen else ""
    return out.tolist()


def _detail(p: Problem, code: str, mentees: IntArray, mentors: IntArray) -> np.ndarray:
    """What criterion ``code``'s wording names for each pair (beside its points)."""
    me, mo = p.mentees, p.mentors
    if code in ("field", "domain", "occupation", "region"):
        return np.asarray(getattr(me, code)[mentees])
    if code in ("skills", "goals", "availability"):
        return np.asarray(getattr(me, code)[mentees] & getattr(mo, code)[mentors])
    if code == "seniority":
        return mo.experience[mentors] - np.maximum(me.experience[mentees], 0)
    return np.zeros(len(mentees), np.int64)  # gender, career_change: always the same words


def _provided_texts(p: Problem, mentees: IntArray, mentors: IntArray, lang: str) -> list[str]:
    """``explanation_texts`` of a ``--pairs`` problem: each pair's provided score."""
    assert p.pairs is not None
    t = p.pairs
    keys = t.mentee * p.n_mentors + t.mentor
    order = np.argsort(keys, kind="stable")
    wanted = mentees * p.n_mentors + mentors
    pos = np.minimum(np.searchsorted(keys[order], wanted), max(len(keys) - 1, 0))
    found = keys[order][pos] == wanted if len(keys) else np.zeros(len(wanted), bool)
    score = np.where(found, t.score[order][pos] if len(keys) else 0.0, 0.0)
    values, inverse = np.unique(score, return_inverse=True)
    texts = [
        Explanation((Part("provided", float(v), "Score fourni", "Provided score"),)).text(lang)
        for v in values.tolist()
    ]
    return [texts[k] for k in np.asarray(inverse).ravel().tolist()]


def _labels(p: Problem, i: int, j: int, code: str) -> tuple[str, str]:
    """French and English wording of what criterion ``code`` found in common for (i, j)."""
    me, mo, v = p.mentees, p.mentors, p.vocab
    if code == "field":
        name = v.fields[me.field[i]]
        fr, en = f"Même domaine ({name})", f"Same field ({name})"
    elif code == "domain":
        letter = DOMAIN_LETTERS[me.domain[i]]
        fr = f"Même domaine ROME ({letter} – {DOMAINS[letter][0]})"
        en = f"Same ROME domain ({letter} – {DOMAINS[letter][1]})"
    elif code == "occupation":
        name = v.occupations[me.occupation[i]]
        fr, en = f"Métier visé exercé par le mentor ({name})", f"Mentor works as {name}"
    elif code == "skills":
        names = _skill_names(p, i, j)
        fr, en = _plural(len(names), "{n} compétence(s) recherchée(s)", "{n} wanted skill(s)")
        fr = fr.format(n=len(names)) + "\u202f: " + ", ".join(names)
        en = en.format(n=len(names)) + ": " + ", ".join(names)
    elif code == "goals":
        names = [v.goals[b] for b in _bits(int(me.goals[i] & mo.goals[j]))]
        fr = "Objectifs partagés\u202f: " + ", ".join(names)
        en = "Shared goals: " + ", ".join(GOALS_EN.get(n, n) for n in names)
    elif code == "region":
        name = v.regions[me.region[i]]
        fr, en = f"Même région ({name})", f"Same region ({name})"
    elif code == "availability":
        slots = _bits(int(me.availability[i] & mo.availability[j]))
        fr_s = ", ".join(f"{DAY_LABELS[b // 3][0]} {SLOT_LABELS[b % 3][0]}" for b in slots)
        en_s = ", ".join(f"{DAY_LABELS[b // 3][1]} {SLOT_LABELS[b % 3][1]}" for b in slots)
        fr, en = _plural(len(slots), "{n} créneau(x) commun(s)", "{n} common slot(s)")
        fr, en = fr.format(n=len(slots)) + f"\u202f: {fr_s}", en.format(n=len(slots)) + f": {en_s}"
    elif code == "gender":
        fr, en = "Genre de mentor souhaité", "Preferred mentor gender"
    elif code == "career_change":
        fr, en = "Mentor en reconversion, comme souhaité", "Mentor changed careers, as wished"
    else:
        gap = int(mo.experience[j]) - max(int(me.experience[i]), 0)
        fr, en = f"{gap} ans d'expérience de plus", f"{gap} more years of experience"
    return fr, en


def _region_name(p: Problem, i: int) -> str:
    r = int(p.mentees.region[i])
    return p.vocab.regions[r] if r >= 0 else "?"


def _languages(p: Problem, i: int) -> str:
    return ", ".join(p.vocab.languages[b] for b in _bits(int(p.mentees.languages[i])))


def compatibility_reason(p: Problem, i: int, free: np.ndarray) -> Reason:
    """Why mentee i is unmatched: the hard rule that left no candidate, or capacity."""
    if p.pairs is not None:
        candidates = np.unique(p.pairs.mentor[p.pairs.mentee == i])
        if len(candidates) == 0:
            return Reason("no_pairs", *both("reason_no_pairs"))
    else:
        candidates = np.arange(p.n_mentors)
    if len(candidates) == 0:
        return Reason("no_mentor", *both("reason_no_mentor"))
    masks = rule_masks(p, np.array(i), candidates)
    alive = np.ones(len(candidates), bool)
    for rule, mask in masks.items():
        alive &= np.broadcast_to(mask, alive.shape)
        if not alive.any():
            return _rule_reason(p, i, rule)
    alive &= ~excluded_pairs(p, np.full(len(candidates), i), candidates)
    if not alive.any():
        return Reason("excluded", *both("reason_excluded"))
    if (free[candidates[alive]] > 0).any():
        return Reason("not_chosen", *both("reason_not_chosen"))
    return Reason("full", *both("reason_full"))


def _rule_reason(p: Problem, i: int, rule: str) -> Reason:
    """The reason naming the hard rule that left mentee i without any candidate."""
    if rule == "same_region_unless_remote":
        key = "reason_place_remote" if p.mentees.remote[i] else "reason_place"
        return Reason(rule, *both(key, region=_region_name(p, i)))
    if rule == "common_language":
        return Reason(rule, *both("reason_language", languages=_languages(p, i)))
    return Reason(rule, *both(f"reason_{rule}"))


def profile_reasons(p: Problem, unmatched: np.ndarray, free: np.ndarray) -> dict[int, Reason]:
    """compatibility_reason for many mentees of a profile-scored problem without excluded
    pairs, with one pass over the mentors per group of mentees the rules treat alike (place,
    languages and the profile fields the active rules read). The different-organizations rule,
    which depends on each mentee's organization, is applied by counting each group's remaining
    mentors per organization."""
    me, mo, rules = p.mentees, p.mentors, p.criteria.rules
    unmatched = np.asarray(unmatched, np.int64)
    if len(unmatched) == 0:
        return {}
    zero = np.zeros(p.n_mentees, np.int64)
    key = np.stack(
        [
            me.region.astype(np.int64),
            me.remote.astype(np.int64),
            me.languages.view(np.int64),
            me.preferred_gender.astype(np.int64) if rules.gender_preference_hard else zero,
            me.experience.astype(np.int64) if rules.mentor_more_experienced else zero,
            me.organization.astype(np.int64) if rules.same_organization else zero,
            minors(p).astype(np.int64) if rules.safeguarding_for_minors else zero,
            partnership_bits(p).view(np.int64) if has_reservations(p) else zero,
        ],
        axis=1,
    )[unmatched]
    _, first, group = np.unique(key, axis=0, return_index=True, return_inverse=True)
    group = np.asarray(group).ravel()
    n_orgs = len(p.vocab.organizations) + 1
    org_j = mo.organization.astype(np.int64) + 1
    mentors = np.arange(p.n_mentors)
    out: dict[int, Reason] = {}
    for g, rep in enumerate(first.tolist()):
        alive = np.ones(p.n_mentors, bool)
        stages: list[tuple[str, int, np.ndarray]] = []  # rule, mentors left, left per org
        for rule, mask in rule_masks(p, np.array(unmatched[rep]), mentors).items():
            if rule != "different_organizations":  # applied per mentee below
                alive &= np.broadcast_to(mask, alive.shape)
            stages.append((rule, int(alive.sum()), np.bincount(org_j[alive], minlength=n_orgs)))
        usable = alive & (free > 0)
        free_left = int(usable.sum()), np.bincount(org_j[usable], minlength=n_orgs)
        for i in unmatched[group == g].tolist():
            out[i] = _grouped_reason(p, i, stages, free_left)
    return out


def _grouped_reason(
    p: Problem, i: int, stages: list[tuple[str, int, np.ndarray]], free: tuple[int, np.ndarray]
) -> Reason:
    """Mentee i's reason from its group's counts: a rule's count left, minus the mentors of
    i's own organization once the different-organizations rule has applied."""
    o = int(p.mentees.organization[i]) + 1
    own = False  # the different-organizations rule applies to i from its stage on
    for rule, count, by_org in stages:
        if rule == "different_organizations":
            own = o > 0
        if count - (int(by_org[o]) if own else 0) == 0:
            return _rule_reason(p, i, rule)
    if free[0] - (int(free[1][o]) if own else 0) > 0:
        return Reason("not_chosen", *both("reason_not_chosen"))
    return Reason("full", *both("reason_full"))


def pair_reasons(p: Problem, unmatched: np.ndarray, free: np.ndarray) -> dict[int, Reason]:
    """compatibility_reason for many mentees of a ``--pairs`` problem, vectorised over the
    listed pairs (mentees whose every listed mentor breaks a rule get the per-mentee text)."""
    assert p.pairs is not None
    t = p.pairs
    order = np.argsort(t.mentee, kind="stable")
    lo = np.searchsorted(t.mentee[order], unmatched, "left")
    counts = np.searchsorted(t.mentee[order], unmatched, "right") - lo
    offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    pos = np.repeat(np.arange(len(unmatched)), counts)
    jj = t.mentor[order][np.repeat(lo, counts) + offsets]
    ii = unmatched[pos]
    ok = np.ones(len(jj), bool)
    for mask in rule_masks(p, ii, jj).values():
        ok &= np.broadcast_to(mask, ok.shape)
    some_ok = np.bincount(pos[ok], minlength=len(unmatched)) > 0
    ok &= ~excluded_pairs(p, ii, jj)
    some_allowed = np.bincount(pos[ok], minlength=len(unmatched)) > 0
    some_free = np.bincount(pos[ok & (free[jj] > 0)], minlength=len(unmatched)) > 0
    fixed = {
        key: Reason(code, *both(key))
        for code, key in (
            ("no_pairs", "reason_no_pairs"),
            ("excluded", "reason_excluded"),
            ("not_chosen", "reason_not_chosen"),
            ("full", "reason_full"),
        )
    }
    out: dict[int, Reason] = {}
    for k, i in enumerate(unmatched.tolist()):
        if counts[k] == 0:
            out[i] = fixed["reason_no_pairs"]
        elif not some_ok[k]:
            out[i] = compatibility_reason(p, i, free)
        elif not some_allowed[k]:
            out[i] = fixed["reason_excluded"]
        else:
            out[i] = fixed["reason_not_chosen" if some_free[k] else "reason_full"]
    return out


def exclusion_kind(p: Problem, i: int, j: int) -> int:
    """Why the pair (i, j) is excluded (EXCLUDED, PREVIOUS or CONFLICT), or 0 when it is not."""
    keys = p.excluded_keys
    k = i * p.n_mentors + j
    pos = int(np.searchsorted(keys, k))
    if pos < len(keys) and int(keys[pos]) == k:
        return int(p.excluded_reason[pos])
    return 0


def alternative_reason(
    p: Problem, assignment: np.ndarray, free: np.ndarray, i: int, j: int
) -> Reason:
    """Why mentee i was not paired with mentor j ("why not this alternative")."""
    if int(assignment[i]) == j:
        return Reason("chosen", "Binôme retenu", "This is the chosen pair")
    masks = rule_masks(p, np.array(i), np.array(j))
    for rule, mask in masks.items():
        if not bool(mask):
            labels = {
                "same_region_unless_remote": (
                    "lieu incompatible (région différente, distanciel non accepté)",
                    "place incompatible (other region, remote not accepted)",
                ),
                "common_language": ("aucune langue commune", "no common language"),
                "different_organizations": ("même organisation", "same organisation"),
                "same_organization": ("organisation différente", "different organisation"),
                "mentor_more_experienced": (
                    "mentor pas plus expérimenté·e",
                    "mentor not more experienced",
                ),
                "gender_preference_hard": (
                    "genre ne correspondant pas à la préférence",
                    "gender does not match the preference",
                ),
                "safeguarding_for_minors": (
                    "vérification d'honorabilité non enregistrée",
                    "safeguarding check not recorded",
                ),
                "required_training": (
                    "formation obligatoire non suivie",
                    "required training not completed",
                ),
                "reserved_places": (
                    "places réservées à un autre partenariat",
                    "places reserved for another partnership",
                ),
            }  # fmt: skip
            fr, en = labels[rule]
            return Reason(f"rule_{rule}", f"Règle\u202f: {fr}", f"Hard rule: {en}")
    kind = exclusion_kind(p, i, j)
    if kind:
        fr, en = {
            PREVIOUS: ("binôme déjà essayé", "pair tried before"),
            CONFLICT: ("conflit d'intérêts déclaré", "declared conflict of interest"),
        }.get(kind, ("paire exclue", "excluded pair"))
        return Reason("excluded", f"Exclu\u202f: {fr}", f"Excluded: {en}")
    if p.pairs is not None and not ((p.pairs.mentee == i) & (p.pairs.mentor == j)).any():
        return Reason("not_listed", "Paire non proposée", "Pair not in the provided list")
    if free[j] <= 0:
        return Reason("capacity", "Mentor complet", "Mentor at capacity")
    score = explain_pair(p, i, j).total
    current = int(assignment[i])
    if current >= 0:
        mine = explain_pair(p, i, current).total
        return _lower_score(score, mine, best_points(p))
    return Reason("not_chosen", *both("reason_not_chosen"))


# Compatibility: the one scale shown to people ------------------------------------------------


def best_points(p: Problem) -> float:
    """The most points a pair can reach in ``p``: the criteria's maximum for profile scores,
    the highest provided score for a ``--pairs`` problem (0 when nothing can be scored)."""
    if p.pairs is not None:
        return float(max(float(p.pairs.score.max(initial=0.0)), 0.0))
    return float(p.criteria.weights.max_score())


def compatibility_percent(points: float, best: float) -> int | None:
    """A pair's compatibility from 0 to 100: its points over the best possible points,
    rounded half up to a whole number and kept within 0–100 (points above the best, e.g.
    scored under heavier weights, count as 100). None when no criterion can score
    (``best`` ≤ 0): a percentage of nothing would mean nothing."""
    if best <= 0:
        return None
    # Decimal from the shortest repr: 12.5 stays 12.5, so halves round up exactly.
    share = Decimal(repr(float(points))) * 100 / Decimal(repr(float(best)))
    percent = int(share.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return min(max(percent, 0), 100)


def _lower_score(score: float, chosen: float, best: float) -> Reason:
    """Why an alternative (``score`` points) lost to the chosen pair: both as the
    percentages people see elsewhere (raw points only when nothing can be scored)."""
    this = compatibility_percent(score, best)
    other = compatibility_percent(chosen, best)
    if this is None or other is None:
        return Reason(
            "lower_score",
            f"Score plus faible ({score:g} contre {chosen:g})",
            f"Lower score ({score:g} vs {chosen:g})",
        )
    if this == other:
        return Reason(
            "lower_score",
            f"Compatibilité un peu plus faible (toutes deux arrondies à {this}\u202f%)",
            f"Slightly lower compatibility (both round to {this}%)",
        )
    return Reason(
        "lower_score",
        f"Compatibilité plus faible ({this}\u202f% contre {other}\u202f%)",
        f"Lower compatibility ({this}% vs {other}%)",
    )
