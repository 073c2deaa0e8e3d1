"""Database reads of the reports: every function aggregates in the database and returns
plain numbers, in a fixed number of queries whatever the size of the program.

Pairs come from `mentorships.selectors.program_mentorships` and health from
`health_state_counts` (the rules of `compute_health`), so reports count what the
follow-up pages show.
Nothing here reads private session notes."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import (
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, Least, TruncDate, TruncMonth

from mentorat.applications.models import Application, ApplicationStatus
from mentorat.conversations.models import Message
from mentorat.mentorships.health import HealthState
from mentorat.mentorships.models import (
    AssessmentPhase,
    CheckIn,
    EndReason,
    Meeting,
    MeetingStatus,
    Mentorship,
    MentorshipStatus,
    Outcome,
    SessionLog,
    SkillAssessment,
)
from mentorat.mentorships.selectors import health_state_counts, program_mentorships
from mentorat.participants.models import Gender
from mentorat.programs.models import ParticipantRole, ProgramKind
from mentorat.reports.figures import DAYS_PER_MONTH
from mentorat.reports.scope import Scope

# Pairs that went to their planned end or reached their goals early.
COMPLETED_REASONS = (EndReason.PROGRAM_ENDED, EndReason.GOALS_REACHED)
WOMAN = Gender.WOMAN
MAN = Gender.MAN
# People who gave their gender (it is optional); the others are left out of shares.
GENDERS = Gender.values


def priority_group_filter(group: str, *, prefix: str = "user__profile__") -> Q:
    # Priority groups are a JSON list of codes. PostgreSQL tests list containment
    # directly; elsewhere (SQLite, where JSON `contains` does not exist) the quoted code
    # is matched in the JSON text, which gives the same answer for lists of codes but
    # costs PostgreSQL a text copy of the list and a case-folded search per person.
    if connection.vendor == "postgresql":
        return Q(**{f"{prefix}priority_groups__contains": [group]})
    return Q(**{f"{prefix}priority_groups__icontains": f'"{group}"'})


def _person_filters(scope: Scope, *, prefix: str, mentee: bool) -> Q:
    f = scope.filters
    q = Q()
    if f.rome_domain:
        q &= Q(**{f"{prefix}rome_domain": f.rome_domain})
    if f.field:
        q &= Q(**{f"{prefix}field__iexact": f.field})
    if f.priority_group and mentee:
        q &= priority_group_filter(f.priority_group, prefix=prefix)
    return q


# Applications ------------------------------------------------------------------------------


def applications(scope: Scope, *, role: str) -> QuerySet[Application]:
    """Applications of one role in scope. Occupation and field filters apply to both
    roles; the priority-group filter to mentees only (mentors are not in those groups)."""
    f = scope.filters
    qs = Application.objects.filter(edition__program=scope.program, role=role)
    if scope.organizations is not None:
        qs = qs.filter(organization_id__in=scope.organizations)
    if f.organization_id:
        qs = qs.filter(organization_id=f.organization_id)
    if f.edition_id:
        qs = qs.filter(edition_id=f.edition_id)
    if f.date_from:
        qs = qs.filter(submitted_at__date__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(submitted_at__date__lte=f.date_to)
    return qs.filter(
        _person_filters(scope, prefix="user__profile__", mentee=role == ParticipantRole.MENTEE)
    )


def accepted_only(scope: Scope) -> QuerySet[Application]:
    return applications(scope, role=ParticipantRole.MENTEE).filter(
        status=ApplicationStatus.ACCEPTED
    )


@dataclass(frozen=True)
class Ratio:
    part: int
    whole: int


@dataclass(frozen=True)
class ApplicationCounts:
    mentee_applications: int = 0
    mentor_applications: int = 0
    accepted_mentors: int = 0
    accepted_mentors_gender_known: int = 0
    accepted_mentors_women: int = 0


@dataclass(frozen=True)
class ApplicationGroup:
    """Applications in scope of one role, status, occupation domain and month of
    acceptance (None: not accepted, or no date), counted: `n`, `gender_known`,
    `women`, `men`, `group_<code>` per priority group and `old_<N>` (accepted at least
    N days ago) per N asked for."""

    role: str
    status: str
    rome_domain: str
    month: date | None
    counts: dict[str, int]

    @property
    def accepted_mentees(self) -> bool:
        return self.role == ParticipantRole.MENTEE and self.status == ApplicationStatus.ACCEPTED


def application_groups(
    scope: Scope, *, groups: Iterable[str] = (), within_days: Iterable[int] = ()
) -> list[ApplicationGroup]:
    """Every count of applications the reports show, in one grouped query: the
    application counts, the accepted mentees of the coverage and the gender by field
    are sums over these groups."""
    mentees = applications(scope, role=ParticipantRole.MENTEE)
    mentors = applications(scope, role=ParticipantRole.MENTOR)
    rows = (
        (mentees | mentors)
        .annotate(month=TruncMonth("accepted_at"))
        .order_by()
        .values("role", "status", "user__profile__rome_domain", "month")
        .annotate(
            n=Count("pk"),
            gender_known=Count("pk", filter=Q(user__profile__gender__in=GENDERS)),
            women=Count("pk", filter=Q(user__profile__gender=WOMAN)),
            men=Count("pk", filter=Q(user__profile__gender=MAN)),
            **{f"group_{g}": Count("pk", filter=priority_group_filter(g)) for g in groups},
            **{
                f"old_{n}": Count("pk", filter=Q(accepted_at__lte=scope.now - timedelta(days=n)))
                for n in within_days
            },
        )
    )
    keys = ("role", "status", "user__profile__rome_domain", "month")
    return [
        ApplicationGroup(
            role=row["role"],
            status=row["status"],
            rome_domain=row["user__profile__rome_domain"] or "",
            month=_as_date(row["month"]) if row["month"] is not None else None,
            counts={k: int(v) for k, v in row.items() if k not in keys},
        )
        for row in rows
    ]


def _sum(rows: Iterable["ApplicationGroup | FirstPairGroup"], key: str) -> int:
    return sum(row.counts.get(key, 0) for row in rows)


def application_counts(rows: list[ApplicationGroup]) -> ApplicationCounts:
    mentees = [r for r in rows if r.role == ParticipantRole.MENTEE]
    mentors = [r for r in rows if r.role == ParticipantRole.MENTOR]
    accepted = [r for r in mentors if r.status == ApplicationStatus.ACCEPTED]
    return ApplicationCounts(
        mentee_applications=_sum(mentees, "n"),
        mentor_applications=_sum(mentors, "n"),
        accepted_mentors=_sum(accepted, "n"),
        accepted_mentors_gender_known=_sum(accepted, "gender_known"),
        accepted_mentors_women=_sum(accepted, "women"),
    )


@dataclass(frozen=True)
class Coverage:
    accepted: int = 0
    matched: int = 0
    waiting: int = 0
    wait_days_total: float = 0.0  # from acceptance to the first pair's start, matched mentees
    gender_known: int = 0
    women: int = 0
    male_field_known: int = 0  # mentees of traditionally male fields who gave a gender
    male_field_women: int = 0
    female_field_known: int = 0
    female_field_men: int = 0
    # Per priority group: accepted mentees in it (whole) and those with a mentor (part).
    groups: dict[str, Ratio] = field(default_factory=dict)
    # Mentees accepted per month of acceptance, and matched per month their first pair
    # started.
    accepted_by_month: dict[date, int] = field(default_factory=dict)
    matched_by_month: dict[date, int] = field(default_factory=dict)
    # Per number of days N asked for: mentees matched within N days of their acceptance
    # (part), out of those matched or accepted at least N days ago (whole: the others
    # may still be matched in time).
    within: dict[int, Ratio] = field(default_factory=dict)


# Occupation domains (ROME) where one gender is over 70 % of the workforce in France
# (DARES, "Les métiers ont-ils un sexe ?"): construction, industry, installation and
# maintenance, transport and logistics are held mostly by men; health and personal care
# services mostly by women. Gender-diversity programs report on both.
MALE_DOMINATED_DOMAINS = ("F", "H", "I", "N")
FEMALE_DOMINATED_DOMAINS = ("J", "K")


def started_by(day: date) -> Q:
    """Pairs that have started by `day`: the one rule every coverage and time-to-match
    figure follows. A pair starts on its `started_on` (the day it was published or the
    mentor accepted the request, or the edition's start if that is later), whatever the
    day its row was written."""
    return Q(started_on__lte=day)


# A pair's mentee's profile, as a lookup prefix.
MENTEE_PROFILE = "mentee_application__user__profile__"


def first_pairs(scope: Scope) -> QuerySet[Mentorship]:
    """The first pair of each accepted mentee in scope, with `accepted_on` (the day their
    application was accepted). A pair counts from the day it started (`started_on`: the
    publication, or the edition's start when published before it), never from the day
    its row was written, and only once that day has come (`scope.period_end`). Read from
    the pairs' side (a join and an anti-join), so that PostgreSQL does not run a subquery
    per application."""
    # The program and person filters below repeat what the applications imply: they let
    # PostgreSQL leave out other programs' pairs (and, for an objective limited to an
    # occupation domain, other mentees) before the anti-join rather than after.
    of_program = Q(edition__program=scope.program)
    earlier = Mentorship.objects.filter(
        Q(started_on__lt=OuterRef("started_on"))
        | Q(started_on=OuterRef("started_on"), pk__lt=OuterRef("pk")),
        of_program,
        mentee_application=OuterRef("mentee_application"),
    )
    return Mentorship.objects.filter(
        ~Exists(earlier),
        of_program,
        _person_filters(scope, prefix=MENTEE_PROFILE, mentee=True),
        started_by(scope.period_end),
        mentee_application__in=accepted_only(scope),
    ).annotate(
        accepted_at=F("mentee_application__accepted_at"),
        accepted_on=TruncDate("mentee_application__accepted_at"),
    )


@dataclass(frozen=True)
class FirstPairGroup:
    """First pairs of accepted mentees in scope started in one month, of mentees of one
    occupation domain, counted: `matched`, `group_<code>`, `within_<N>` (started within
    N days of the acceptance), `old_<N>` (mentee accepted at least N days ago), with the
    total wait from the day of acceptance to the pair's start."""

    month: date | None
    rome_domain: str
    counts: dict[str, int]
    wait: timedelta | None


def first_pair_groups(
    scope: Scope, *, groups: Iterable[str] = (), within_days: Iterable[int] = ()
) -> list[FirstPairGroup]:
    """The first pairs the coverage counts, in one grouped query."""
    wait = ExpressionWrapper(F("started_on") - F("accepted_on"), output_field=DurationField())
    rows = (
        first_pairs(scope)
        .annotate(month=TruncMonth("started_on"))
        .order_by()
        .values("month", "mentee_application__user__profile__rome_domain")
        .annotate(
            matched=Count("pk"),
            wait_total=Sum(wait, filter=Q(accepted_at__isnull=False)),
            **{
                f"group_{g}": Count("pk", filter=priority_group_filter(g, prefix=MENTEE_PROFILE))
                for g in groups
            },
            **{
                f"within_{n}": Count(
                    "pk", filter=Q(started_on__lte=F("accepted_on") + timedelta(days=n))
                )
                for n in within_days
            },
            **{
                f"old_{n}": Count("pk", filter=Q(accepted_at__lte=scope.now - timedelta(days=n)))
                for n in within_days
            },
        )
    )
    keys = ("month", "mentee_application__user__profile__rome_domain", "wait_total")
    return [
        FirstPairGroup(
            month=_as_date(row["month"]) if row["month"] is not None else None,
            rome_domain=row["mentee_application__user__profile__rome_domain"] or "",
            counts={k: int(v) for k, v in row.items() if k not in keys},
            wait=row["wait_total"],
        )
        for row in rows
    ]


def coverage(
    people: list[ApplicationGroup],
    first: list[FirstPairGroup],
    *,
    groups: list[str] | None = None,
    within_days: Iterable[int] = (),
) -> Coverage:
    """Accepted mentees, how many have a mentor and after how long (within each of
    `within_days` too), their gender and priority groups, per month, from a scope's
    `application_groups` and `first_pair_groups`."""
    groups = groups or []
    days = sorted(set(within_days))
    accepted_rows = [row for row in people if row.accepted_mentees]
    male_field = [r for r in accepted_rows if r.rome_domain in MALE_DOMINATED_DOMAINS]
    female_field = [r for r in accepted_rows if r.rome_domain in FEMALE_DOMINATED_DOMAINS]
    accepted_by_month: dict[date, int] = {}
    for row in accepted_rows:
        if row.month is not None:
            accepted_by_month[row.month] = accepted_by_month.get(row.month, 0) + row.counts["n"]
    matched_by_month: dict[date, int] = {}
    for pair in first:
        if pair.month is not None:
            matched_by_month[pair.month] = (
                matched_by_month.get(pair.month, 0) + pair.counts["matched"]
            )
    waits = [pair.wait for pair in first if pair.wait is not None]
    wait_total = sum(waits, timedelta()) if waits else None
    accepted, matched = _sum(accepted_rows, "n"), _sum(first, "matched")
    return Coverage(
        accepted=accepted,
        matched=matched,
        waiting=accepted - matched,
        wait_days_total=max(wait_total.total_seconds(), 0) / 86400 if wait_total else 0.0,
        gender_known=_sum(accepted_rows, "gender_known"),
        women=_sum(accepted_rows, "women"),
        male_field_known=_sum(male_field, "gender_known"),
        male_field_women=_sum(male_field, "women"),
        female_field_known=_sum(female_field, "gender_known"),
        female_field_men=_sum(female_field, "men"),
        groups={
            g: Ratio(_sum(first, f"group_{g}"), _sum(accepted_rows, f"group_{g}")) for g in groups
        },
        accepted_by_month=accepted_by_month,
        matched_by_month=matched_by_month,
        # Accepted N days ago or more and still without a mentor: all those accepted
        # then, less those of them who have one (each has exactly one first pair).
        within={
            n: Ratio(
                _sum(first, f"within_{n}"),
                matched + _sum(accepted_rows, f"old_{n}") - _sum(first, f"old_{n}"),
            )
            for n in days
        },
    )


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


@dataclass(frozen=True)
class FieldRow:
    rome_domain: str
    mentees: int
    mentees_gender_known: int
    mentee_women: int
    mentors: int
    mentors_gender_known: int
    mentor_women: int


def gender_by_field(people: list[ApplicationGroup]) -> list[FieldRow]:
    """Accepted mentees and mentors per occupation domain with their gender (from the
    scope's `application_groups`)."""
    table: dict[str, dict[str, int]] = {}
    for row in people:
        if row.status != ApplicationStatus.ACCEPTED:
            continue
        prefix = "mentee" if row.role == ParticipantRole.MENTEE else "mentor"
        entry = table.setdefault(row.rome_domain, {})
        for key, count in (
            (f"{prefix}s", row.counts["n"]),
            (f"{prefix}s_gender_known", row.counts["gender_known"]),
            (f"{prefix}_women", row.counts["women"]),
        ):
            entry[key] = entry.get(key, 0) + count
    return [
        FieldRow(
            rome_domain=domain,
            mentees=entry.get("mentees", 0),
            mentees_gender_known=entry.get("mentees_gender_known", 0),
            mentee_women=entry.get("mentee_women", 0),
            mentors=entry.get("mentors", 0),
            mentors_gender_known=entry.get("mentors_gender_known", 0),
            mentor_women=entry.get("mentor_women", 0),
        )
        for domain, entry in sorted(table.items())
    ]


# Pairs -------------------------------------------------------------------------------------


def pairs(scope: Scope) -> QuerySet[Mentorship]:
    """Pairs in scope: of the program, with people of the reader's organisations (as the
    follow-up pages decide), filtered on the mentee and active during the period."""
    f = scope.filters
    qs = Mentorship.objects.filter(edition__program=scope.program)
    if scope.organizations is not None:
        qs = qs.filter(
            pk__in=program_mentorships(
                program=scope.program, scope=set(scope.organizations)
            ).values("pk")
        )
    if f.organization_id:
        qs = qs.filter(
            pk__in=program_mentorships(program=scope.program, scope={f.organization_id}).values(
                "pk"
            )
        )
    if f.edition_id:
        qs = qs.filter(edition_id=f.edition_id)
    if f.date_to:
        qs = qs.filter(started_on__lte=f.date_to)
    if f.date_from:
        qs = qs.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=f.date_from))
    return qs.filter(_person_filters(scope, prefix=MENTEE_PROFILE, mentee=True))


