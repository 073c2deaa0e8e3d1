"""Reads for pairs: workspace content, health in bulk (one query for any number of pairs),
dashboards, calendars. Reports (issue 7) count states with `health_state_counts`.

Nothing here reads `PrivateNote` except `private_notes_of`, which takes the author."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from mentorat.accounts.models import User
from mentorat.lib.compiled_sql import CompiledQuery
from mentorat.mentorships.health import (
    AT_RISK_INTERVALS,
    LOW_SATISFACTION,
    MIDDLING_SATISFACTION,
    STALE_PROPOSAL_DAYS,
    Health,
    HealthFacts,
    HealthState,
    compute_health,
    expected_interval_days,
)
from mentorat.mentorships.models import (
    REMATCH_REASONS,
    CheckIn,
    Goal,
    GoalUpdate,
    Meeting,
    MeetingStatus,
    Mentorship,
    MentorshipStatus,
    Outcome,
    PrivateNote,
    Resource,
    SessionLog,
    SkillAssessment,
)
from mentorat.organizations.models import Membership
from mentorat.participants.models import Skill
from mentorat.permissions.mentorships import followed_mentorships_filter
from mentorat.permissions.programs import STAFF_ROLES
from mentorat.programs.models import Edition, ParticipantRole, Program


def _latest_satisfaction(role: str) -> Subquery:
    return Subquery(
        CheckIn.objects.filter(mentorship=OuterRef("pk"), role=role, satisfaction__isnull=False)
        .order_by("-answered_at")
        .values("satisfaction")[:1],
        output_field=IntegerField(),
    )


# The pairs' messages (the conversations app, which sits above this one) are reached
# through the reverse relations `thread__messages`, without importing it. A message
# counts as contact when the mentor or the mentee wrote it and it was not removed; in one
# `filter()` call these conditions all bear on the same message.
PAIR_MESSAGE = Q(thread__messages__removed_at__isnull=True) & (
    Q(thread__messages__author_id=F("mentor_application__user_id"))
    | Q(thread__messages__author_id=F("mentee_application__user_id"))
)


def messaged_since(since: datetime) -> QuerySet[Mentorship, Any]:
    """Ids of the pairs whose people wrote a message at or after `since` (a set the
    database builds once, for conditions on many pairs)."""
    return (
        Mentorship.objects.filter(PAIR_MESSAGE, thread__messages__created_at__gte=since)
        .order_by()
        .values("pk")
    )


def _last_message_at() -> Subquery:
    return Subquery(
        Mentorship.objects.filter(PAIR_MESSAGE, pk=OuterRef("pk"))
        .order_by("-thread__messages__created_at")
        .values("thread__messages__created_at")[:1]
    )


def _health_fact_annotations(now: datetime) -> dict[str, Subquery]:
    """What `compute_health` reads, one subquery each."""
    accepted = Meeting.objects.filter(mentorship=OuterRef("pk"), status=MeetingStatus.ACCEPTED)
    return {
        "last_meeting_at": Subquery(
            accepted.filter(starts_at__lte=now).order_by("-starts_at").values("starts_at")[:1]
        ),
        "next_meeting_at": Subquery(
            accepted.filter(starts_at__gt=now).order_by("starts_at").values("starts_at")[:1]
        ),
        "oldest_proposal_at": Subquery(
            Meeting.objects.filter(mentorship=OuterRef("pk"), status=MeetingStatus.PROPOSED)
            .order_by("proposed_at")
            .values("proposed_at")[:1]
        ),
        "mentor_satisfaction": _latest_satisfaction(ParticipantRole.MENTOR),
        "mentee_satisfaction": _latest_satisfaction(ParticipantRole.MENTEE),
        "last_message_at": _last_message_at(),
    }


def with_health_facts(queryset: QuerySet[Mentorship], *, now: datetime) -> QuerySet[Mentorship]:
    """Annotate each pair with what `compute_health` needs, plus the logged minutes and
    the number of meetings held, all as subqueries (no join fan-out, no N+1)."""
    logged = (
        SessionLog.objects.filter(mentorship=OuterRef("pk"))
        .order_by()
        .values("mentorship")
        .annotate(total=Sum("duration_minutes"))
        .values("total")
    )
    held = (
        Meeting.objects.filter(
            mentorship=OuterRef("pk"), status=MeetingStatus.ACCEPTED, starts_at__lte=now
        )
        .order_by()
        .values("mentorship")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        **_health_fact_annotations(now),
        logged_minutes=Coalesce(Subquery(logged, output_field=IntegerField()), Value(0)),
        meetings_held=Coalesce(Subquery(held, output_field=IntegerField()), Value(0)),
    )


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _no_meeting_for_more_than(days: int, *, today: date) -> Q:
    """More than `days` days since the last meeting held, or since the start if none:
    `(today - reference).days > days`, with the last meeting's local date."""
    limit = today - timedelta(days=days)
    return Q(last_meeting_at__isnull=True, started_on__lt=limit) | Q(
        last_meeting_at__lt=_local_midnight(limit)
    )


