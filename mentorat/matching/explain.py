"""Explanations for one mentee: the proposed pair, the best alternatives and why each
was not chosen, and the score of any pair a coordinator considers. Reads only.

The engine is given this mentee and every available mentor; `rank_mentors` also lists the
best-scoring mentors whatever the rules, so that a coordinator sees the good candidates a
rule ruled out, and why."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from matching_engine import (
    Explanation,
    Problem,
    RankedMentor,
    alternative_reason,
    explain_pair,
    rank_mentors,
    suggest,
)
from matching_engine.explain import compatibility_percent
from matching_engine.rome import domain_of, normalise
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.lib.errors import DomainError
from mentorat.matching import inputs as run_inputs
from mentorat.matching import pairs
from mentorat.matching.inputs import mentor_key
from mentorat.matching.models import (
    MatchRun,
    MentorRequest,
    PlaceReservation,
    Proposal,
    RunMentor,
)
from mentorat.matching.parameters import RunParameters
from mentorat.matching.selectors import mentor_loads
from mentorat.mentorships.models import Mentorship
from mentorat.participants.models import Profile, Skill
from mentorat.programs.models import Edition, MatchingSettings, ParticipantRole

# Compatibility: the one score people see -----------------------------------------------------


@dataclass(frozen=True)
class Compatibility:
    """A pair's `points` out of the `best` its program's criteria allow, and the
    percentage every page, export and email shows (`compatibility_percent`: rounded half
    up, within 0–100; None when the program weighs no criterion)."""

    points: float
    best: int

    @property
    def percent(self) -> int | None:
        """The compatibility from 0 to 100 (None when no criterion can score)."""
        return compatibility_percent(self.points, self.best)


def best_points(parameters: RunParameters) -> int:
    """The most points a pair can reach under these parameters: the program's weights
    applied to every criterion's maximum (the engine's `Weights.max_score`)."""
    return parameters.criteria().weights.max_score()


def run_best_points(run: MatchRun) -> int:
    """`best_points` of the parameters the run was computed with (stored with the run, so
    later changes of the program's weights do not change its percentages)."""
    return best_points(RunParameters.from_json(run.parameters))


def program_best_points(program_id: int) -> int:
    """`best_points` of a program's current matching settings (self-matching requests)."""
    settings = MatchingSettings.objects.filter(program_id=program_id).first()
    return best_points(RunParameters.from_settings(settings))


def stored_explanation(parts: list[dict[str, Any]], *, best: int, **source: int) -> dict[str, Any]:
    """What a mentorship keeps of the matching: the score parts, the best possible points
    they are measured against, and where the pair came from (`run=` or `request=`)."""
    return {"parts": parts, "best_points": best, **source}


def mentorship_compatibility(mentorship: Mentorship) -> Compatibility | None:
    """The compatibility of a pair the matching created (None for a pair made by hand).
    The best possible points are the ones stored with the pair, else those of the run
    that proposed it, else the program's current settings (pairs stored before)."""
    if mentorship.score is None:
        return None
    explanation = mentorship.explanation or {}
    best = explanation.get("best_points")
    if best is None and explanation.get("run"):
        parameters = (
            MatchRun.objects.filter(pk=explanation["run"])
            .values_list("parameters", flat=True)
            .first()
        )
        if parameters is not None:
            best = best_points(RunParameters.from_json(parameters))
    if best is None:
        best = program_best_points(mentorship.edition.program_id)
    return Compatibility(points=float(mentorship.score), best=int(best))


def proposal_compatibility(proposal: Proposal, *, best: int) -> Compatibility | None:
    """A proposed pair's compatibility (None for a mentee left unmatched); `best` is
    `run_best_points` of its run, computed once per page."""
    if proposal.mentor_id is None or proposal.score is None:
        return None
    return Compatibility(points=float(proposal.score), best=best)


def request_compatibility(found: MentorRequest, *, best: int) -> Compatibility | None:
    """A self-matching request's compatibility; `best` is `program_best_points`."""
    if found.score is None:
        return None
    return Compatibility(points=float(found.score), best=best)


def pair_explanation(
    *, edition: Edition, parameters: RunParameters, mentee: Application, mentor: Application
) -> Explanation:
    """The engine's breakdown of one given pair under `parameters`, whatever the rules and
    the mentor's places (pairs written directly, e.g. the demo's history)."""
    mentees = run_inputs.mentee_rows(
        Application.objects.filter(pk=mentee.pk), priority_groups=parameters.priority_groups
    )
    mentors = run_inputs.mentor_rows(
        Application.objects.filter(pk=mentor.pk), capacities={mentor.pk: 1}
    )
    problem = run_inputs.build(run_inputs.Inputs(mentees=mentees, mentors=mentors), parameters)
    return explain_pair(problem, 0, 0)


@dataclass
class Candidate:
    mentor_id: int
    name: str
    score: float
    parts: list[tuple[str, float]]
    reason: str
    reason_code: str
    free: int
    #: best possible points of the criteria the mentor was scored with
    best: int = 0

    @property
    def assignable(self) -> bool:
        return not (self.reason_code.startswith("rule_") or self.reason_code == "excluded")

    @property
    def compatibility(self) -> Compatibility:
        """The score as shown: the percentage of the best possible points."""
        return Compatibility(points=self.score, best=self.best)


@dataclass
class PairCheck:
    score: float
    explanation: Explanation
    free: int
    best: int = 0

    @property
    def compatibility(self) -> Compatibility:
        """The score as shown: the percentage of the best possible points."""
        return Compatibility(points=self.score, best=self.best)


@dataclass
class MenteeReview:
    parts: list[tuple[str, float]] = field(default_factory=list)
    alternatives: list[Candidate] = field(default_factory=list)
    #: the mentors with a place left to choose from (id, name, mentees proposed in this
    #: run, places), at most `MENTOR_CHOICES` (those whose name matches a search)
    mentors: list[tuple[int, str, int, int]] = field(default_factory=list)
    #: more mentors than listed: the page offers a search by name
    more_mentors: bool = False


#: How many mentors the assignment form lists at most (a national edition has 100,000).
MENTOR_CHOICES = 300


def mentor_choices(
    *,
    run: MatchRun,
    search: str = "",
    include: int | None = None,
    suggested: Sequence[int] = (),
) -> tuple[list[tuple[int, str, int, int]], bool]:
    """The mentors of the run's edition with a place left (id, name, mentees proposed in
    the run, places left), by name, at most `MENTOR_CHOICES` of them, those whose name
    contains `search` when given; `include` (the mentor being considered) is listed too.
    And whether more mentors match: then, without a search, the list holds the `suggested`
    mentors (the review's best alternatives) rather than the first names of the alphabet,
    and sorting a national edition's mentors by name at every view is not needed. Six
    queries at most whatever the edition's size."""
    mentors = run_inputs.accepted(run.edition, ParticipantRole.MENTOR)
    if search:
        mentors = mentors.filter(
            Q(user__first_name__icontains=search) | Q(user__last_name__icontains=search)
        )
    named = ("pk", "user__first_name", "user__last_name")
    # Whether there are more than can be listed: the first rows found, in no order, say it.
    more = (
        not search and mentors.order_by().values("pk")[MENTOR_CHOICES : MENTOR_CHOICES + 1].exists()
    )
    if more:
        rows = list(mentors.filter(pk__in=list(suggested)).values_list(*named))
    else:
        rows = list(
            mentors.order_by("user__first_name", "user__last_name", "pk").values_list(*named)[
                : MENTOR_CHOICES + 1
            ]
        )
        more = len(rows) > MENTOR_CHOICES
        rows = rows[:MENTOR_CHOICES]
    if include is not None and include not in {pk for pk, _f, _l in rows}:
        rows += list(
            run_inputs.accepted(run.edition, ParticipantRole.MENTOR)
            .filter(pk=include)
            .values_list("pk", "user__first_name", "user__last_name")
        )
    ids = [pk for pk, _f, _l in rows]
    parameters = RunParameters.from_json(run.parameters)
    capacities = run_inputs.mentor_capacities(
        edition=run.edition, default=parameters.default_capacity, mentor_ids=ids
    )
    taken = pairs.active_mentees_per_mentor(mentor_application_ids=ids)
    loads = mentor_loads(run=run, mentor_ids=ids)
    choices = []
    for pk, first, last in rows:
        places = capacities.get(pk, 0) - taken.get(pk, 0)
        if places > 0:
            choices.append((pk, f"{first} {last}".strip(), loads.get(pk, 0), places))
    return sorted(choices, key=lambda m: m[1]), more


@dataclass
class _Context:
    data: run_inputs.Inputs
    problem: Problem
    index: dict[int, int]
    free: np.ndarray
    assignment: np.ndarray
    parameters: RunParameters


def _parts(explanation: Explanation, language: str) -> list[tuple[str, float]]:
    return [(p.text(language), p.points) for p in explanation.parts if p.points]


def mentee_context(
    *,
    edition: Edition,
    parameters: RunParameters,
    mentee_id: int,
    loads: Callable[[list[int]], dict[int, int]],
    current_mentor: int | None,
    mentors_where: Q | None = None,
    mentee: run_inputs.MenteeInputs | None = None,
) -> _Context:
    """The engine's problem for one mentee and every mentor with a place left in the
    edition (those `mentors_where` selects, when given); `loads` gives the mentees
    already given to each of these mentors (in a run). `mentee`: the mentee's inputs
    when already read (`inputs.read_mentees`)."""
    if mentee is None:
        mentee = run_inputs.read_mentees(
            edition=edition, parameters=parameters, mentee_ids=[mentee_id]
        )
    mentors = run_inputs.read_mentors(
        edition=edition, parameters=parameters, used=mentee.used, where=mentors_where
    )
    return _problem_context(run_inputs.assemble(mentee, mentors), parameters, loads, current_mentor)


def _problem_context(
    data: run_inputs.Inputs,
    parameters: RunParameters,
    loads: Callable[[list[int]], dict[int, int]],
    current_mentor: int | None,
) -> _Context:
    """`mentee_context` of the rows read."""
    if not data.mentees:
        raise DomainError(
            _("This mentee is no longer waiting for a mentor (already paired, or withdrawn).")
        )
    problem = run_inputs.build(data, parameters)
    index = {int(row["id"]): j for j, row in enumerate(data.mentors)}
    counted = loads(list(index)) if data.mentors else {}
    free = np.array(
        [
            int(row["capacity"])
            - counted.get(int(row["id"]), 0)
            + (int(row["id"]) == current_mentor)
            for row in data.mentors
        ],
        np.int64,
    )
    current = index.get(current_mentor, -1) if current_mentor is not None else -1
    return _Context(data, problem, index, free, np.array([current], np.int64), parameters)


def _context(
    run: MatchRun,
    mentee_id: int,
    current_mentor: int | None,
    mentors_where: Q | None = None,
    *,
    counted: bool = True,
    mentee: run_inputs.MenteeInputs | None = None,
) -> _Context:
    """`mentee_context` in the run; `counted=False`: the free places do not count the
    run's proposals yet (the caller counts those of the mentors it shows); `mentee`: the
    mentee's inputs when already read."""

    def loads(mentor_ids: list[int]) -> dict[int, int]:
        if not counted:
            return {}
        # A few mentors: counted for them alone; every mentor: one grouped query.
        if mentors_where is None:
            return mentor_loads(run=run)
        return mentor_loads(run=run, mentor_ids=mentor_ids)

    return mentee_context(
        edition=run.edition,
        parameters=RunParameters.from_json(run.parameters),
        mentee_id=mentee_id,
        loads=loads,
        current_mentor=current_mentor,
        mentors_where=mentors_where,
        mentee=mentee,
    )


def _no_loads(_mentor_ids: list[int]) -> dict[int, int]:
    return {}


def _whole_edition_needed(edition: Edition) -> bool:
    """Places reserved for partners are spread over all of an organisation's mentors
    (`inputs.apply_reservations`): with reservations, a problem of a few mentors would
    spread them differently, so every mentor is read."""
    return PlaceReservation.objects.filter(edition=edition).exists()


#: How near to the mentee the mentors read first are, nearest first (`near_mentors`): the
#: same field and at least one skill the mentee wants; the same field and a skill or the
#: same occupation; the same field; the same field or ROME domain. At 200,000 × 100,000,
#: the first tier (~500 mentors) is enough for most mentees, the second (~1,200) for the
#: others; the same field is ~3,300 mentors, the same domain ~13,000.
TIERS = ("skill", "occupation", "field", "domain")

#: (field, ROME domain, occupation) of some of an edition's mentors, and their ids.
MentorGroup = tuple[str, str, str, list[int]]


@dataclass(frozen=True)
class MenteeKeys:
    """What `near_mentors` compares, as the engine compares it: the mentee's normalised
    field and target occupation, and its ROME domain letter (from the domain, else the
    field, else the occupation)."""

    field: str
    letter: str | None
    occupation: str


def mentee_keys(mentee: run_inputs.Row) -> MenteeKeys:
    """The `MenteeKeys` of a mentee's row (`inputs.mentee_rows`)."""
    field_text, domain_text, occupation_text = (
        str(mentee[name] or "").strip() for name in ("field", "domain", "target_occupation")
    )
    letter = domain_of(domain_text) or domain_of(field_text) or domain_of(occupation_text)
    return MenteeKeys(normalise(field_text), letter, normalise(occupation_text))


@dataclass
class Nearby:
    """What `near_mentors` reads for one mentee, each read at most once: the mentors of
    its field offering one of the skills it wants (`skilled`, at the first tier), and
    the mentors grouped by field, domain and occupation when a later tier needs them —
    for a run that kept its mentors (`RunMentor`), only those changed since the run
    (`changed`); for a run written before, every mentor of the edition (`groups`). The
    mentee's keys and wanted skills come from its row, read with the rest of its inputs
    (`nearby_of`)."""

    run: MatchRun
    mentee_id: int
    keys: MenteeKeys
    #: names of the skills the mentee wants, as its profile spells them
    wanted: list[str]
    skilled: list[int] | None = None
    #: a run that kept its mentors: those it kept near the mentee, by tier (`kept_near`)
    kept: dict[str, list[int] | None] = field(default_factory=dict)
    #: a run that kept its mentors: those whose application or profile changed since
    changed: list[MentorGroup] | None = None
    #: a run written before it kept its mentors: every mentor of the edition
    groups: list[MentorGroup] | None = None

    @property
    def edition(self) -> Edition:
        return self.run.edition


def nearby_of(*, run: MatchRun, mentee: run_inputs.Row) -> Nearby:
    """The `Nearby` of a mentee's row (`inputs.mentee_rows`), nothing read yet."""
    return Nearby(run, int(mentee["id"]), mentee_keys(mentee), list(mentee["skills"]))


def near_mentors(*, nearby: Nearby, tier: str) -> list[int] | None:
    """The mentors near the mentee at this tier (`TIERS`), or None when the mentee has
    nothing to compare at this tier: the "skill" tier from `sharing_a_skill` (current
    profiles), the others from the mentors as the run read them (`kept_near`: their
    field, domain and occupation at the time of the run, through an index) joined with
    those changed since the run (`Nearby.changed`), or, for a run that did not keep them,
    from the edition's mentor groups (`Nearby.groups`); each group list read on the
    first need."""
    keys = nearby.keys
    kept = bool(nearby.run.summary.get("mentors_kept"))
    if tier == "skill":
        among = None
        if kept and keys.field and any(normalise(name) for name in nearby.wanted):
            # Those of the mentee's field now: of it at the run, or changed since.
            among = _kept_or_changed(nearby, tier="field")
        nearby.skilled = sharing_a_skill(
            edition=nearby.edition, wanted=nearby.wanted, keys=keys, among=among
        )
        return None if nearby.skilled is None else list(nearby.skilled)
    if tier == "occupation" and not (keys.field and keys.occupation):
        return None
    if kept:
        near = _kept_or_changed(nearby, tier=tier)
        if near is None:
            return None
        skilled = (nearby.skilled or ()) if tier == "occupation" else ()
        return sorted(set(near).union(skilled))
    if nearby.groups is None:
        nearby.groups = mentor_groups(nearby.edition)
    near = _near_in_groups(keys=keys, groups=nearby.groups, tier=tier)
    if tier == "occupation" and near is not None:
        return sorted(set(near).union(nearby.skilled or ()))
    return near


def _kept_or_changed(nearby: Nearby, *, tier: str) -> list[int] | None:
    """The mentors the run kept near the mentee at this tier (`kept_near`), and those
    accepted or whose profile changed since the run near it now (`Nearby.changed`, read
    on the first need); None when the mentee has nothing to compare at this tier. Each
    tier's kept mentors are read once (`Nearby.kept`)."""
    if tier not in nearby.kept:
        nearby.kept[tier] = kept_near(run=nearby.run, keys=nearby.keys, tier=tier)
    near = nearby.kept[tier]
    if near is None:
        return None
    if nearby.changed is None:
        nearby.changed = mentor_groups(nearby.edition, changed_since=nearby.run.created_at)
    changed = _near_in_groups(keys=nearby.keys, groups=nearby.changed, tier=tier) or []
    return sorted(set(near).union(changed))


def _near_in_groups(*, keys: MenteeKeys, groups: list[MentorGroup], tier: str) -> list[int] | None:
    """`in_groups`, and at the "occupation" tier the mentors of the same field and
    occupation."""
    if tier != "occupation":
        return in_groups(keys=keys, groups=groups, tier=tier)
    return sorted(
        pk
        for f, d, o, ids in groups
        if mentor_key(f, d, o)[::2] == (keys.field, keys.occupation)
        for pk in ids
    )


def kept_near(*, run: MatchRun, keys: MenteeKeys, tier: str) -> list[int] | None:
    """The mentors the run kept (`RunMentor`) near the mentee at the "occupation" (the
    same field and occupation), "field" or "domain" tier (the same field, or the same
    ROME domain letter), compared as `in_groups` compares them; None when the mentee has
    nothing to compare at this tier. One query through the index on (run, field,
    occupation), or on (run, letter) for the domain."""
    kept = RunMentor.objects.filter(run=run)
    if tier == "occupation":
        if not (keys.field and keys.occupation):
            return None
        kept = kept.filter(field=keys.field, occupation=keys.occupation)
    elif tier == "field":
        if not keys.field:
            return None
        kept = kept.filter(field=keys.field)
    else:
        near = Q()
        if keys.field:
            near |= Q(field=keys.field)
        if keys.letter is not None:
            near |= Q(letter=keys.letter)
        if not near:
            return None
        kept = kept.filter(near)
    return sorted(kept.values_list("mentor_id", flat=True))


def in_groups(*, keys: MenteeKeys | None, groups: list[MentorGroup], tier: str) -> list[int] | None:
    """The mentors of `groups` near the mentee at the "field" or "domain" tier: sharing
    its field, or its field or ROME domain, as the engine compares them (normalised
    field; domain letter from the domain, else the field, else the occupation:
    `inputs.mentor_key`); None when the mentee has nothing to compare at this tier. Each
    group (a distinct field, domain and occupation) is judged once. Every other mentor
    scores at most `outside_bound` for this mentee."""
    if keys is None:
        return None
    if tier == "field" and not keys.field:
        return None
    if not keys.field and keys.letter is None:
        return None

    def near(f: str, d: str, o: str) -> bool:
        field_key, letter, _occupation = mentor_key(f, d, o)
        if keys.field and field_key == keys.field:
            return True
        if tier == "field":
            return False
        return keys.letter is not None and letter == keys.letter

    out = [pk for f, d, o, ids in groups if near(f, d, o) for pk in ids]
    out.sort()
    return out


def mentor_groups(edition: Edition, *, changed_since: datetime | None = None) -> list[MentorGroup]:
    """The edition's accepted mentors who have a profile, grouped by their (field, ROME
    domain, occupation): one query over the edition's mentors, grouped by the database
    on PostgreSQL (a national edition has 100,000 mentors in a few hundred groups: a row
    for each would cost more to read than the query to run). For runs written before
    they kept their mentors (`RunMentor`); with `changed_since`, only the mentors whose
    application or profile changed after it (through the indexes on their `updated_at`:
    the few accepted or edited since a run, next to those the run kept)."""
    application = connection.ops.quote_name(Application._meta.db_table)
    profile = connection.ops.quote_name(Profile._meta.db_table)
    where = (
        f"FROM {application} a JOIN {profile} p ON p.user_id = a.user_id "
        "WHERE a.edition_id = %s AND a.role = %s AND a.status = %s"
    )
    params: list[int | str | datetime] = [
        edition.pk,
        ParticipantRole.MENTOR,
        ApplicationStatus.ACCEPTED,
    ]
    if changed_since is not None:
        # Two index scans joined by UNION (one OR across both tables would read every
        # mentor of the edition), a few rows grouped here.
        rows = f"SELECT p.field, p.rome_domain, p.occupation, a.id {where}"
        with connection.cursor() as cursor:
            cursor.execute(
                f"{rows} AND a.updated_at > %s UNION {rows} AND p.updated_at > %s",
                [*params, changed_since, *params, changed_since],
            )
            return _grouped(cursor.fetchall())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT p.field, p.rome_domain, p.occupation, array_agg(a.id) "
                f"{where} GROUP BY p.field, p.rome_domain, p.occupation",
                params,
            )
            return [(f or "", d or "", o or "", list(ids)) for f, d, o, ids in cursor.fetchall()]
        cursor.execute(f"SELECT p.field, p.rome_domain, p.occupation, a.id {where}", params)
        return _grouped(cursor.fetchall())


