"""Turn rows of strings/values (CSV, Django) into the engine's column arrays."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

import numpy as np

from matching_engine.io_columns import Column, ColumnTable, NotColumnar
from matching_engine.model import (
    COLUMN_ALIASES,
    CONFLICT,
    EXCLUDED,
    I32,
    MAX_PAIR_SCORE,
    MAX_WHOLE,
    PREVIOUS,
    BoolArray,
    Criteria,
    EngineInputError,
    IntArray,
    MenteeTable,
    MentorTable,
    PairTable,
    Problem,
    Vocabulary,
)
from matching_engine.rome import DOMAIN_LETTERS, domain_of, normalise

Row = Mapping[str, Any]
_T = TypeVar("_T")

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


class Encoder:
    """The vocabularies of one problem, filled in order of first appearance."""

    def __init__(self) -> None:
        self.fields, self.occupations, self.skills = _Codes(), _Codes(), _Codes()
        self.goals, self.languages, self.regions = _Codes(), _Codes(), _Codes()
        self.organizations, self.groups = _Codes(), _Codes()
        self.partnerships = _Codes()

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
    enc = Encoder()
    enc.scan_vocab(mentees, "target_occupation")
    enc.scan_vocab(mentors, "occupation")
    words = max(1, (len(enc.skills.labels) + 63) // 64)
    base_i = enc.profiles(mentees, "target_occupation", words)
    try:
        base_j = enc.profiles(mentors, "occupation", words)
    except EngineInputError as exc:
        exc.params["side"] = "mentors"
        raise
    n_i = len(mentees)
    pref = np.array([_gender(r, "preferred_mentor_gender", k) for k, r in enumerate(mentees)])
    wants = np.array([_bool(r, "preferred_mentor_career_change", k) for k, r in enumerate(mentees)])
    priority, groups = _priority(enc, mentees)
    capacity = np.array(
        [
            _int(r, "capacity", k, default=1, minimum=1, code="bad_capacity")
            for k, r in enumerate(mentors)
        ],
        np.int32,
    )
    changer = np.array([_bool(r, "career_change", k) for k, r in enumerate(mentors)], bool)
    minor = np.array([_bool(r, "minor", k) for k, r in enumerate(mentees)], bool)
    checked = np.array([_bool(r, "safeguarding_checked", k) for k, r in enumerate(mentors)], bool)
    trained = np.array([_bool(r, "trained", k) for k, r in enumerate(mentors)], bool)
    partnerships = np.zeros(n_i, np.uint64)
    for k, r in enumerate(mentees):
        for code in (enc.partnerships.code(x) for x in _items(r, "partnerships")):
            if 0 <= code < 64:  # more than 64 is refused by assemble
                partnerships[k] |= np.uint64(1) << np.uint64(code)
    reserved = np.array(
        [
            _int(r, "reserved_places", k, default=0, minimum=0, code="bad_number")
            for k, r in enumerate(mentors)
        ],
        np.int32,
    ).reshape(len(mentors))
    reserved_for = np.array(
        [enc.partnerships.code(_text(r, "reserved_for")) for r in mentors], np.int32
    ).reshape(len(mentors))
    bad = _bad_reservation(capacity.reshape(len(mentors)), reserved, reserved_for)
    if bad is not None:
        k, column = bad
        raise EngineInputError(
            f"{column}_invalid", row=k, column=column, value=_text(mentors[k], column),
            side="mentors", capacity=int(capacity[k]),
        )  # fmt: skip
    mentee_table = MenteeTable(
        **base_i,
        preferred_gender=pref.astype(np.int32).reshape(n_i),
        wants_career_changer=wants.astype(bool).reshape(n_i),
        priority=priority,
        groups=groups,
        minor=minor.reshape(n_i),
        partnerships=partnerships,
    )
    mentor_table = MentorTable(
        **base_j,
        capacity=capacity.reshape(len(mentors)),
        career_changer=changer.reshape(len(mentors)),
        safeguarding_checked=checked.reshape(len(mentors)),
        trained=trained.reshape(len(mentors)),
        reserved_places=reserved,
        reserved_for=reserved_for,
    )
    return assemble(
        enc,
        mentee_table,
        mentor_table,
        criteria=criteria,
        locked=locked,
        excluded=excluded,
        previous=previous,
        conflicts=conflicts,
        pairs=pairs,
    )


def _bad_reservation(
    capacity: np.ndarray, reserved: np.ndarray, reserved_for: np.ndarray
) -> tuple[int, str] | None:
    """The first mentor whose reservation is invalid and the column at fault: more places
    reserved than the capacity (``reserved_places``), or places reserved for no partnership
    (``reserved_for``)."""
    over = np.flatnonzero(reserved > capacity)
    orphan = np.flatnonzero((reserved > 0) & (reserved_for < 0))
    first = [(int(over[0]), "reserved_places")] if len(over) else []
    first += [(int(orphan[0]), "reserved_for")] if len(orphan) else []
    return min(first) if first else None


def assemble(
    enc: Encoder,
    mentee_table: MenteeTable,
    mentor_table: MentorTable,
    *,
    criteria: Criteria,
    locked: Iterable[tuple[str, str]],
    excluded: Iterable[tuple[str, str]],
    previous: Iterable[tuple[str, str]],
    conflicts: Iterable[tuple[str, str]],
    pairs: Sequence[Row] | None,
) -> Problem:
    """The Problem of encoded profiles (rows or columns alike): parity groups, capacities
    capped, vocabulary limits checked, pair lists resolved."""
    for target, _share in criteria.parity_targets:
        enc.groups.code(target)
    n_i, n_j = len(mentee_table.ids), len(mentor_table.ids)
    # Places beyond one more than the number of mentees change no matching nor any "has a
    # free place" test, and the national-scale solver allocates one slot per place.
    # Reserved and open places are capped apart: each is a kind of place on its own.
    reserved = mentor_table.reserved_places
    if len(reserved) == n_j and (reserved > 0).any():
        open_places = np.minimum(mentor_table.capacity - reserved, n_i + 1)
        np.minimum(reserved, n_i + 1, out=reserved)
        mentor_table.capacity[:] = open_places + reserved
    else:
        np.minimum(mentor_table.capacity, n_i + 1, out=mentor_table.capacity)
    for vocab_codes, column in (
        (enc.goals, "goals"),
        (enc.languages, "languages"),
        (enc.groups, "priority"),
        (enc.partnerships, "partnerships"),
    ):
        _limit(vocab_codes, column)
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
        partnerships=tuple(enc.partnerships.labels),
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


def _priority(enc: Encoder, mentees: Sequence[Row]) -> tuple[np.ndarray, np.ndarray]:
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


# Columns (the CLI's files read by pyarrow) ---------------------------------------------------


def _per_value(column: Column, key: str, read: Callable[[Row], _T]) -> list[_T]:
    """``read`` of a one-cell row for each distinct value of ``column``: the row encoders'
    own rules, once per value instead of once per row (values come in order of first
    appearance, so vocabularies get the codes a row-by-row pass gives them)."""
    return [read({key: value}) for value in column.values]


class _ItemCodes:
    """Codes of the items of a multi-valued cell, remembered per item as written."""

    def __init__(
        self, codes: _Codes, alias: Callable[[str], str] = str, limit: int | None = 64
    ) -> None:
        self.codes, self.alias, self.limit = codes, alias, limit
        self.seen: dict[str, int] = {}

    def code(self, item: str) -> int:
        """The item's code (NotColumnar when it has none, see ``bits``)."""
        code = self.seen.get(item)
        if code is None:
            code = self.seen[item] = self.codes.code(self.alias(item))
        if code < 0 or (self.limit is not None and code >= self.limit):
            raise NotColumnar
        return code

    def register(self, column: Column) -> tuple[IntArray, I32]:
        """Codes the items of ``column``'s values, in order of first appearance: each item's
        code (-1 for an empty one) and the index of its value."""
        parts, part_codes, owner = column.items()
        code_of = np.array([self.code(x.strip()) if x.strip() else -1 for x in parts], np.int64)
        return code_of[part_codes], owner

    def matrix(self, column: Column, words: int) -> np.ndarray[Any, np.dtype[np.uint64]]:
        """Each distinct value's items as a bitset of ``words`` words (one row per value)."""
        codes, owner = self.register(column)
        keep = codes >= 0
        out = np.zeros((len(column.values), words), np.uint64)
        bits = np.left_shift(np.uint64(1), (codes[keep] & 63).astype(np.uint64))
        np.bitwise_or.at(out, (owner[keep], codes[keep] >> 6), bits)
        return out

    def bits(self, items: list[str]) -> int:
        """The cell's items as a bitset; NotColumnar for an item without a code (only
        punctuation) or beyond a one-word column's 64 codes, which the row encoder handles."""
        out = 0
        for item in items:
            out |= 1 << self.code(item)
        return out