def _latest_scores(edition_ids: list[int]) -> QuerySet[CheckIn]:
    """Each person's latest satisfaction in each pair of those editions (what
    `_latest_satisfaction` reads per pair), as one set the database builds once."""
    later = CheckIn.objects.filter(
        mentorship=OuterRef("mentorship"),
        role=OuterRef("role"),
        satisfaction__isnull=False,
        answered_at__gt=OuterRef("answered_at"),
    )
    return CheckIn.objects.filter(
        ~Exists(later), mentorship__edition_id__in=edition_ids, satisfaction__isnull=False
    )


def health_state_conditions(*, editions: Iterable[Edition], today: date) -> dict[HealthState, Q]:
    """`compute_health`'s rules as conditions on pairs of `editions` annotated with
    `_health_count_facts`: the pairs at risk, and the pairs at risk or to watch. Built
    from the same constants, so that pairs are counted per state in the database without
    one `Health` each.

    Every condition is positive (no NOT over a nullable column, whose NULL would drop the
    pair from both sides): "to watch" is "at risk or to watch" minus "at risk"."""
    editions = list(editions)
    started = Q(started_on__lte=today)
    low = Q(low_score=True)
    # The lower score is 3 when one score is 3 and none is 2 or less (those are at risk).
    middling = Q(middling_score=True)
    planned = Q(next_meeting_at__isnull=False)
    not_planned = Q(next_meeting_at__isnull=True)
    # waited >= STALE_PROPOSAL_DAYS <=> proposed before the day after today - that.
    stale = Q(
        oldest_proposal_at__lt=_local_midnight(today - timedelta(days=STALE_PROPOSAL_DAYS - 1))
    )
    risky, watched = low, stale | middling
    for rhythm in sorted({e.meetings_per_month for e in editions}):
        interval = expected_interval_days(rhythm)
        long_gap = _no_meeting_for_more_than(AT_RISK_INTERVALS * interval, today=today)
        gap = _no_meeting_for_more_than(interval, today=today)
        of_rhythm = Q(edition_id__in=[e.pk for e in editions if e.meetings_per_month == rhythm])
        # A message within the last interval: since the local midnight `interval` days ago.
        messaged = Q(pk__in=messaged_since(_local_midnight(today - timedelta(days=interval))))
        risky |= of_rhythm & long_gap & not_planned & ~messaged
        watched |= of_rhythm & ((long_gap & (planned | messaged)) | (gap & not_planned))
    return {
        HealthState.AT_RISK: started & risky,
        HealthState.TO_WATCH: started & (risky | watched),
    }


