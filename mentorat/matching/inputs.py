"""Read an edition's participants from the database and build the engine's problem.

Eligible mentees are the accepted mentee applications without an active mentorship;
mentors are the accepted mentor applications with capacity left once their active
mentorships are counted. Existing pairs are therefore never touched by a run
(incremental re-matching), and pairs that ended as "not a good fit" are excluded.

When the program requires safeguarding checks (`Program.safeguarding_required`), the
engine's rule `safeguarding_for_minors` is on: mentees who applied under 18 (`minor`)
are paired only with mentors whose check counts on the day of the run
(`safeguarding_checked`, `mentorat.safeguarding.selectors`).

When the run's hard rules include `required_training`, only mentors who completed the
training modules the edition requires before matching (`trained`,
`mentorat.training.selectors.trained_user_ids`) are paired. Places an organisation
reserved for a partner's mentees (`reservations`) become the mentors' `reserved_places`
and `reserved_for`, and the partner's mentees carry the reservation's name."""

import json
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from matching_engine import EngineInputError, Problem, build_problem
from matching_engine.rome import domain_of, normalise
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.lib.errors import DomainError
from mentorat.matching import pairs, reservations
from mentorat.matching.models import (
    ExclusionKind,
    MentorCapacity,
    PairExclusion,
    PlaceReservation,
)
from mentorat.matching.parameters import RunParameters
from mentorat.participants.models import Profile
from mentorat.programs.models import Edition, HardRule, ParticipantRole
from mentorat.reference.regions import REGION_NAMES
from mentorat.safeguarding.selectors import checked_user_ids
from mentorat.training.selectors import trained_user_ids

_GENDER_CODES = {"woman": "F", "man": "H", "non_binary": "X"}

Row = dict[str, Any]


#: (field, ROME domain letter, occupation) of a mentor as the engine compares them.
MentorKey = tuple[str, str, str]


@dataclass
class Inputs:
    mentees: list[Row] = field(default_factory=list)
    mentors: list[Row] = field(default_factory=list)
    locked: list[tuple[str, str]] = field(default_factory=list)
    excluded: list[tuple[str, str]] = field(default_factory=list)
    previous: list[tuple[str, str]] = field(default_factory=list)
    conflicts: list[tuple[str, str]] = field(default_factory=list)
    #: application id -> (organization id, field label, gender, priority groups)
    names: dict[int, str] = field(default_factory=dict)
    #: the program requires safeguarding checks for pairs with a minor
    safeguarding_for_minors: bool = False
    #: how each place reservation of the edition was spread over the mentors
    shares: list[reservations.Share] = field(default_factory=list)
    #: every accepted mentor read (with a place left or not) and its `mentor_key`, when
    #: `load_inputs` is asked for them (the run keeps them: `RunMentor`)
    mentor_keys: list[tuple[int, MentorKey]] = field(default_factory=list)


def mentor_key(field_text: str, domain_text: str, occupation_text: str) -> MentorKey:
    """A mentor's field and occupation normalised, and its ROME domain letter (from the
    domain, else the field, else the occupation; "" when none), as the engine compares
    them with a mentee's (`explain.near_mentors`)."""
    letter = domain_of(domain_text) or domain_of(field_text) or domain_of(occupation_text)
    return normalise(field_text), letter or "", normalise(occupation_text)


def accepted(edition: Edition, role: str) -> QuerySet[Application]:
    return Application.objects.filter(edition=edition, role=role, status=ApplicationStatus.ACCEPTED)


def mentor_capacities(
    *,
    edition: Edition,
    default: int,
    mentor_ids: Iterable[int] | None = None,
    where: Q | None = None,
) -> dict[int, int]:
    """Capacity of each accepted mentor (explicit value or the run's default); only
    `mentor_ids`, or those `where` selects, when given."""
    mentors = accepted(edition, ParticipantRole.MENTOR)
    if mentor_ids is not None:
        mentors = mentors.filter(pk__in=list(mentor_ids))
    if where is not None:
        mentors = mentors.filter(where)
    capacities = dict.fromkeys(mentors.values_list("pk", flat=True), default)
    explicit = MentorCapacity.objects.filter(
        application__in=mentors, capacity__isnull=False
    ).values_list("application_id", "capacity")
    capacities.update({pk: int(cap or default) for pk, cap in explicit})
    return capacities


