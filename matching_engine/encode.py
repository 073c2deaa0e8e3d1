"""Turn rows of strings/values (CSV, Django) into the engine's column arrays."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from matching_engine.model import (
    COLUMN_ALIASES,
    CONFLICT,
    EXCLUDED,
    MAX_PAIR_SCORE,
    MAX_WHOLE,
    PREVIOUS,
    Criteria,
    EngineInputError,
    MenteeTable,
    MentorTable,
    PairTable,
    Problem,
    Vocabulary,
)
from matching_engine.rome import DOMAIN_LETTERS, domain_of, normalise

Row = Mapping[str, Any]

DAYS = {
    "lun": 0, "lundi": 0, "mon": 0, "monday": 0,
    "mar": 1, "mardi": 1, "tue": 1, "tuesday": 1,
    "mer": 2, "mercredi": 2, "wed": 2, "wednesday": 2,
    "jeu": 3, "jeudi": 3, "thu": 3, "thursday": 3,
    "ven": 4, "vendredi": 4, "fri": 4, "friday": 4,
    "sam": 5, "samedi": 5, "sat": 5, "saturday": 5,
    "dim": 6, "dimanche": 6, "sun": 6, "sunday": 6,
}  # fmt: skip
SLOTS = {
    "matin": 0, "morning": 0, "am": 0,
    "apres-midi": 1, "apres midi": 1, "aprem": 1, "afternoon": 1, "pm": 1,
    "soir": 2, "evening": 2, "soiree": 2,
}  # fmt: skip
SLOT_LABELS = (("matin", "morning"), ("après-midi", "afternoon"), ("soir", "evening"))
DAY_LABELS = (
    ("lun", "Mon"), ("mar", "Tue"), ("mer", "Wed"), ("jeu", "Thu"),
    ("ven", "Fri"), ("sam", "Sat"), ("dim", "Sun"),
)  # fmt: skip
GENDERS = {
    "f": 1, "femme": 1, "female": 1, "w": 1, "woman": 1,
    "h": 2, "m": 2, "homme": 2, "male": 2, "man": 2,
    "x": 3, "autre": 3, "other": 3, "non-binaire": 3, "non binaire": 3, "nb": 3,
}  # fmt: skip
TRUE = {"1", "oui", "o", "yes", "y", "true", "vrai", "x"}
FALSE = {"", "0", "non", "n", "no", "false", "faux"}
GOAL_ALIASES = {
    "premier emploi": "premier emploi", "first job": "premier emploi",
    "stage": "stage/alternance", "alternance": "stage/alternance",
    "stage/alternance": "stage/alternance", "stage alternance": "stage/alternance",
    "internship": "stage/alternance", "apprenticeship": "stage/alternance",
    "reconversion": "reconversion", "career change": "reconversion",
    "creation d'entreprise": "création d'entreprise",
    "creation entreprise": "création d'entreprise",
    "entrepreneuriat": "création d'entreprise", "business creation": "création d'entreprise",
    "poursuite d'etudes": "poursuite d'études", "poursuite etudes": "poursuite d'études",
    "further studies": "poursuite d'études", "orientation": "orientation",
    "reseau": "réseau professionnel", "reseau professionnel": "réseau professionnel",
    "network": "réseau professionnel",
}  # fmt: skip
PRIORITY_YES = {"1", "oui", "yes", "true", "vrai", "x", "o", "y"}
DEFAULT_LANGUAGE = "français"
LANGUAGE_ALIASES = {
    "fr": "français", "francais": "français", "french": "français",
    "en": "anglais", "anglais": "anglais", "english": "anglais",
    "es": "espagnol", "espagnol": "espagnol", "spanish": "espagnol",
    "de": "allemand", "allemand": "allemand", "german": "allemand",
    "ar": "arabe", "arabe": "arabe", "arabic": "arabe",
    "it": "italien", "italien": "italien", "pt": "portugais", "portugais": "portugais",
    "lsf": "langue des signes", "langue des signes": "langue des signes",
}  # fmt: skip


class _Codes:
    """Assigns integer codes to normalised strings, remembering the first display form."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.labels: list[str] = []

    def code(self, text: str) -> int:
        key = normalise(text)
        if not key:
            return -1
        found = self.index.get(key)
        if found is None:
            found = len(self.labels)
            self.index[key] = found
            self.labels.append(text.strip())
        return found