def _health_count_facts(editions: list[Edition], now: datetime) -> dict[str, Any]:
    """What `health_state_conditions` reads, per pair: the meetings as aggregates over a
    join and the scores as two sets built once, rather than subqueries per pair.
    PostgreSQL would copy a subquery into every condition that reads its column (running
    it ten times over), and the estimated cost of subqueries per pair makes it spend
    40–100 ms compiling the query (JIT)."""
    accepted = Q(meetings__status=MeetingStatus.ACCEPTED)
    scores = _latest_scores([e.pk for e in editions])

    def score_in(condition: Q) -> ExpressionWrapper[Q]:
        pairs = scores.filter(condition).values("mentorship_id")
        return ExpressionWrapper(Q(pk__in=pairs), output_field=BooleanField())

    return {
        "last_meeting_at": Max(
            "meetings__starts_at", filter=accepted & Q(meetings__starts_at__lte=now)
        ),
        "next_meeting_at": Min(
            "meetings__starts_at", filter=accepted & Q(meetings__starts_at__gt=now)
        ),
        "oldest_proposal_at": Min(
            "meetings__proposed_at", filter=Q(meetings__status=MeetingStatus.PROPOSED)
        ),
        "low_score": score_in(Q(satisfaction__lte=LOW_SATISFACTION)),
        "middling_score": score_in(Q(satisfaction=MIDDLING_SATISFACTION)),
    }


def health_state_counts(
    queryset: QuerySet[Mentorship], *, editions: Iterable[Edition], now: datetime
) -> dict[HealthState, int]:
    """Active pairs of `queryset` per health state, in one aggregate query; `editions`
    are all those the pairs may belong to (their rhythms set the rules)."""
    editions = list(editions)
    conditions = health_state_conditions(editions=editions, today=timezone.localdate(now))
    row = (
        queryset.filter(status=MentorshipStatus.ACTIVE)
        .annotate(**_health_count_facts(editions, now))
        .aggregate(
            total=Count("pk"),
            flagged=Count("pk", filter=conditions[HealthState.TO_WATCH]),
            at_risk=Count("pk", filter=conditions[HealthState.AT_RISK]),
        )
    )
    return {
        HealthState.ON_TRACK: row["total"] - row["flagged"],
        HealthState.TO_WATCH: row["flagged"] - row["at_risk"],
        HealthState.AT_RISK: row["at_risk"],
    }


def _local_date(value: datetime | None) -> date | None:
    return timezone.localdate(value) if value is not None else None


def health_facts(mentorship: Mentorship) -> HealthFacts:
    """Facts of a pair annotated by `with_health_facts`."""
    return HealthFacts(
        started_on=mentorship.started_on,
        last_meeting_on=_local_date(getattr(mentorship, "last_meeting_at", None)),
        next_meeting_on=_local_date(getattr(mentorship, "next_meeting_at", None)),
        oldest_proposal_on=_local_date(getattr(mentorship, "oldest_proposal_at", None)),
        last_message_on=_local_date(getattr(mentorship, "last_message_at", None)),
        mentor_satisfaction=getattr(mentorship, "mentor_satisfaction", None),
        mentee_satisfaction=getattr(mentorship, "mentee_satisfaction", None),
    )


@dataclass
class PairHealth:
    mentorship: Mentorship
    health: Health

    @property
    def state(self) -> HealthState:
        return self.health.state


def pair_health(mentorship: Mentorship, *, now: datetime) -> Health:
    """Health of an annotated active pair (see `with_health_facts`)."""
    return compute_health(
        health_facts(mentorship),
        mentorship.edition.meetings_per_month,
        timezone.localdate(now),
    )


def _health_of_query(*, pk: int, now: datetime) -> QuerySet[Mentorship]:
    return with_health_facts(Mentorship.objects.filter(pk=pk).select_related("edition"), now=now)


# Compiled once per process (mentorat.lib.compiled_sql): building and compiling the six
# subqueries of the facts cost more CPU than the rest of a workspace's queries.
_HEALTH_OF = CompiledQuery(_health_of_query, pk=int, now=datetime)