def _grouped(rows: list[tuple[str | None, str | None, str | None, int]]) -> list[MentorGroup]:
    """(field, domain, occupation, application id) rows grouped as `mentor_groups`."""
    grouped: dict[tuple[str, str, str], list[int]] = {}
    for f, d, o, pk in rows:
        grouped.setdefault((f or "", d or "", o or ""), []).append(pk)
    return [(f, d, o, ids) for (f, d, o), ids in grouped.items()]


def sharing_a_skill(
    *,
    edition: Edition,
    wanted: Iterable[str],
    keys: MenteeKeys,
    among: list[int] | None = None,
) -> list[int] | None:
    """The edition's accepted mentors of the mentee's field (as `near_mentors` compares
    it) offering at least one of the skills it wants (`wanted`: their names), as the
    engine compares skills (normalised names); None when the mentee has no field or wants
    no skill. `among`: the mentors who can be of its field (a run's kept mentors of the
    field and those changed since), the others are not read. The skills' vocabulary is
    read to find every spelling of the mentee's skills, then the mentors offering one of
    them with their field, in one query (through the index of the skills offered, or of
    the applications `among`: a few percent of a national edition's mentors)."""
    if not keys.field:
        return None
    wanted = {normalise(name) for name in wanted} - {""}
    if not wanted:
        return None
    skill_ids = [
        pk for pk, name in Skill.objects.values_list("pk", "name") if normalise(name) in wanted
    ]
    if not skill_ids or among == []:
        return []
    return sorted(
        {
            pk
            for pk, field_text in _offering(edition=edition, skill_ids=skill_ids, among=among)
            if normalise(str(field_text or "")) == keys.field
        }
    )


