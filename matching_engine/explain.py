"""Plain French and English explanations: score breakdowns, unmatched reasons, alternatives."""

from __future__ import annotations

from dataclasses import dataclass
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
    signed_points,
)
from matching_engine.progress import SILENT, Progress
from matching_engine.rome import DOMAIN_LETTERS, DOMAINS
from matching_engine.scoring import (
    bit_positions,
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
    """The positions of the bits set in ``value``, lowest first (one step per set bit)."""
    found = []
    while value:
        low = value & -value
        found.append(low.bit_length() - 1)
        value ^= low
    return found


def _skill_names(p: Problem, i: int, j: int) -> list[str]:
    return _skill_name_lists(p, (p.mentees.skills[i] & p.mentors.skills[j])[None, :])[0]


def _skill_name_lists(p: Problem, common: np.ndarray) -> list[list[str]]:
    """For each row of ``common`` (skill bitsets, one ``uint64`` word per 64 skills), the
    names of its skills in vocabulary order: all rows' bits read in one pass."""
    vocab = p.vocab.skills
    rows, cols = bit_positions(common, 64 * common.shape[1])
    names = [vocab[c] for c in cols.tolist()]
    ends = np.searchsorted(rows, np.arange(1, len(common) + 1)).tolist()
    return [names[a:b] for a, b in zip([0, *ends[:-1]], ends, strict=True)]


def _skills_label(names: list[str]) -> tuple[str, str]:
    """French and English wording of the skills in common."""
    fr, en = _skills_head(len(names))
    return fr + ", ".join(names), en + ", ".join(names)


def _skills_head(n: int) -> tuple[str, str]:
    """What the wording of ``n`` skills in common says before their names."""
    fr, en = _plural(n, "{n} compétence(s) recherchée(s)", "{n} wanted skill(s)")
    return fr.format(n=n) + "\u202f: ", en.format(n=n) + ": "


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


def explanation_texts(
    p: Problem, mentees: IntArray, mentors: IntArray, lang: str, *, progress: Progress = SILENT
) -> list[str]:
    """``explain_pair(p, i, j).text(lang)`` for many pairs at once: the criteria are scored
    for all pairs together and each criterion's wording is formatted once per distinct
    content (field, skills in common…), then each pair's parts are joined. ``progress``
    hears the pairs done as a share of the criteria worded (the last step: joined)."""
    mentees, mentors = np.asarray(mentees, np.int64), np.asarray(mentors, np.int64)
    if len(mentees) == 0:
        return []
    if p.pairs is not None:
        return _provided_texts(p, mentees, mentors, lang)
    parts: list[np.ndarray] = []  # per criterion: each pair's formatted part, or None
    scored = components(p, mentees, mentors)
    for step, (code, points) in enumerate(scored.items(), start=1):
        progress.advance(len(mentees) * step // (len(scored) + 1))
        fired = np.flatnonzero(points)
        if len(fired) == 0:
            continue
        detail = _detail(p, code, mentees, mentors)
        detail = detail[fired].reshape(len(fired), -1)
        detail = detail.view(np.int64) if detail.dtype == np.uint64 else detail.astype(np.int64)
        key = np.column_stack([points[fired].astype(np.int64), detail])
        first, inverse = _distinct_rows(key)
        texts = np.empty(len(first), object)
        if code == "skills":  # the most distinct texts (65,000 at 200k): see _skills_texts
            named = _skill_name_lists(p, detail[first].view(np.uint64))
            texts[:] = _skills_texts(named, points[fired[first]], lang)
        else:
            for k, rep in enumerate(fired[first].tolist()):
                labels = _labels(p, int(mentees[rep]), int(mentors[rep]), code)
                texts[k] = Explanation((Part(code, float(points[rep]), *labels),)).text(lang)
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


def _skills_texts(named: list[list[str]], points: np.ndarray, lang: str) -> list[str]:
    """``Explanation((Part("skills", points[k], *_skills_label(named[k])),)).text(lang)``
    for each k, without building the objects: the head of each count of skills and the
    sign of each number of points worded once."""
    side = 1 if lang == "en" else 0
    heads = {n: _skills_head(n)[side] for n in {len(names) for names in named}}
    values, inverse = np.unique(points, return_inverse=True)
    signs = [signed_points(float(v)) for v in values.tolist()]
    return [
        f"{heads[len(names)]}{', '.join(names)} {signs[v]}"
        for names, v in zip(named, np.asarray(inverse).ravel().tolist(), strict=True)
    ]


def _distinct_rows(key: np.ndarray) -> tuple[IntArray, IntArray]:
    """For the rows of the integer matrix ``key``: the index of each distinct row's first
    occurrence, and for each row the number of its distinct row (as ``np.unique(key, axis=0,
    return_index=True, return_inverse=True)``, whose sort of whole rows as bytes is several
    times slower than a stable sort of the columns)."""
    order = np.lexsort(key.T[::-1])
    ordered = key[order]
    starts = np.ones(len(key), bool)
    starts[1:] = np.any(ordered[1:] != ordered[:-1], axis=1)
    group = np.cumsum(starts) - 1
    inverse = np.empty(len(key), np.int64)
    inverse[order] = group
    return order[starts], inverse


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
        fr, en = _skills_label(_skill_names(p, i, j))
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


#: What each hard rule says when a given pair breaks it (French, English).
RULE_LABELS: dict[str, tuple[str, str]] = {
    "same_region_unless_remote": (
        "lieu incompatible (région différente, distanciel non accepté)",
        "place incompatible (other region, remote not accepted)",
    ),
    "common_language": ("aucune langue commune", "no common language"),
    "different_organizations": ("même organisation", "same organisation"),
    "same_organization": ("organisation différente", "different organisation"),
    "mentor_more_experienced": ("mentor pas plus expérimenté·e", "mentor not more experienced"),
    "gender_preference_hard": (
        "genre ne correspondant pas à la préférence",
        "gender does not match the preference",
    ),
    "safeguarding_for_minors": (
        "vérification d'honorabilité non enregistrée",
        "safeguarding check not recorded",
    ),
    "required_training": ("formation obligatoire non suivie", "required training not completed"),
    "reserved_places": (
        "places réservées à un autre partenariat",
        "places reserved for another partnership",
    ),
}


def broken_rules(p: Problem, i: int, j: int) -> tuple[Reason, ...]:
    """Every hard rule the pair (i, j) breaks (in ``rule_masks``' order), then its exclusion
    (excluded, tried before, conflict of interest) if it has one; empty when it is allowed."""
    out = []
    for rule, mask in rule_masks(p, np.array(i), np.array(j)).items():
        if not bool(mask):
            fr, en = RULE_LABELS[rule]
            out.append(Reason(f"rule_{rule}", f"Règle\u202f: {fr}", f"Hard rule: {en}"))
    kind = exclusion_kind(p, i, j)
    if kind:
        fr, en = {
            PREVIOUS: ("binôme déjà essayé", "pair tried before"),
            CONFLICT: ("conflit d'intérêts déclaré", "declared conflict of interest"),
        }.get(kind, ("paire exclue", "excluded pair"))
        out.append(Reason("excluded", f"Exclu\u202f: {fr}", f"Excluded: {en}"))
    return tuple(out)


def alternative_reason(
    p: Problem, assignment: np.ndarray, free: np.ndarray, i: int, j: int
) -> Reason:
    """Why mentee i was not paired with mentor j ("why not this alternative"): the first rule
    it breaks, its exclusion, a pair not listed, a full mentor, or a lower score."""
    if int(assignment[i]) == j:
        return Reason("chosen", "Binôme retenu", "This is the chosen pair")
    broken = broken_rules(p, i, j)
    if broken:
        return broken[0]
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


# "Why not this mentor?" ------------------------------------------------------------------------


@dataclass(frozen=True)
class WhyNot:
    """Why a mentee was not paired with a mentor, and what it got instead: what the app's
    review page shows for an alternative and ``mentorat match --why`` prints.

    ``reason`` is ``alternative_reason``'s answer (the chosen pair, the first rule broken,
    the exclusion, a full mentor, a lower compatibility, or not chosen); ``broken`` lists
    every rule the pair breaks; ``explanation`` is the pair's breakdown whatever the rules;
    ``assigned`` is the mentor the mentee got (-1: none, and ``unmatched`` says why)."""

    mentee_id: str
    mentor_id: str
    reason: Reason
    broken: tuple[Reason, ...]
    explanation: Explanation
    best: float
    assigned_id: str | None
    assigned_explanation: Explanation | None
    unmatched: Reason | None

    def text(self, lang: str = "fr") -> str:
        """Three or four lines: the pair, why not, its score, what the mentee got instead."""
        fr = lang == "fr"
        colon = "\u202f:" if fr else ":"
        lines = [
            f"Mentoré·e {self.mentee_id}, mentor·e {self.mentor_id}"
            if fr
            else f"Mentee {self.mentee_id}, mentor {self.mentor_id}"
        ]
        reasons = self.broken or (self.reason,)
        if self.reason.code == "chosen":
            reasons = (self.reason,)
        label = "Pourquoi pas" if fr else "Why not"
        joint = "\u202f; " if fr else "; "
        lines.append(f"{label}{colon} " + joint.join(r.text(lang) for r in reasons))
        label = "Ce binôme" if fr else "This pair"
        lines.append(f"{label}{colon} {self._score(self.explanation, lang)}")
        if self.reason.code != "chosen":
            label = "À la place" if fr else "Instead"
            if self.assigned_id is not None and self.assigned_explanation is not None:
                who = f"mentor·e {self.assigned_id}" if fr else f"mentor {self.assigned_id}"
                got = f"{who}, {self._score(self.assigned_explanation, lang)}"
            else:
                why = self.unmatched.text(lang) if self.unmatched is not None else ""
                got = ("sans mentor·e" if fr else "no mentor") + (f" ({why})" if why else "")
            lines.append(f"{label}{colon} {got}")
        return "\n".join(lines)

    def _score(self, explanation: Explanation, lang: str) -> str:
        """The pair's compatibility, points and parts, e.g. "compatibility 45% (9 points out
        of a possible 20): Same field (IT) +5 · …", as the review page shows them."""
        fr = lang == "fr"
        points = explanation.total
        shown = f"{points:g}".replace(".", ",") if fr else f"{points:g}"
        best = f"{self.best:g}".replace(".", ",") if fr else f"{self.best:g}"
        percent = compatibility_percent(points, self.best)
        if percent is None:
            head = f"score {shown}"
        else:
            # French: 0 and 1 are singular ("0 point"); English: only 1 ("0 points").
            plural = "s" if (points >= 2 if fr else points != 1) else ""
            head = (
                f"compatibilité {percent}\u202f% ({shown} point{plural} sur {best} possibles)"
                if fr
                else f"compatibility {percent}% ({shown} point{plural} out of a possible {best})"
            )
        parts = explanation.text(lang) or (
            "aucun critère en commun" if fr else "no criterion in common"
        )
        colon = "\u202f:" if fr else ":"
        return f"{head}{colon} {parts}"


def why_not(
    p: Problem,
    *,
    assignment: np.ndarray,
    free: np.ndarray,
    mentee: int,
    mentor: int,
    unmatched: Reason | None = None,
) -> WhyNot:
    """The :class:`WhyNot` of the pair (``mentee``, ``mentor``) under ``assignment`` (a
    mentor index per mentee, -1 when unmatched) and ``free`` (each mentor's places left);
    ``unmatched`` is the mentee's reason when it has no mentor (e.g. ``Result.reasons``)."""
    current = int(assignment[mentee])
    return WhyNot(
        mentee_id=p.mentees.ids[mentee],
        mentor_id=p.mentors.ids[mentor],
        reason=alternative_reason(p, assignment, free, mentee, mentor),
        broken=broken_rules(p, mentee, mentor),
        explanation=explain_pair(p, mentee, mentor),
        best=best_points(p),
        assigned_id=p.mentors.ids[current] if current >= 0 else None,
        assigned_explanation=explain_pair(p, mentee, current) if current >= 0 else None,
        unmatched=unmatched if current < 0 else None,
    )