#: current column name -> its old name, read when a row has no current one.
_OLD_COLUMNS = {new: old for old, new in COLUMN_ALIASES.items()}


def _text(row: Row, key: str) -> str:
    value = row.get(key)
    if value is None and key in _OLD_COLUMNS:
        value = row.get(_OLD_COLUMNS[key])
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, (list, tuple, set, frozenset)):
        return ";".join(str(v) for v in value)
    return str(value).strip()


def _items(row: Row, key: str) -> list[str]:
    value = row.get(key)
    if isinstance(value, (list, tuple, set, frozenset)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in _text(row, key).replace(",", ";").split(";") if part.strip()]


def _bool(row: Row, key: str, index: int) -> bool:
    value = row.get(key)
    if isinstance(value, bool):
        return value
    text = normalise(_text(row, key))
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise EngineInputError("bad_bool", row=index, column=key, value=_text(row, key))


def _int(
    row: Row,
    key: str,
    index: int,
    *,
    default: int,
    minimum: int,
    code: str,
    maximum: int = MAX_WHOLE,
) -> int:
    value = row.get(key)
    text = _text(row, key)
    if not text:
        return default
    if isinstance(value, bool):
        raise EngineInputError(code, row=index, column=key, value=text)
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        raise EngineInputError(code, row=index, column=key, value=text) from None
    if not math.isfinite(number) or not number.is_integer() or number < minimum:
        raise EngineInputError(code, row=index, column=key, value=text)
    if number > maximum:  # 1e23 would overflow the int32 columns
        raise EngineInputError(
            "out_of_range", row=index, column=key, value=text, min=minimum, max=maximum
        )
    return int(number)


def _bitset(codes: Iterable[int], words: int) -> np.ndarray[Any, np.dtype[np.uint64]]:
    out = np.zeros(words, np.uint64)
    for c in codes:
        out[c >> 6] |= np.uint64(1) << np.uint64(c & 63)
    return out


def _availability(row: Row, index: int) -> int:
    bits = 0
    for token in _items(row, "availability"):
        norm = normalise(token)
        day_text, _, slot_text = norm.replace(" ", "-", 1).partition("-")
        day = DAYS.get(day_text)
        slot = SLOTS.get(slot_text) if slot_text else None
        if day is None or (slot_text and slot is None):
            raise EngineInputError("bad_slot", row=index, column="availability", value=token)
        slots = (0, 1, 2) if slot is None else (slot,)
        for s in slots:
            bits |= 1 << (day * 3 + s)
    return bits


def _gender(row: Row, key: str, index: int) -> int:
    text = normalise(_text(row, key))
    if not text or text in {"indifferent", "any", "-", "peu importe"}:
        return 0
    code = GENDERS.get(text)
    if code is None:
        raise EngineInputError("bad_gender", row=index, column=key, value=_text(row, key))
    return code


def _ids(rows: Sequence[Row]) -> tuple[str, ...]:
    seen: dict[str, int] = {}
    for k, row in enumerate(rows):
        ident = _text(row, "id")
        if not ident:
            raise EngineInputError("empty_id", row=k, column="id")
        if ident in seen:
            raise EngineInputError(
                "duplicate_id", row=k, column="id", value=ident, first=seen[ident]
            )
        seen[ident] = k
    return tuple(seen)