def health_of(*, mentorship: Mentorship, now: datetime) -> Health:
    """Health of one pair, read from the database (one query)."""
    (annotated,) = _HEALTH_OF.fetch(pk=mentorship.pk, now=now)
    return pair_health(annotated, now=now)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def active_pairs_health(queryset: QuerySet[Mentorship], *, now: datetime) -> list[PairHealth]:
    """Active pairs of `queryset` with their health, at risk first, then to watch, then
    the longest without a meeting."""
    pairs = with_health_facts(
        queryset.filter(status=MentorshipStatus.ACTIVE).select_related(
            "edition", "edition__program", "mentor_application__user", "mentee_application__user"
        ),
        now=now,
    )
    return _sorted_health(pairs, now)


def _program_pairs_query(*, program_id: int, now: datetime) -> QuerySet[Mentorship]:
    return with_health_facts(
        Mentorship.objects.filter(
            edition__program_id=program_id, status=MentorshipStatus.ACTIVE
        ).select_related(
            "edition", "edition__program", "mentor_application__user", "mentee_application__user"
        ),
        now=now,
    )


_PROGRAM_PAIRS = CompiledQuery(_program_pairs_query, program_id=int, now=datetime)


def program_pairs_health(
    *, program: Program, scope: set[int] | None, now: datetime
) -> list[PairHealth]:
    """`active_pairs_health` of the pairs of `program` within `scope` (see
    `program_mentorships`); without a scope, from a statement compiled once per process."""
    if scope is not None:
        return active_pairs_health(program_mentorships(program=program, scope=scope), now=now)
    return _sorted_health(_PROGRAM_PAIRS.fetch(program_id=program.pk, now=now), now)


def program_mentorships(*, program: Program, scope: set[int] | None) -> QuerySet[Mentorship]:
    """Pairs of `program`; with a `scope` (partner staff), only those where the mentor or
    the mentee belongs to one of those organisations."""
    pairs = Mentorship.objects.filter(edition__program=program)
    if scope is not None:
        pairs = pairs.filter(
            Q(mentor_application__user__memberships__organization_id__in=scope)
            | Q(mentee_application__user__memberships__organization_id__in=scope)
        ).distinct()
    return pairs


def followed_mentorships(*, user: User) -> QuerySet[Mentorship]:
    """All pairs `user` follows as coordinator, across programs."""
    return Mentorship.objects.filter(followed_mentorships_filter(user)).distinct()


ENDED_SHOWN = 50  # the ended pairs a program's follow-up lists, last ended first


def _ended_pairs_query(*, program_id: int) -> QuerySet[Mentorship]:
    return (
        Mentorship.objects.filter(edition__program_id=program_id, status=MentorshipStatus.ENDED)
        .select_related("edition", "mentor_application__user", "mentee_application__user")
        .order_by("-ended_on", "-pk")[:ENDED_SHOWN]
    )


_ENDED_PAIRS = CompiledQuery(_ended_pairs_query, program_id=int)


def last_ended_pairs(*, program: Program, scope: set[int] | None) -> list[Mentorship]:
    """The last `ENDED_SHOWN` of `ended_pairs`, with their outcomes (without a scope,
    from a statement compiled once per process)."""
    if scope is not None:
        return list(ended_pairs(program=program, scope=scope)[:ENDED_SHOWN])
    pairs = _ENDED_PAIRS.fetch(program_id=program.pk)
    prefetch_related_objects(pairs, "outcomes")
    return pairs


def ended_pairs(*, program: Program, scope: set[int] | None) -> QuerySet[Mentorship]:
    return (
        program_mentorships(program=program, scope=scope)
        .filter(status=MentorshipStatus.ENDED)
        .select_related("edition", "mentor_application__user", "mentee_application__user")
        .prefetch_related("outcomes")
        .order_by("-ended_on", "-pk")
    )