def _skills(profile_ids: QuerySet[Profile], wanted: bool) -> dict[int, list[str]]:
    through = (Profile.skills_wanted if wanted else Profile.skills_offered).through
    out: dict[int, list[str]] = defaultdict(list)
    for profile_id, name in through.objects.filter(profile__in=profile_ids).values_list(
        "profile_id", "skill__name"
    ):
        out[profile_id].append(name)
    return out


_PROFILE_FIELDS = (
    "pk",
    "organization_id",
    "user_id",
    "is_minor",
    "user__first_name",
    "user__last_name",
    "user__profile__id",
    "user__profile__field",
    "user__profile__rome_domain",
    "user__profile__occupation",
    "user__profile__target_occupation",
    "user__profile__goals",
    "user__profile__languages",
    "user__profile__region",
    "user__profile__remote_ok",
    "user__profile__availability",
    "user__profile__gender",
    "user__profile__prefers_same_gender_mentor",
    "user__profile__prefers_career_changer_mentor",
    "user__profile__changed_careers",
    "user__profile__priority_groups",
    "user__profile__years_of_experience",
)


#: The JSON lists among `_PROFILE_FIELDS`.
_JSON_FIELDS = frozenset(
    "user__profile__" + name for name in ("goals", "languages", "availability", "priority_groups")
)


def raw_rows(queryset: QuerySet[Any], *, size: int = 20_000) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of a `values_list` queryset as the database driver gives them (no
    per-value conversion: JSON stays text, SQLite booleans stay 0 and 1), `size` at a
    time. For reads of a whole edition, where the conversions cost more than the query."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # e.g. `pk__in=[]`: Django knows there is no row without asking
        return
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(size):
            yield chunk


def _decode_json(texts: Sequence[Any]) -> list[Any]:
    """Decode a column of JSON texts (None for SQL NULL) in one `json.loads`."""
    if all(isinstance(t, str) or t is None for t in texts):
        return json.loads("[" + ",".join("null" if t is None else t for t in texts) + "]")  # type: ignore[no-any-return]
    return [json.loads(t) if isinstance(t, str) else t for t in texts]


def profile_values(applications: QuerySet[Application]) -> list[dict[str, Any]]:
    """`applications.order_by("pk").values(*_PROFILE_FIELDS)`, read in bulk: the rows
    as the driver gives them, each JSON column decoded at once (200,000 rows of a
    national edition: 800,000 `json.loads` calls otherwise)."""
    query = applications.order_by("pk").values_list(*_PROFILE_FIELDS)
    rows = [row for chunk in raw_rows(query) for row in chunk]
    if not rows:
        return []
    columns: list[Sequence[Any]] = list(zip(*rows, strict=True))
    del rows
    for k, name in enumerate(_PROFILE_FIELDS):
        if name in _JSON_FIELDS:
            columns[k] = _decode_json(columns[k])
    return [
        dict(zip(_PROFILE_FIELDS, values, strict=True)) for values in zip(*columns, strict=True)
    ]


def _common(values: dict[str, Any], skills: list[str]) -> Row:
    p = "user__profile__"
    region = values[p + "region"] or ""
    return {
        "id": str(values["pk"]),
        "name": f"{values['user__first_name']} {values['user__last_name']}".strip(),
        "field": values[p + "field"] or "",
        "domain": values[p + "rome_domain"] or "",
        "skills": skills,
        "goals": [str(g).replace("_", " ") for g in values[p + "goals"] or []],
        "languages": list(values[p + "languages"] or []),
        "region": REGION_NAMES.get(region, region),
        "remote": bool(values[p + "remote_ok"]) if values[p + "id"] else True,
        "availability": [str(s).replace("_", "-") for s in values[p + "availability"] or []],
        "gender": _GENDER_CODES.get(values[p + "gender"] or "", ""),
        "experience_years": values[p + "years_of_experience"],
        "organization": str(values["organization_id"] or ""),
    }


def mentee_rows(
    applications: QuerySet[Application], *, priority_groups: Iterable[str]
) -> list[Row]:
    wanted = set(priority_groups)
    profiles = Profile.objects.filter(user__applications__in=applications)
    skills = _skills(profiles, wanted=True)
    rows = []
    p = "user__profile__"
    for values in profile_values(applications):
        row = _common(values, skills.get(values[p + "id"], []))
        row["target_occupation"] = values[p + "target_occupation"] or ""
        own_gender = row["gender"]
        row["preferred_mentor_gender"] = (
            own_gender if values[p + "prefers_same_gender_mentor"] else ""
        )
        row["preferred_mentor_career_change"] = bool(values[p + "prefers_career_changer_mentor"])
        row["priority"] = [g for g in values[p + "priority_groups"] or [] if g in wanted]
        row["minor"] = bool(values["is_minor"])
        rows.append(row)
    return rows