def _offering(
    *, edition: Edition, skill_ids: list[int], among: list[int] | None = None
) -> list[tuple[int, str | None]]:
    """(application id, field) of the edition's accepted mentors (those `among`, when
    given) offering one of the skills, once per skill offered: from the skills offered to
    the profiles to the applications, without the users' table between them nor any
    order (the ORM's path through `user__profile` joins the users and sorts by
    submission: twice the time)."""
    quote = connection.ops.quote_name
    offered = quote(Profile.skills_offered.through._meta.db_table)
    profile = quote(Profile._meta.db_table)
    application = quote(Application._meta.db_table)
    skills = ", ".join(["%s"] * len(skill_ids))
    sql = (
        f"SELECT a.id, p.field FROM {offered} s "  # noqa: S608 — names from the models
        f"JOIN {profile} p ON p.id = s.profile_id "
        f"JOIN {application} a ON a.user_id = p.user_id "
        f"WHERE s.skill_id IN ({skills}) AND a.edition_id = %s AND a.role = %s AND a.status = %s"
    )
    params: list[int | str | list[int]] = [
        *skill_ids,
        edition.pk,
        ParticipantRole.MENTOR,
        ApplicationStatus.ACCEPTED,
    ]
    if among is not None:
        # On PostgreSQL one array parameter (thousands of mentors), as `_among`.
        if connection.vendor == "postgresql":
            sql += " AND a.id = ANY(%s)"
            params.append(among)
        else:
            sql += f" AND a.id IN ({', '.join(['%s'] * len(among))})"
            params += among
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(int(pk), field_text) for pk, field_text in cursor.fetchall()]