def mentorships_of_user(*, user: User) -> QuerySet[Mentorship]:
    """The pairs `user` is in, as mentor or mentee, active first."""
    return (
        Mentorship.objects.filter(
            Q(mentor_application__user=user) | Q(mentee_application__user=user)
        )
        .select_related(
            "edition", "edition__program", "mentor_application__user", "mentee_application__user"
        )
        .order_by("status", "-started_on", "-pk")
    )


# The workspace's reads, compiled once per process (mentorat.lib.compiled_sql): every
# pair page makes them, and building each query took the ORM more CPU than PostgreSQL
# spends answering it (the coordinator's summary: eight queries, about a fifth of its
# CPU); prepared, PostgreSQL no longer plans them on every request either. Each returns
# what the pair's related manager returned, rows pointing at `mentorship`.


def _pair_goals_query(*, pk: int) -> QuerySet[Goal]:
    return Goal.objects.filter(mentorship_id=pk)


def _pair_goal_skills_query(*, pk: int) -> QuerySet[Any]:
    # The skills in their model's order (by name), as the prefetch read them.
    return (
        Goal.skills.through.objects.filter(goal__mentorship_id=pk)
        .select_related("skill")
        .order_by("skill__name")
    )


def _pair_goal_updates_query(*, pk: int) -> QuerySet[GoalUpdate]:
    return GoalUpdate.objects.filter(goal__mentorship_id=pk).select_related("author")


def _pair_meetings_query(*, pk: int) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(mentorship_id=pk)
        .select_related("proposed_by", "log")
        .order_by("-starts_at")
    )


def _pair_check_ins_query(*, pk: int) -> QuerySet[CheckIn]:
    # The pk after the time: rows answered at the same instant came in the order of
    # the plan, which varied from one request to the next.
    return (
        CheckIn.objects.filter(mentorship_id=pk, answered_at__isnull=False)
        .select_related("respondent")
        .order_by("-answered_at", "-pk")
    )


def _pair_pending_check_ins_query(*, pk: int, user_id: int) -> QuerySet[CheckIn]:
    return pending_check_ins(user=User(pk=user_id)).filter(mentorship_id=pk)


def _pair_assessments_query(*, pk: int) -> QuerySet[SkillAssessment]:
    return (
        SkillAssessment.objects.filter(mentorship_id=pk)
        .select_related("skill")
        .order_by("skill__name")
    )


def _pair_outcomes_query(*, pk: int) -> QuerySet[Outcome]:
    return Outcome.objects.filter(mentorship_id=pk)


def _pair_resources_query(*, pk: int) -> QuerySet[Resource]:
    return Resource.objects.filter(mentorship_id=pk).select_related("added_by")


def _pair_resource_count_query(*, pk: int) -> QuerySet[Mentorship, dict[str, Any]]:
    # Grouped by the pair: one row, 0 when nothing is shared.
    return Mentorship.objects.filter(pk=pk).values("pk").annotate(n=Count("resources"))


_PAIR_GOALS = CompiledQuery(_pair_goals_query, pk=int)
_PAIR_GOAL_SKILLS = CompiledQuery(_pair_goal_skills_query, pk=int)
_PAIR_GOAL_UPDATES = CompiledQuery(_pair_goal_updates_query, pk=int)
_PAIR_MEETINGS = CompiledQuery(_pair_meetings_query, pk=int)
_PAIR_CHECK_INS = CompiledQuery(_pair_check_ins_query, pk=int)
_PAIR_PENDING_CHECK_INS = CompiledQuery(_pair_pending_check_ins_query, pk=int, user_id=int)
_PAIR_ASSESSMENTS = CompiledQuery(_pair_assessments_query, pk=int)
_PAIR_OUTCOMES = CompiledQuery(_pair_outcomes_query, pk=int)
_PAIR_RESOURCES = CompiledQuery(_pair_resources_query, pk=int)
_PAIR_RESOURCE_COUNT = CompiledQuery(_pair_resource_count_query, pk=int)