def mentor_rows(
    applications: QuerySet[Application],
    *,
    capacities: dict[int, int],
    checked_users: Collection[int] = (),
    trained_users: Collection[int] | None = None,
    keys: list[tuple[int, MentorKey]] | None = None,
) -> list[Row]:
    """Mentor rows of the `applications` that have an entry in `capacities` (their
    places left; the others are left out); `checked_users`: ids of the mentors (users)
    whose safeguarding check counts (see `safeguarding_state`); `trained_users`: those who
    completed the required training (None: the rule is off, everyone counts as trained).
    `keys`, when given, receives the `mentor_key` of every application read that has a
    field or a domain, with a place left or not."""
    profiles = Profile.objects.filter(user__applications__in=applications)
    skills = _skills(profiles, wanted=False)
    rows = []
    p = "user__profile__"
    known: dict[tuple[str, str, str], MentorKey] = {}
    for values in profile_values(applications):
        if keys is not None:
            texts = (
                values[p + "field"] or "",
                values[p + "rome_domain"] or "",
                values[p + "occupation"] or "",
            )
            key = known.get(texts)
            if key is None:
                key = known[texts] = mentor_key(*texts)
            if key[0] or key[1]:
                keys.append((values["pk"], key))
        if values["pk"] not in capacities:
            continue
        row = _common(values, skills.get(values[p + "id"], []))
        row["occupation"] = values[p + "occupation"] or ""
        row["career_change"] = bool(values[p + "changed_careers"])
        row["capacity"] = capacities[values["pk"]]
        row["safeguarding_checked"] = values["user_id"] in checked_users
        row["trained"] = trained_users is None or values["user_id"] in trained_users
        rows.append(row)
    return rows


@dataclass
class MenteeInputs:
    """What `load_inputs` reads whatever the mentors: the mentees' rows, the places the
    edition's active pairs take from each mentor, whether the program requires
    safeguarding checks, and the edition's place reservations, pairs excluded by hand and
    pairs that ended. Read once (`read_mentees`) when the same mentees are put against
    several sets of mentors: one mentee's review reads the mentors near it tier after
    tier (`explain.TIERS`)."""

    mentees: list[Row]
    #: active mentorships per mentor application id
    used: dict[int, int]
    safeguarding_for_minors: bool
    reservations: list[PlaceReservation]
    #: (mentee, mentor, kind) of the edition's `PairExclusion`s
    exclusions: list[tuple[int, int, str]]
    #: (mentee, mentor) of the edition's pairs that ended (`pairs.ended_pairs`)
    ended: list[tuple[int, int]]


def read_mentees(
    *, edition: Edition, parameters: RunParameters, mentee_ids: Iterable[int] | None = None
) -> MenteeInputs:
    """The `MenteeInputs` of the edition's eligible mentees (those of `mentee_ids` when
    given), in six queries whatever the edition's size."""
    paired_mentees, used = pairs.active_load(edition=edition)
    mentees = accepted(edition, ParticipantRole.MENTEE).exclude(pk__in=paired_mentees)
    if mentee_ids is not None:
        mentees = mentees.filter(pk__in=list(mentee_ids))
    return MenteeInputs(
        mentees=mentee_rows(mentees, priority_groups=parameters.priority_groups),
        used=used,
        safeguarding_for_minors=bool(edition.program.safeguarding_required),
        reservations=reservations.reservations_of(edition),
        exclusions=list(
            PairExclusion.objects.filter(edition=edition).values_list(
                "mentee_id", "mentor_id", "kind"
            )
        ),
        ended=pairs.ended_pairs(edition=edition),
    )