class _Encoder:
    def __init__(self) -> None:
        self.fields, self.occupations, self.skills = _Codes(), _Codes(), _Codes()
        self.goals, self.languages, self.regions = _Codes(), _Codes(), _Codes()
        self.organizations, self.groups = _Codes(), _Codes()

    def scan_vocab(self, rows: Sequence[Row], occupation_key: str) -> None:
        for row in rows:
            for s in _items(row, "skills"):
                self.skills.code(s)
            for key in ("field", "region", "organization"):
                getattr(
                    self, {"field": "fields", "region": "regions"}.get(key, "organizations")
                ).code(_text(row, key))
            self.occupations.code(_text(row, occupation_key))

    def profiles(self, rows: Sequence[Row], occupation_key: str, words: int) -> dict[str, Any]:
        n = len(rows)
        out: dict[str, Any] = {
            "ids": _ids(rows),
            "names": tuple(_text(r, "name") for r in rows),
            "field": np.full(n, -1, np.int32),
            "domain": np.full(n, -1, np.int32),
            "occupation": np.full(n, -1, np.int32),
            "skills": np.zeros((n, words), np.uint64),
            "goals": np.zeros(n, np.uint64),
            "languages": np.zeros(n, np.uint64),
            "region": np.full(n, -1, np.int32),
            "remote": np.zeros(n, bool),
            "availability": np.zeros(n, np.uint64),
            "gender": np.zeros(n, np.int32),
            "organization": np.full(n, -1, np.int32),
            "experience": np.full(n, -1, np.int32),
        }
        for k, row in enumerate(rows):
            field_text = _text(row, "field")
            occupation_text = _text(row, occupation_key)
            out["field"][k] = self.fields.code(field_text)
            out["occupation"][k] = self.occupations.code(occupation_text)
            letter = domain_of(_text(row, "domain")) or domain_of(field_text)
            letter = letter or domain_of(occupation_text)
            if letter is not None:
                out["domain"][k] = DOMAIN_LETTERS.index(letter)
            out["skills"][k] = _bitset((self.skills.code(s) for s in _items(row, "skills")), words)
            goal_codes = [
                self.goals.code(GOAL_ALIASES.get(normalise(g), g)) for g in _items(row, "goals")
            ]
            out["goals"][k] = _bitset(goal_codes, 1)[0] if goal_codes else 0
            langs = _items(row, "languages") or [DEFAULT_LANGUAGE]
            codes = [self.languages.code(LANGUAGE_ALIASES.get(normalise(x), x)) for x in langs]
            out["languages"][k] = _bitset(codes, 1)[0]
            out["region"][k] = self.regions.code(_text(row, "region"))
            out["remote"][k] = _bool(row, "remote", k)
            out["availability"][k] = _availability(row, k)
            out["gender"][k] = _gender(row, "gender", k)
            out["organization"][k] = self.organizations.code(_text(row, "organization"))
            out["experience"][k] = _int(
                row, "experience_years", k, default=-1, minimum=0, code="bad_number"
            )
        return out


def _limit(codes: _Codes, column: str) -> None:
    if len(codes.labels) > 64:
        raise EngineInputError("bad_config", column=column, value=f"more than 64 distinct {column}")