def _of_pair(rows: list[Any], mentorship: Mentorship) -> list[Any]:
    """`rows` pointing at `mentorship`, as the rows of its related managers do."""
    for row in rows:
        row.mentorship = mentorship
    return rows


def pair_goals(*, mentorship: Mentorship) -> list[Goal]:
    """The pair's goals, without their skills and updates (the overview counts them)."""
    return _of_pair(_PAIR_GOALS.fetch(pk=mentorship.pk), mentorship)


def workspace_goals(*, mentorship: Mentorship) -> list[Goal]:
    """The pair's goals with their skills and updates (and each update's author), as
    `prefetch_related("skills", "updates", "updates__author")` leaves them: three
    statements compiled once per process, the authors read with the updates."""
    goals = pair_goals(mentorship=mentorship)
    if not goals:
        return goals
    skills: dict[int, list[Skill]] = {}
    for link in _PAIR_GOAL_SKILLS.fetch(pk=mentorship.pk):
        skills.setdefault(link.goal_id, []).append(link.skill)
    updates: dict[int, list[GoalUpdate]] = {}
    for update in _PAIR_GOAL_UPDATES.fetch(pk=mentorship.pk):
        updates.setdefault(update.goal_id, []).append(update)
    for goal in goals:
        for name, rows in (("skills", skills), ("updates", updates)):
            # What prefetch_related stores: the relation's queryset, already evaluated.
            found = getattr(goal, name).all()
            found._result_cache = rows.get(goal.pk, [])
            found._prefetch_done = True
            goal.__dict__.setdefault("_prefetched_objects_cache", {})[name] = found
        for update in updates.get(goal.pk, []):
            update.goal = goal
    return goals


def workspace_meetings(*, mentorship: Mentorship) -> list[Meeting]:
    """Meetings with their shared log, latest first; private notes are not loaded here."""
    return _of_pair(_PAIR_MEETINGS.fetch(pk=mentorship.pk), mentorship)


def pair_pending_check_ins(*, mentorship: Mentorship, user: User) -> list[CheckIn]:
    """The check-ins of the pair waiting for `user`'s answer (`pending_check_ins`)."""
    return _PAIR_PENDING_CHECK_INS.fetch(pk=mentorship.pk, user_id=user.pk)


def pair_outcomes(*, mentorship: Mentorship) -> list[Outcome]:
    return _of_pair(_PAIR_OUTCOMES.fetch(pk=mentorship.pk), mentorship)


def pair_resources(*, mentorship: Mentorship) -> list[Resource]:
    """The links the pair shares, latest first, with who added each."""
    return _of_pair(_PAIR_RESOURCES.fetch(pk=mentorship.pk), mentorship)


def pair_resource_count(*, mentorship: Mentorship) -> int:
    return int(_PAIR_RESOURCE_COUNT.row(pk=mentorship.pk)["n"])


def private_notes_of(*, author: User, mentorship: Mentorship) -> dict[int, str]:
    """The author's own private notes on the pair's sessions, by session log id."""
    return dict(
        PrivateNote.objects.filter(author=author, session_log__mentorship=mentorship).values_list(
            "session_log_id", "text"
        )
    )


def mentor_minutes(*, user: User) -> int:
    """Minutes of logged sessions where `user` was the mentor (for recognition)."""
    total = SessionLog.objects.filter(mentorship__mentor_application__user=user).aggregate(
        total=Sum("duration_minutes")
    )["total"]
    return int(total or 0)


def meetings_of_user(*, user: User) -> QuerySet[Meeting]:
    """Every meeting of every pair `user` is in, for the calendar feed."""
    return (
        Meeting.objects.filter(
            Q(mentorship__mentor_application__user=user)
            | Q(mentorship__mentee_application__user=user)
        )
        .select_related(
            "mentorship",
            "mentorship__mentor_application__user",
            "mentorship__mentee_application__user",
        )
        .order_by("starts_at")
    )