def read_mentors(
    *,
    edition: Edition,
    parameters: RunParameters,
    used: dict[int, int],
    where: Q | None = None,
    keys: list[tuple[int, MentorKey]] | None = None,
) -> list[Row]:
    """The rows of the edition's accepted mentors (those `where` selects, when given) who
    have a place left once their active pairs (`used`, `MenteeInputs.used`) are counted,
    by application id; `capacity` is their places left, `safeguarding_checked` whether
    their check counts today when the program requires checks (else False: the engine
    does not look). `keys`: as in `mentor_rows`."""
    capacities = mentor_capacities(
        edition=edition, default=parameters.default_capacity, where=where
    )
    remaining = {pk: cap - used.get(pk, 0) for pk, cap in capacities.items()}
    remaining = {pk: cap for pk, cap in remaining.items() if cap > 0}
    # Every accepted mentor, those without a place left are skipped while reading
    # (`mentor_rows`): a filter on the ids of those with a place would send 100,000
    # parameters with each query of a national edition.
    mentors = accepted(edition, ParticipantRole.MENTOR)
    if where is not None:
        mentors = mentors.filter(where)
    checked: set[int] = set()
    # Checks count only where the program requires them (the engine's rule
    # `safeguarding_for_minors`): otherwise no mentor's check is read.
    if edition.program.safeguarding_required:
        _required, checked = safeguarding_state(edition=edition, mentors=mentors)
    trained = training_state(edition=edition, parameters=parameters, mentors=mentors)
    return mentor_rows(
        mentors,
        capacities=remaining,
        checked_users=checked,
        trained_users=trained,
        keys=keys,
    )


def assemble(
    mentees: MenteeInputs, mentors: list[Row], *, locked: Iterable[tuple[int, int]] = ()
) -> Inputs:
    """The engine's rows: `mentees` against the `mentors` (`read_mentors`, in its order),
    with the edition's reservations spread over these mentors (written into their rows,
    as each mentee row's `partnerships`), and the `locked`, excluded and ended pairs
    between them."""
    inputs = Inputs(
        mentees=mentees.mentees,
        mentors=mentors,
        safeguarding_for_minors=mentees.safeguarding_for_minors,
    )
    inputs.shares = apply_reservations(inputs, mentees.reservations)
    mentee_set = {r["id"] for r in inputs.mentees}
    places = {r["id"]: r["capacity"] for r in inputs.mentors}
    load: dict[str, int] = defaultdict(int)
    for mentee_id, mentor_id in locked:
        key = (str(mentee_id), str(mentor_id))
        if key[0] in mentee_set and key[1] in places and load[key[1]] < places[key[1]]:
            inputs.locked.append(key)
            load[key[1]] += 1
    kinds = {
        ExclusionKind.EXCLUDED: inputs.excluded,
        ExclusionKind.CONFLICT: inputs.conflicts,
        ExclusionKind.PREVIOUS: inputs.previous,
    }
    for mentee_id, mentor_id, kind in mentees.exclusions:
        key = (str(mentee_id), str(mentor_id))
        if key[0] in mentee_set and key[1] in places:
            kinds[ExclusionKind(kind)].append(key)
    for mentee_id, mentor_id in mentees.ended:
        key = (str(mentee_id), str(mentor_id))
        if key[0] in mentee_set and key[1] in places:
            inputs.previous.append(key)
    return inputs


def load_inputs(
    *,
    edition: Edition,
    parameters: RunParameters,
    locked: Iterable[tuple[int, int]] = (),
    mentee_ids: Iterable[int] | None = None,
    mentors_where: Q | None = None,
    with_mentor_keys: bool = False,
) -> Inputs:
    """Rows for the engine. `locked` pairs (application ids) are kept as they are;
    `mentee_ids` limits the mentees (review pages explain one mentee at a time),
    `mentors_where` the mentors (those who can rank first for that mentee);
    `with_mentor_keys`: also every mentor's `mentor_key` (`Inputs.mentor_keys`)."""
    mentees = read_mentees(edition=edition, parameters=parameters, mentee_ids=mentee_ids)
    keys: list[tuple[int, MentorKey]] | None = [] if with_mentor_keys else None
    mentors = read_mentors(
        edition=edition,
        parameters=parameters,
        used=mentees.used,
        where=mentors_where,
        keys=keys,
    )
    inputs = assemble(mentees, mentors, locked=locked)
    inputs.mentor_keys = keys or []
    return inputs