def _code_column(codes: _Codes, column: Column) -> I32:
    return np.array([codes.code(v) for v in column.values], np.int32)[column.codes]


class _ColumnEncoder:
    """``Encoder.scan_vocab`` and ``Encoder.profiles`` for tables read by columns."""

    def __init__(self, enc: Encoder) -> None:
        self.enc = enc
        self.skills = _ItemCodes(enc.skills, limit=None)
        self.goals = _ItemCodes(enc.goals, lambda g: GOAL_ALIASES.get(normalise(g), g))
        self.languages = _ItemCodes(enc.languages, lambda x: LANGUAGE_ALIASES.get(normalise(x), x))

    def scan_vocab(self, t: ColumnTable, occupation_key: str) -> None:
        self.skills.register(t.get("skills"))
        for codes, key in (
            (self.enc.fields, "field"),
            (self.enc.regions, "region"),
            (self.enc.organizations, "organization"),
            (self.enc.occupations, occupation_key),
        ):
            for value in t.get(key).values:
                codes.code(value)

    def profiles(self, t: ColumnTable, occupation_key: str, words: int) -> dict[str, Any]:
        ids = t.get("id")
        if len(ids.values) != t.rows or "" in ids.values:
            raise NotColumnar  # the row encoder names the empty or repeated id
        field, occupation = t.get("field"), t.get(occupation_key)
        letters = [
            np.array([DOMAIN_LETTERS.index(x) if (x := domain_of(v)) else -1 for v in c.values])[
                c.codes
            ]
            for c in (t.get("domain"), field, occupation)
        ]
        domain = np.where(letters[0] >= 0, letters[0], np.where(letters[1] >= 0, *letters[1:]))
        skills = t.get("skills")
        goals, languages = t.get("goals"), t.get("languages")

        def uint(column: Column, values: list[int]) -> np.ndarray[Any, np.dtype[np.uint64]]:
            return np.array(values, np.uint64)[column.codes]

        return {
            "ids": tuple(ids.cells()),
            "names": tuple(t.get("name").cells()),
            "field": _code_column(self.enc.fields, field),
            "domain": domain.astype(np.int32),
            "occupation": _code_column(self.enc.occupations, occupation),
            "skills": self.skills.matrix(skills, words)[skills.codes],
            "goals": self.goals.matrix(goals, 1)[goals.codes, 0],
            "languages": uint(
                languages,
                [
                    self.languages.bits(_items({"l": v}, "l") or [DEFAULT_LANGUAGE])
                    for v in languages.values
                ],
            ),
            "region": _code_column(self.enc.regions, t.get("region")),
            "remote": self.bools(t, "remote"),
            "availability": uint(
                t.get("availability"),
                _per_value(t.get("availability"), "availability", lambda r: _availability(r, 0)),
            ),
            "gender": self.genders(t, "gender"),
            "organization": _code_column(self.enc.organizations, t.get("organization")),
            "experience": self.ints(
                t, "experience_years", default=-1, minimum=0, code="bad_number"
            ),
        }

    @staticmethod
    def bools(t: ColumnTable, key: str) -> BoolArray:
        column = t.get(key)
        return np.array(_per_value(column, key, lambda r: _bool(r, key, 0)), bool)[column.codes]

    @staticmethod
    def genders(t: ColumnTable, key: str) -> I32:
        column = t.get(key)
        values = _per_value(column, key, lambda r: _gender(r, key, 0))
        return np.array(values, np.int32)[column.codes]

    @staticmethod
    def ints(t: ColumnTable, key: str, *, default: int, minimum: int, code: str) -> I32:
        column = t.get(key)
        values = _per_value(
            column, key, lambda r: _int(r, key, 0, default=default, minimum=minimum, code=code)
        )
        return np.array(values, np.int32)[column.codes]

    def partnerships(self, t: ColumnTable) -> np.ndarray:
        """Each mentee's partnerships as a bitset (NotColumnar beyond 64 partnerships)."""
        column = t.get("partnerships")
        codes = _ItemCodes(self.enc.partnerships)
        bits = [codes.bits(_items({"p": v}, "p")) for v in column.values]
        return np.array(bits, np.uint64)[column.codes]

    def priority(self, t: ColumnTable) -> tuple[BoolArray, np.ndarray]:
        column = t.get("priority")
        groups = _ItemCodes(
            self.enc.groups, lambda g: "prioritaire" if normalise(g) in PRIORITY_YES else g
        )
        bits = [
            groups.bits([g for g in _items({"p": v}, "p") if normalise(g) not in FALSE])
            for v in column.values
        ]
        value = np.array(bits, np.uint64)[column.codes]
        return value != 0, value