def pending_check_ins(*, user: User) -> QuerySet[CheckIn]:
    return (
        CheckIn.objects.filter(respondent=user, answered_at__isnull=True)
        .select_related("mentorship", "mentorship__edition__program")
        .order_by("sent_at")
    )


def check_in_summary(*, mentorship: Mentorship) -> list[CheckIn]:
    """Answered check-ins of a pair (scores and comments; what coordinators see), latest
    answered first; answered at the same instant (the demo's are), latest sent first."""
    return _of_pair(_PAIR_CHECK_INS.fetch(pk=mentorship.pk), mentorship)


def assessment_table(*, mentorship: Mentorship) -> list[dict[str, object]]:
    """One row per assessed skill: start and end levels by the mentee and by the mentor."""
    rows: dict[int, dict[str, object]] = {}
    for a in _PAIR_ASSESSMENTS.fetch(pk=mentorship.pk):
        row = rows.setdefault(a.skill_id, {"skill": a.skill})
        row[f"{a.phase}_{a.rater_role}"] = a.level
    return list(rows.values())


# The columns the home's pair cards show (mentorships/_home.html): building the whole
# applications, users, edition and program of each pair took ~1 ms of CPU a home.
_PERSON = ("first_name", "last_name", "email")
_HOME_PAIR_COLUMNS = (
    "edition__program__name",
    *(f"mentor_application__user__{name}" for name in _PERSON),
    *(f"mentee_application__user__{name}" for name in _PERSON),
)


def _home_pairs_query(*, user_id: int) -> QuerySet[Mentorship]:
    return (
        mentorships_of_user(user=User(pk=user_id))
        .filter(status=MentorshipStatus.ACTIVE)
        .only(*_HOME_PAIR_COLUMNS)
    )


def _home_upcoming_query(*, user_id: int, now: datetime) -> QuerySet[Meeting]:
    """The coming meetings (proposed or accepted) of the active pairs of `user_id`."""
    return Meeting.objects.filter(
        mentorship__in=_home_pairs_query(user_id=user_id).values("pk"),
        status__in=(MeetingStatus.PROPOSED, MeetingStatus.ACCEPTED),
        starts_at__gte=now,
    ).order_by("starts_at", "pk")


def _home_check_ins_query(*, user_id: int) -> QuerySet[CheckIn]:
    # The columns the home shows: a link to each check-in and its program's name.
    return pending_check_ins(user=User(pk=user_id)).only("mentorship__edition__program__name")


# Compiled once per process (mentorat.lib.compiled_sql): on every participant's home.
_HOME_PAIRS = CompiledQuery(_home_pairs_query, user_id=int)
_HOME_UPCOMING = CompiledQuery(_home_upcoming_query, user_id=int, now=datetime)
_HOME_CHECK_INS = CompiledQuery(_home_check_ins_query, user_id=int)


def _home_pairs(*, user: User, now: datetime) -> list[Mentorship]:
    """The active pairs of `user`, each with its coming meetings (proposed or accepted)
    as `upcoming`, soonest first: two statements compiled once per process."""
    pairs: list[Mentorship] = _HOME_PAIRS.fetch(user_id=user.pk)
    if not pairs:
        return pairs
    upcoming: dict[int, list[Meeting]] = {}
    for meeting in _HOME_UPCOMING.fetch(user_id=user.pk, now=now):
        upcoming.setdefault(meeting.mentorship_id, []).append(meeting)
    for pair in pairs:
        pair.upcoming = upcoming.get(pair.pk, [])  # type: ignore[attr-defined]
    return pairs