def _among(ids: list[int]) -> Q:
    """Applications among `ids`: on PostgreSQL one array parameter (thousands of mentors
    near a mentee: as many parameters cost more to send than the query to run)."""
    if connection.vendor == "postgresql":
        return Q(pk__in=RawSQL("SELECT unnest(%s::bigint[])", [ids]))
    return Q(pk__in=ids)


def outside_bound(problem: Problem, *, tier: str) -> int:
    """The most a mentor outside `near_mentors` at `tier` can score for the problem's
    mentee (0): the points the mentee can reach at all (criteria it has nothing for score
    0 with anyone, as in the engine's `scoring.components`), without the field's (nor, at
    the "domain" tier, the domain's); at the "skill" and "occupation" tiers, the more of
    that and of what a mentor of the same field left out can score."""
    w = problem.criteria.weights
    me = problem.mentees

    def count(bits: Any) -> int:
        return int(np.bitwise_count(bits).sum())

    occupation = w.occupation * int(me.occupation[0] >= 0)
    domain = w.domain * int(me.domain[0] >= 0)
    skills = w.skill * min(count(me.skills[0]), w.skill_max)
    # What such a mentor can still share of field, domain (scored only without the same
    # field), occupation and skills.
    same_field = w.field * int(me.field[0] >= 0)
    shared = {
        # another field, or the same field and no skill in common
        "skill": max(domain + occupation + skills, same_field + occupation),
        # another field, or the same field, no skill in common and another occupation
        "occupation": max(domain + occupation + skills, same_field),
        "field": domain + occupation + skills,
        "domain": occupation + skills,
    }[tier]
    reachable = (
        shared
        + w.goal * min(count(me.goals[0]), w.goal_max)
        + w.region * int(me.region[0] >= 0)
        + w.availability * min(count(me.availability[0]), w.availability_max)
        + w.gender * int(me.preferred_gender[0] > 0)
        + w.career_change * int(bool(me.wants_career_changer[0]))
        + w.seniority
    )
    return int(reachable)