def build_problem_from_columns(
    mentees: ColumnTable,
    mentors: ColumnTable,
    *,
    criteria: Criteria | None = None,
    locked: Iterable[tuple[str, str]] = (),
    excluded: Iterable[tuple[str, str]] = (),
    previous: Iterable[tuple[str, str]] = (),
    conflicts: Iterable[tuple[str, str]] = (),
    pairs: Sequence[Row] | None = None,
) -> Problem:
    """:func:`build_problem` of CSV files read by columns: the same Problem, built once per
    distinct cell value. Raises EngineInputError or NotColumnar on bad input without
    locating it: the caller then builds from rows, which names the row and column."""
    enc = Encoder()
    col = _ColumnEncoder(enc)
    col.scan_vocab(mentees, "target_occupation")
    col.scan_vocab(mentors, "occupation")
    words = max(1, (len(enc.skills.labels) + 63) // 64)
    base_i = col.profiles(mentees, "target_occupation", words)
    base_j = col.profiles(mentors, "occupation", words)
    priority, groups = col.priority(mentees)
    mentee_table = MenteeTable(
        **base_i,
        preferred_gender=col.genders(mentees, "preferred_mentor_gender"),
        wants_career_changer=col.bools(mentees, "preferred_mentor_career_change"),
        priority=priority,
        groups=groups,
        minor=col.bools(mentees, "minor"),
        partnerships=col.partnerships(mentees),
    )
    capacity = col.ints(mentors, "capacity", default=1, minimum=1, code="bad_capacity")
    reserved = col.ints(mentors, "reserved_places", default=0, minimum=0, code="bad_number")
    reserved_for = _code_column(enc.partnerships, mentors.get("reserved_for"))
    if _bad_reservation(capacity, reserved, reserved_for) is not None:
        raise NotColumnar  # the row encoder names the mentor and the column
    mentor_table = MentorTable(
        **base_j,
        capacity=capacity,
        career_changer=col.bools(mentors, "career_change"),
        safeguarding_checked=col.bools(mentors, "safeguarding_checked"),
        trained=col.bools(mentors, "trained"),
        reserved_places=reserved,
        reserved_for=reserved_for,
    )
    return assemble(
        enc,
        mentee_table,
        mentor_table,
        criteria=criteria or Criteria(),
        locked=locked,
        excluded=excluded,
        previous=previous,
        conflicts=conflicts,
        pairs=pairs,
    )