def _home_followed_query(*, user_id: int, now: datetime) -> QuerySet[Mentorship]:
    """The active pairs `user_id` follows as staff (`followed_mentorships_filter`, with
    the person's organisations read in subqueries rather than listed: the SQL then
    depends on no data and is compiled once per process), with their health facts and
    program."""
    staff = Membership.objects.filter(user_id=user_id, role__in=STAFF_ROLES).values(
        "organization_id"
    )
    # As partner staff: the program is shared with that organisation, and one side of
    # the pair belongs to it.
    partner = Membership.objects.filter(
        organization_id__in=staff, organization__shared_programs=OuterRef("edition__program_id")
    ).filter(
        Q(user_id=OuterRef("mentor_application__user_id"))
        | Q(user_id=OuterRef("mentee_application__user_id"))
    )
    followed = Mentorship.objects.filter(
        Q(edition__program__organization_id__in=staff) | Exists(partner),
        status=MentorshipStatus.ACTIVE,
    )
    return with_health_facts(followed.select_related("edition__program"), now=now)


_HOME_FOLLOWED = CompiledQuery(_home_followed_query, user_id=int, now=datetime)


def _sorted_health(pairs: Iterable[Mentorship], now: datetime) -> list[PairHealth]:
    """`active_pairs_health`'s order for pairs already read with their facts."""
    rows = [PairHealth(m, pair_health(m, now=now)) for m in pairs]
    rows.sort(
        key=lambda r: (
            -r.state,
            getattr(r.mentorship, "last_meeting_at", None) or _EPOCH,
            r.mentorship.pk,
        )
    )
    return rows


@dataclass
class ProgramFollowup:
    program: Program
    at_risk: int = 0
    to_watch: int = 0
    on_track: int = 0


@dataclass
class HomeFollowup:
    """The home page's follow-up block: one's own pairs and, for coordinators, the
    programs whose pairs they follow with counts per state."""

    pairs: list[Mentorship]
    check_ins: list[CheckIn]
    programs: list[ProgramFollowup]

    def __bool__(self) -> bool:
        return bool(self.pairs or self.check_ins or self.programs)


def home_followup(
    *,
    user: User,
    now: datetime,
    in_pairs: bool = True,
    check_ins: bool = True,
    follows: bool = True,
) -> HomeFollowup:
    """The follow-up block. `in_pairs=False` / `check_ins=False`: the caller knows that
    `user` is in no pair / has no check-in to answer (the home page counted no
    application), and those reads are skipped; `follows=False`: `user` is staff of no
    organisation, so follows no pair (building the health query for nothing cost ~8 ms
    of CPU on every mentor's and mentee's home)."""
    programs: dict[int, ProgramFollowup] = {}
    followed = (
        _sorted_health(_HOME_FOLLOWED.fetch(user_id=user.pk, now=now), now) if follows else []
    )
    for row in followed:
        program = row.mentorship.edition.program
        line = programs.setdefault(program.pk, ProgramFollowup(program=program))
        if row.state == HealthState.AT_RISK:
            line.at_risk += 1
        elif row.state == HealthState.TO_WATCH:
            line.to_watch += 1
        else:
            line.on_track += 1
    return HomeFollowup(
        pairs=_home_pairs(user=user, now=now) if in_pairs else [],
        check_ins=_HOME_CHECK_INS.fetch(user_id=user.pk) if check_ins else [],
        programs=sorted(programs.values(), key=lambda p: (-p.at_risk, -p.to_watch)),
    )


def mentees_to_rematch(*, edition: Edition) -> QuerySet[User]:
    """Mentees of `edition` whose pair ended early for a reason that calls for a new
    mentor (not a good fit, no contact, mentor left, other) and who have no active pair:
    the matching (issue 5) offers them a new match."""
    active = Mentorship.objects.filter(
        mentee_application__user=OuterRef("pk"),
        mentee_application__edition=edition,
        status=MentorshipStatus.ACTIVE,
    )
    return (
        User.objects.filter(
            applications__edition=edition,
            applications__mentorships_as_mentee__status=MentorshipStatus.ENDED,
            applications__mentorships_as_mentee__end_reason__in=REMATCH_REASONS,
        )
        .exclude(Exists(active))
        .distinct()
    )