def suggestions_for(
    *, edition: Edition, parameters: RunParameters, mentee_id: int, language: str, top_k: int
) -> list[Candidate]:
    """Self-matching: the best compatible mentors with a place left, best first."""
    ctx = mentee_context(
        edition=edition,
        parameters=parameters,
        mentee_id=mentee_id,
        loads=_no_loads,
        current_mentor=None,
    )
    if not ctx.data.mentors:
        return []
    out = []
    for suggestion in suggest(ctx.problem, [0], top_k=top_k)[0]:
        row = ctx.data.mentors[suggestion.mentor]
        out.append(
            Candidate(
                mentor_id=int(row["id"]),
                name=row["name"],
                score=suggestion.score,
                parts=_parts(suggestion.explanation, language),
                reason="",
                reason_code="suggested",
                free=int(ctx.free[suggestion.mentor]),
                best=best_points(parameters),
            )
        )
    return out


def check_request(
    *, edition: Edition, parameters: RunParameters, mentee_id: int, mentor_id: int, language: str
) -> PairCheck:
    """Self-matching: the pair must meet the rules and the mentor have a place left."""
    ctx = mentee_context(
        edition=edition,
        parameters=parameters,
        mentee_id=mentee_id,
        loads=_no_loads,
        current_mentor=None,
    )
    return _check(ctx, mentor_id, language)