@dataclass(frozen=True)
class PairCounts:
    total: int = 0
    active: int = 0
    ended: int = 0
    completed: int = 0
    started: int = 0  # pairs whose start date has come
    pair_days: float = 0.0  # days of mentoring within the period, all pairs added up
    genders_known: int = 0
    mixed: int = 0
    meetings_held: int = 0


def pair_counts(scope: Scope, *, meetings_held: int) -> PairCounts:
    """Pairs by status, completed ones, mixed pairs and days of mentoring (one query);
    the meetings held in the period are counted by `activity_by_month`."""
    f = scope.filters
    end = Least(
        Coalesce("ended_on", Value(scope.period_end), output_field=DateField()),
        Value(scope.period_end),
        output_field=DateField(),
    )
    start = (
        Greatest("started_on", Value(f.date_from), output_field=DateField())
        if f.date_from
        else F("started_on")
    )
    days = ExpressionWrapper(end - start, output_field=DurationField())
    started = Q(started_on__lte=scope.period_end)
    known = Q(
        mentor_application__user__profile__gender__in=GENDERS,
        mentee_application__user__profile__gender__in=GENDERS,
    )
    mixed = Q(
        mentor_application__user__profile__gender=WOMAN,
        mentee_application__user__profile__gender=MAN,
    ) | Q(
        mentor_application__user__profile__gender=MAN,
        mentee_application__user__profile__gender=WOMAN,
    )
    qs = pairs(scope)
    row = qs.aggregate(
        total=Count("pk"),
        active=Count("pk", filter=Q(status=MentorshipStatus.ACTIVE)),
        ended=Count("pk", filter=Q(status=MentorshipStatus.ENDED)),
        completed=Count(
            "pk", filter=Q(status=MentorshipStatus.ENDED, end_reason__in=COMPLETED_REASONS)
        ),
        started=Count("pk", filter=started),
        pair_days=Sum(days, filter=started),
        genders_known=Count("pk", filter=known),
        mixed=Count("pk", filter=known & mixed),
    )
    pair_days: timedelta | None = row.pop("pair_days")
    return PairCounts(
        **{k: int(v or 0) for k, v in row.items()},
        pair_days=max(pair_days.total_seconds(), 0) / 86400 if pair_days else 0.0,
        meetings_held=meetings_held,
    )