def build_problem(
    mentees: Sequence[Row],
    mentors: Sequence[Row],
    *,
    criteria: Criteria | None = None,
    locked: Iterable[tuple[str, str]] = (),
    excluded: Iterable[tuple[str, str]] = (),
    previous: Iterable[tuple[str, str]] = (),
    conflicts: Iterable[tuple[str, str]] = (),
    pairs: Sequence[Row] | None = None,
) -> Problem:
    """Build a Problem from rows of values keyed by the documented column names.

    Multi-valued columns (skills, goals, languages, availability, priority) accept a list or a
    ';'-separated string. Raises EngineInputError carrying the row index and column name.
    Pair lists hold (mentee id, mentor id); ``pairs`` rows have mentee_id, mentor_id, score and
    optional mentee_rank, mentor_rank.
    """
    criteria = criteria or Criteria()
    enc = _Encoder()
    enc.scan_vocab(mentees, "target_occupation")
    enc.scan_vocab(mentors, "occupation")
    words = max(1, (len(enc.skills.labels) + 63) // 64)
    base_i = enc.profiles(mentees, "target_occupation", words)
    try:
        base_j = enc.profiles(mentors, "occupation", words)
    except EngineInputError as exc:
        exc.params["side"] = "mentors"
        raise
    n_i, n_j = len(mentees), len(mentors)
    pref = np.array([_gender(r, "preferred_mentor_gender", k) for k, r in enumerate(mentees)])
    wants = np.array([_bool(r, "preferred_mentor_career_change", k) for k, r in enumerate(mentees)])
    priority, groups = _priority(enc, mentees)
    for target, _share in criteria.parity_targets:
        enc.groups.code(target)
    capacity = np.array(
        [
            _int(r, "capacity", k, default=1, minimum=1, code="bad_capacity")
            for k, r in enumerate(mentors)
        ],
        np.int32,
    )
    # Places beyond one more than the number of mentees change no matching nor any "has a
    # free place" test, and the national-scale solver allocates one slot per place.
    np.minimum(capacity, n_i + 1, out=capacity)
    changer = np.array([_bool(r, "career_change", k) for k, r in enumerate(mentors)], bool)
    minor = np.array([_bool(r, "minor", k) for k, r in enumerate(mentees)], bool)
    checked = np.array([_bool(r, "safeguarding_checked", k) for k, r in enumerate(mentors)], bool)
    for vocab_codes, column in (
        (enc.goals, "goals"),
        (enc.languages, "languages"),
        (enc.groups, "priority"),
    ):
        _limit(vocab_codes, column)
    mentee_table = MenteeTable(
        **base_i,
        preferred_gender=pref.astype(np.int32).reshape(n_i),
        wants_career_changer=wants.astype(bool).reshape(n_i),
        priority=priority,
        groups=groups,
        minor=minor.reshape(n_i),
    )
    mentor_table = MentorTable(
        **base_j,
        capacity=capacity.reshape(n_j),
        career_changer=changer.reshape(n_j),
        safeguarding_checked=checked.reshape(n_j),
    )
    id_i = {v: k for k, v in enumerate(mentee_table.ids)}
    id_j = {v: k for k, v in enumerate(mentor_table.ids)}
    lm, lj = _locked(_resolve(locked, "locked", id_i, id_j), mentee_table, mentor_table)
    reasons: dict[int, int] = {}
    for pair_list, code, column in (
        (excluded, EXCLUDED, "excluded"),
        (previous, PREVIOUS, "previous"),
        (conflicts, CONFLICT, "conflicts"),
    ):
        for a, b in _resolve(pair_list, column, id_i, id_j):
            reasons.setdefault(a * n_j + b, code)
    keys = np.array(sorted(reasons), np.int64)
    table = None if pairs is None else _pairs(pairs, id_i, id_j)
    vocab = Vocabulary(
        fields=tuple(enc.fields.labels),
        occupations=tuple(enc.occupations.labels),
        skills=tuple(enc.skills.labels),
        goals=tuple(enc.goals.labels),
        languages=tuple(enc.languages.labels),
        regions=tuple(enc.regions.labels),
        organizations=tuple(enc.organizations.labels),
        groups=tuple(enc.groups.labels),
    )
    return Problem(
        mentees=mentee_table,
        mentors=mentor_table,
        vocab=vocab,
        criteria=criteria,
        locked_mentee=lm,
        locked_mentor=lj,
        excluded_keys=keys,
        excluded_reason=np.array([reasons[int(k)] for k in keys], np.int8),
        pairs=table,
    )


def _priority(enc: _Encoder, mentees: Sequence[Row]) -> tuple[np.ndarray, np.ndarray]:
    """Per mentee: whether they are a priority and the bitset of their priority groups."""
    priority = np.zeros(len(mentees), bool)
    groups = np.zeros(len(mentees), np.uint64)
    for k, row in enumerate(mentees):
        names = [g for g in _items(row, "priority") if normalise(g) not in FALSE]
        if names:
            priority[k] = True
            codes = [
                enc.groups.code("prioritaire" if normalise(g) in PRIORITY_YES else g) for g in names
            ]
            groups[k] = _bitset(codes, 1)[0]
    return priority, groups


def _resolve(
    pair_list: Iterable[tuple[str, str]], column: str, id_i: dict[str, int], id_j: dict[str, int]
) -> list[tuple[int, int]]:
    """(mentee id, mentor id) pairs as row indices; an unknown id is an input error."""
    out = []
    for k, (a, b) in enumerate(pair_list):
        if a not in id_i:
            raise EngineInputError("unknown_mentee", row=k, column=column, value=a)
        if b not in id_j:
            raise EngineInputError("unknown_mentor", row=k, column=column, value=b)
        out.append((id_i[a], id_j[b]))
    return out


def _locked(
    locked_pairs: list[tuple[int, int]], mentees: MenteeTable, mentors: MentorTable
) -> tuple[np.ndarray, np.ndarray]:
    """Locked pairs as (mentee rows, mentor rows), each mentee once and within capacity."""
    lm = np.array([p[0] for p in locked_pairs], np.int64)
    lj = np.array([p[1] for p in locked_pairs], np.int64)
    if len(set(lm.tolist())) != len(lm):
        dup = next(x for x in lm.tolist() if lm.tolist().count(x) > 1)
        raise EngineInputError("locked_twice", column="locked", value=mentees.ids[dup])
    used = np.bincount(lj, minlength=len(mentors.ids))
    over = np.flatnonzero(used > mentors.capacity)
    if len(over):
        raise EngineInputError("locked_over_capacity", column="locked", value=mentors.ids[over[0]])
    return lm, lj


def _number(row: Row, key: str, k: int, code: str) -> float:
    text = _text(row, key)
    if not text:
        return math.nan
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise EngineInputError(code, row=k, column=key, value=text) from None
    if not math.isfinite(value):
        raise EngineInputError(code, row=k, column=key, value=text)
    if abs(value) > MAX_PAIR_SCORE:  # keeps score × pairs within 64-bit integers
        raise EngineInputError(
            "out_of_range", row=k, column=key, value=text, min=-MAX_PAIR_SCORE, max=MAX_PAIR_SCORE
        )
    return value


def _pairs(rows: Sequence[Row], id_i: dict[str, int], id_j: dict[str, int]) -> PairTable:
    n = len(rows)
    mentee, mentor = np.zeros(n, np.int64), np.zeros(n, np.int64)
    score, r_i, r_j = np.zeros(n), np.full(n, math.nan), np.full(n, math.nan)
    seen: set[tuple[int, int]] = set()
    for k, row in enumerate(rows):
        a, b = _text(row, "mentee_id"), _text(row, "mentor_id")
        if a not in id_i:
            raise EngineInputError("unknown_mentee", row=k, column="mentee_id", value=a)
        if b not in id_j:
            raise EngineInputError("unknown_mentor", row=k, column="mentor_id", value=b)
        if (id_i[a], id_j[b]) in seen:
            raise EngineInputError("duplicate_pair", row=k, column="mentor_id", value=f"{a}, {b}")
        seen.add((id_i[a], id_j[b]))
        mentee[k], mentor[k] = id_i[a], id_j[b]
        value = _number(row, "score", k, "bad_number")
        if math.isnan(value):
            raise EngineInputError("bad_number", row=k, column="score", value="")
        score[k] = value
        r_i[k] = _int(row, "mentee_rank", k, default=-1, minimum=1, code="bad_rank")
        r_j[k] = _int(row, "mentor_rank", k, default=-1, minimum=1, code="bad_rank")
    r_i[r_i < 0] = math.nan
    r_j[r_j < 0] = math.nan
    return PairTable(mentee=mentee, mentor=mentor, score=score, mentee_rank=r_i, mentor_rank=r_j)