def _rank_near(
    run: MatchRun, mentee: run_inputs.MenteeInputs, current_mentor: int | None, top_k: int
) -> tuple[_Context, list[RankedMentor]] | None:
    """The ranking among the mentors nearest the mentee, tier after tier (`TIERS`), once
    it is provably the ranking among all (`outside_bound`); None when no tier proves it.
    Each tier reads only the mentors the tiers before did not (the mentee's inputs are
    those given; a mentor's row does not depend on the mentee): a wider tier adds rows.
    Called only for editions without place reservations, which `inputs.assemble` would
    write into the rows shared between tiers."""
    parameters = RunParameters.from_json(run.parameters)
    nearby = nearby_of(run=run, mentee=mentee.mentees[0])
    rows: dict[int, run_inputs.Row] = {}  # the mentors read so far who have a place left
    read: set[int] = set()
    tried: list[int] | None = None
    ctx: _Context | None = None
    ranked: list[RankedMentor] = []
    for tier in TIERS:
        near = near_mentors(nearby=nearby, tier=tier)
        if near is None:
            continue
        if current_mentor is not None:
            near.append(current_mentor)
        near = sorted(set(near))
        if near != tried:  # a wider tier with the same mentors: ranked already
            new = [pk for pk in near if pk not in read]
            if new:
                for row in run_inputs.read_mentors(
                    edition=run.edition, parameters=parameters, used=mentee.used, where=_among(new)
                ):
                    rows[int(row["id"])] = row
                read.update(new)
            data = run_inputs.assemble(mentee, [rows[pk] for pk in near if pk in rows])
            ctx = _problem_context(data, parameters, _no_loads, current_mentor)
            ranked = rank_mentors(ctx.problem, 0, top_k=top_k) if ctx.data.mentors else []
            tried = near
        if (
            ctx is not None
            and len(ranked) == top_k
            and ranked[-1].score > outside_bound(ctx.problem, tier=tier)
        ):
            return ctx, ranked
    return None