def supported_at_least(scope: Scope, *, months: int) -> Ratio:
    """Pairs that lasted at least `months` (part), out of those that did or have ended
    (whole): a pair still running for less than that may still get there."""
    days = timedelta(days=round(months * DAYS_PER_MONTH))
    reached = Q(started_on__lte=scope.today - days) & (
        Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on") + days)
    )
    row = pairs(scope).aggregate(
        part=Count("pk", filter=reached),
        whole=Count("pk", filter=reached | Q(status=MentorshipStatus.ENDED)),
    )
    return Ratio(int(row["part"]), int(row["whole"]))


def health_counts(scope: Scope) -> dict[HealthState, int]:
    """Active pairs per health state, by the follow-up's own rules, counted in the
    database (see `health_state_counts`)."""
    editions = scope.program.editions.all()
    return health_state_counts(pairs(scope), editions=editions, now=scope.now)


@dataclass(frozen=True)
class Satisfaction:
    respondents: int = 0
    satisfied: int = 0  # latest satisfaction of 4 or 5
    total: int = 0  # sum of the latest satisfaction scores
    distribution: dict[int, int] = field(default_factory=dict)  # score → respondents


def _answered(scope: Scope, *, column: str) -> QuerySet[CheckIn]:
    """Each respondent's latest answered check-in of a pair with `column` filled in."""
    f = scope.filters
    later = CheckIn.objects.filter(
        mentorship=OuterRef("mentorship"),
        respondent=OuterRef("respondent"),
        answered_at__gt=OuterRef("answered_at"),
        **{f"{column}__isnull": False},
    )
    qs = CheckIn.objects.filter(
        mentorship__in=pairs(scope).values("pk"),
        answered_at__isnull=False,
        **{f"{column}__isnull": False},
    )
    if f.date_from:
        qs = qs.filter(answered_at__date__gte=f.date_from)
        later = later.filter(answered_at__date__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(answered_at__date__lte=f.date_to)
        later = later.filter(answered_at__date__lte=f.date_to)
    return qs.filter(~Exists(later))


def satisfaction(scope: Scope) -> Satisfaction:
    """Latest satisfaction (1–5) of each person in each pair, by score (one query)."""
    rows = dict(
        _answered(scope, column="satisfaction")
        .order_by()
        .values("satisfaction")
        .annotate(n=Count("pk"))
        .values_list("satisfaction", "n")
    )
    distribution = {score: int(rows.get(score, 0)) for score in range(1, 6)}
    return Satisfaction(
        respondents=sum(distribution.values()),
        satisfied=distribution[4] + distribution[5],
        total=sum(score * n for score, n in distribution.items()),
        distribution=distribution,
    )


@dataclass(frozen=True)
class Recommendation:
    respondents: int = 0
    promoters: int = 0
    detractors: int = 0


def recommendation(scope: Scope) -> Recommendation:
    """Latest "would recommend" answer (0–10) of each person in each pair (one query)."""
    row = _answered(scope, column="recommend").aggregate(
        respondents=Count("pk"),
        promoters=Count("pk", filter=Q(recommend__gte=9)),
        detractors=Count("pk", filter=Q(recommend__lte=6)),
    )
    return Recommendation(**{k: int(v or 0) for k, v in row.items()})


@dataclass(frozen=True)
class MentorTime:
    minutes: int = 0
    mentors: int = 0


def _logs(scope: Scope) -> QuerySet[SessionLog]:
    f = scope.filters
    logs = SessionLog.objects.filter(mentorship__in=pairs(scope).values("pk"))
    if f.date_from:
        logs = logs.filter(meeting__starts_at__date__gte=f.date_from)
    if f.date_to:
        logs = logs.filter(meeting__starts_at__date__lte=f.date_to)
    return logs


def mentor_time(scope: Scope) -> MentorTime:
    """Minutes of logged sessions and the number of mentors who logged them."""
    row = _logs(scope).aggregate(
        minutes=Sum("duration_minutes"),
        mentors=Count("mentorship__mentor_application__user", distinct=True),
    )
    return MentorTime(minutes=int(row["minutes"] or 0), mentors=int(row["mentors"] or 0))


@dataclass(frozen=True)
class Activity:
    months: dict[date, int]  # meetings held per month
    minutes: dict[date, int]  # minutes logged per month


def activity_by_month(scope: Scope) -> Activity:
    """Meetings held and minutes logged per month of the meeting, in one pass over the
    meetings of the pairs in scope and their logs (one log per meeting at most)."""
    f = scope.filters
    meetings = Meeting.objects.filter(mentorship__in=pairs(scope).values("pk"))
    if f.date_from:
        meetings = meetings.filter(starts_at__date__gte=f.date_from)
    if f.date_to:
        meetings = meetings.filter(starts_at__date__lte=f.date_to)
    held = Q(status=MeetingStatus.ACCEPTED, starts_at__lte=scope.now)
    rows = list(
        meetings.annotate(month=TruncMonth("starts_at"))
        .order_by()
        .values("month")
        .annotate(n=Count("pk", filter=held), minutes=Sum("log__duration_minutes"))
        .values_list("month", "n", "minutes")
    )
    return Activity(
        months={_as_date(m): n for m, n, _minutes in rows if n},
        minutes={_as_date(m): int(minutes) for m, _n, minutes in rows if minutes is not None},
    )


@dataclass(frozen=True)
class MessageActivity:
    """The pairs' messages, counted as the health rules count them: written by the
    mentor or the mentee (not by a coordinator), not removed."""

    messages: int = 0  # messages written in the period
    months: dict[date, int] = field(default_factory=dict)  # messages per month
    started: int = 0  # pairs started by the end of the period
    # Of those, the pairs with no contact at all: no meeting held and no message written
    # since they started (whatever the period).
    no_contact: int = 0


def _pair_messages() -> QuerySet[Message]:
    return Message.objects.filter(removed_at__isnull=True).filter(
        Q(author_id=F("thread__mentorship__mentor_application__user_id"))
        | Q(author_id=F("thread__mentorship__mentee_application__user_id"))
    )


def message_activity(scope: Scope) -> MessageActivity:
    """Messages per month of the pairs in scope, and their pairs with no contact at all
    (two queries)."""
    f = scope.filters
    messages = _pair_messages().filter(thread__mentorship__in=pairs(scope).values("pk"))
    if f.date_from:
        messages = messages.filter(created_at__date__gte=f.date_from)
    if f.date_to:
        messages = messages.filter(created_at__date__lte=f.date_to)
    months = {
        _as_date(month): int(n)
        for month, n in messages.annotate(month=TruncMonth("created_at"))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    }
    met = Meeting.objects.filter(
        mentorship=OuterRef("pk"), status=MeetingStatus.ACCEPTED, starts_at__lte=scope.now
    )
    wrote = _pair_messages().filter(thread__mentorship=OuterRef("pk"))
    started = Q(started_on__lte=scope.period_end)
    row = pairs(scope).aggregate(
        started=Count("pk", filter=started),
        no_contact=Count("pk", filter=started & ~Exists(met) & ~Exists(wrote)),
    )
    return MessageActivity(
        messages=sum(months.values()),
        months=months,
        started=int(row["started"] or 0),
        no_contact=int(row["no_contact"] or 0),
    )


@dataclass(frozen=True)
class SkillProgress:
    mentees: int = 0  # pairs with a start and end self-assessment of a same skill
    ratings: int = 0
    start_total: int = 0
    end_total: int = 0


def skill_progress(scope: Scope) -> SkillProgress:
    """Mentees' self-assessed levels of each skill at the start and at the end (one
    query over the skills rated at both)."""
    start_level = Subquery(
        SkillAssessment.objects.filter(
            mentorship=OuterRef("mentorship"),
            skill=OuterRef("skill"),
            rater_role=ParticipantRole.MENTEE,
            phase=AssessmentPhase.START,
        ).values("level")[:1],
        output_field=IntegerField(),
    )
    row = (
        SkillAssessment.objects.filter(
            mentorship__in=pairs(scope).values("pk"),
            rater_role=ParticipantRole.MENTEE,
            phase=AssessmentPhase.END,
        )
        .annotate(start_level=start_level)
        .filter(start_level__isnull=False)
        .aggregate(
            mentees=Count("mentorship", distinct=True),
            ratings=Count("pk"),
            start_total=Sum("start_level"),
            end_total=Sum("level"),
        )
    )
    return SkillProgress(**{k: int(v or 0) for k, v in row.items()})


@dataclass(frozen=True)
class OutcomeRow:
    stage: str
    situation: str
    gender: str
    count: int
    career_changers: int


def outcome_rows(scope: Scope) -> list[OutcomeRow]:
    """Outcomes per stage, situation and mentee gender, with how many of them were
    mentees changing careers (one query)."""
    f = scope.filters
    qs = Outcome.objects.filter(mentorship__in=pairs(scope).values("pk"))
    if f.date_from:
        qs = qs.filter(recorded_at__date__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(recorded_at__date__lte=f.date_to)
    if scope.program.kind == ProgramKind.CAREER_CHANGE:
        changer = Q()
    else:
        changer = Q(
            mentorship__mentee_application__user__profile__goals__icontains='"career_change"'
        )
    rows = (
        qs.order_by()
        .values("stage", "situation", "mentorship__mentee_application__user__profile__gender")
        .annotate(n=Count("pk"), changers=Count("pk", filter=changer))
    )
    return [
        OutcomeRow(
            stage=r["stage"],
            situation=r["situation"],
            gender=r["mentorship__mentee_application__user__profile__gender"] or "",
            count=r["n"],
            career_changers=r["changers"],
        )
        for r in rows
    ]