def safeguarding_state(
    *,
    edition: Edition,
    mentors: QuerySet[Application] | None = None,
    on: date | None = None,
) -> tuple[bool, set[int]]:
    """Whether the edition's program requires safeguarding checks, and the users among
    `mentors` (default: the edition's accepted mentors) whose check counts on `on`
    (default: today). Read by the runs' fingerprint too, so that recording or revoking a
    check makes the next run compute again."""
    program = edition.program
    if mentors is None:
        mentors = accepted(edition, ParticipantRole.MENTOR)
    checked = checked_user_ids(
        program=program,
        user_ids=mentors.values_list("user_id", flat=True),
        on=on or timezone.localdate(),
    )
    return bool(program.safeguarding_required), checked


def training_state(
    *,
    edition: Edition,
    parameters: RunParameters,
    mentors: QuerySet[Application] | None = None,
) -> set[int] | None:
    """The users among `mentors` (default: the edition's accepted mentors) who completed
    the training modules the edition requires, when the run's rules include
    `required_training`; None when they do not (nobody is left out)."""
    if HardRule.REQUIRED_TRAINING not in parameters.hard_rules:
        return None
    if mentors is None:
        mentors = accepted(edition, ParticipantRole.MENTOR)
    return trained_user_ids(edition, set(mentors.values_list("user_id", flat=True)))


def apply_reservations(inputs: Inputs, rows: list[PlaceReservation]) -> list[reservations.Share]:
    """Spread the reservations over the mentors' rows (`reserved_places`, `reserved_for`)
    and name them on their partner's mentees (`partnerships`)."""
    if not rows:
        return []
    mentors = [
        (int(r["id"]), int(r["organization"]) if r["organization"] else None, r["capacity"])
        for r in inputs.mentors
    ]
    shares = reservations.distribute(rows, mentors)
    by_id = {r["id"]: r for r in inputs.mentors}
    for share in shares:
        for pk, places in share.given.items():
            by_id[str(pk)]["reserved_places"] = places
            by_id[str(pk)]["reserved_for"] = share.name
    names: dict[str, list[str]] = defaultdict(list)
    for share in shares:
        if share.placed:
            names[str(share.partner_id)].append(share.name)
    for row in inputs.mentees:
        row["partnerships"] = names.get(row["organization"], [])
    return shares


@dataclass(frozen=True)
class ReservationPreview:
    """A reservation as the next run would spread it, with the mentors' names."""

    share: reservations.Share
    mentors: list[tuple[str, int]]  # (mentor's name, places)


def preview_reservations(*, edition: Edition, default_capacity: int) -> list[ReservationPreview]:
    """How the edition's reservations would be spread over its mentors' free places now
    (the run does the same with the mentors it reads), in a fixed number of queries."""
    rows = reservations.reservations_of(edition)
    if not rows:
        return []
    _paired, used = pairs.active_load(edition=edition)
    capacities = mentor_capacities(edition=edition, default=default_capacity)
    mentors = accepted(edition, ParticipantRole.MENTOR).filter(pk__in=list(capacities))
    values = list(
        mentors.values_list("pk", "organization_id", "user__first_name", "user__last_name")
    )
    free = [(pk, org, capacities[pk] - used.get(pk, 0)) for pk, org, _first, _last in values]
    names = {pk: f"{first} {last}".strip() for pk, _org, first, last in values}
    return [
        ReservationPreview(share, [(names[pk], n) for pk, n in share.given.items()])
        for share in reservations.distribute(rows, free)
    ]


def build(inputs: Inputs, parameters: RunParameters) -> Problem:
    """The engine's problem."""
    try:
        return build_problem(
            inputs.mentees,
            inputs.mentors,
            criteria=parameters.criteria(safeguarding_for_minors=inputs.safeguarding_for_minors),
            locked=inputs.locked,
            excluded=inputs.excluded,
            previous=inputs.previous,
            conflicts=inputs.conflicts,
        )
    except EngineInputError as error:
        raise DomainError(_engine_message(error, inputs)) from None


def _engine_message(error: EngineInputError, inputs: Inputs) -> str:
    side = inputs.mentors if error.params.get("side") == "mentors" else inputs.mentees
    who = ""
    if error.row is not None and 0 <= error.row < len(side):
        who = side[error.row]["name"]
    if error.code == "locked_over_capacity":
        return _("Locked pairs give a mentor more mentees than their capacity.")
    return _("The profile of %(who)s cannot be used for matching (%(column)s: “%(value)s”).") % {
        "who": who or _("a participant"),
        "column": error.column or "?",
        "value": error.params.get("value", ""),
    }