def _ranked(
    run: MatchRun, mentee_id: int, current_mentor: int | None, top_k: int
) -> tuple[_Context, list[RankedMentor]]:
    """The mentee's context and its `top_k` best-scoring mentors, as `rank_mentors` ranks
    them among every mentor with a place. A national edition has 100,000 mentors: the
    mentors nearest the mentee are read first (`TIERS`), and when the last of the
    `top_k` scores more than any other mentor can (`outside_bound`), the ranking is the
    same as over every mentor (ties go by application id, the order of both reads);
    otherwise every mentor is read. The free places are counted for the ranked mentors
    only.

    Which mentors are near is read from the mentors as the run read them (`RunMentor`:
    field, ROME domain and occupation at the time of the run) joined with those whose
    application or profile changed since the run was created, as they are now
    (`mentor_groups(changed_since=...)`, through the `updated_at` indexes); at the first
    tier, those of them whose current profile is of the mentee's field and offers a
    skill it wants (skills read live: `sharing_a_skill`). The
    near set is thus a superset of the mentors truly near now (a mentor who left is
    still read), every one scored on its current profile, places and rules: the ranking
    stays that of every mentor.

    The mentee's row and what the edition says of it (pairs, exclusions, reservations)
    are read once, not at each tier."""
    mentee = run_inputs.read_mentees(
        edition=run.edition,
        parameters=RunParameters.from_json(run.parameters),
        mentee_ids=[mentee_id],
    )
    found = None
    # Places reserved for partners: every mentor is read (`_whole_edition_needed`).
    if mentee.mentees and not mentee.reservations:
        found = _rank_near(run, mentee, current_mentor, top_k)
    if found is None:
        ctx = _context(run, mentee_id, current_mentor, counted=False, mentee=mentee)
        ranked = rank_mentors(ctx.problem, 0, top_k=top_k) if ctx.data.mentors else []
    else:
        ctx, ranked = found
    # The places left of the mentors shown (and of the current one).
    shown = [int(ctx.data.mentors[r.mentor]["id"]) for r in ranked]
    if current_mentor is not None:
        shown.append(current_mentor)
    loads = mentor_loads(run=run, mentor_ids=shown)
    for mentor_id in shown:
        j = ctx.index.get(mentor_id)
        if j is not None:
            ctx.free[j] -= loads.get(mentor_id, 0)
    return ctx, ranked


def review_mentee(
    *, run: MatchRun, mentee_id: int, current_mentor: int | None, language: str, top_k: int = 5
) -> MenteeReview:
    ctx, ranked = _ranked(run, mentee_id, current_mentor, top_k + 1)
    review = MenteeReview()
    current = int(ctx.assignment[0])
    if current >= 0:
        review.parts = _parts(explain_pair(ctx.problem, 0, current), language)
    for suggestion in ranked:
        j = suggestion.mentor
        if j == current:
            continue
        reason = alternative_reason(ctx.problem, ctx.assignment, ctx.free, 0, j)
        row = ctx.data.mentors[j]
        review.alternatives.append(
            Candidate(
                mentor_id=int(row["id"]),
                name=row["name"],
                score=suggestion.score,
                parts=_parts(suggestion.explanation, language),
                reason=reason.text(language),
                reason_code=reason.code,
                free=int(ctx.free[j]),
                best=best_points(ctx.parameters),
            )
        )
    review.alternatives = review.alternatives[:top_k]
    return review


def check_pair(*, run: MatchRun, mentee_id: int, mentor_id: int, language: str) -> PairCheck:
    """Score of the pair; DomainError naming the rule when the pair is not acceptable.
    Reads this mentor alone, unless places are reserved for partners (spread over all
    the mentors of an organisation)."""
    where = None if _whole_edition_needed(run.edition) else Q(pk=mentor_id)
    return _check(_context(run, mentee_id, None, where), mentor_id, language)


def _check(ctx: _Context, mentor_id: int, language: str) -> PairCheck:
    j = ctx.index.get(mentor_id)
    if j is None:
        raise DomainError(_("This mentor has no place left in the edition."))
    unconstrained = np.full(len(ctx.free), 1, np.int64)
    reason = alternative_reason(ctx.problem, np.array([-1]), unconstrained, 0, j)
    if reason.code.startswith("rule_") or reason.code == "excluded":
        raise DomainError(reason.text(language))
    explanation = explain_pair(ctx.problem, 0, j)
    return PairCheck(
        score=explanation.total,
        explanation=explanation,
        free=int(ctx.free[j]),
        best=best_points(ctx.parameters),
    )
