"""What the home page shows. It gathers the parts each app offers (applications,
matching to-dos, programs open to applications) here, above them, so that no app reaches
into another to assemble it."""

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any

from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from mentorat.accounts.models import User
from mentorat.announcements.selectors import unread_recipients
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.applications.selectors import applications_of_user
from mentorat.conversations.models import Thread
from mentorat.conversations.selectors import unread_threads
from mentorat.lib.compiled_sql import CompiledQuery
from mentorat.matching.selectors import MatchingTodo, matching_todo_sets, requests_waiting_for
from mentorat.mentorships.models import (
    CheckIn,
    Meeting,
    MeetingStatus,
    Mentorship,
    MentorshipStatus,
    PairAnswer,
)
from mentorat.opportunities.selectors import open_for
from mentorat.organizations.models import Membership, Organization, Role
from mentorat.permissions.organizations import roles_by_organization
from mentorat.permissions.programs import STAFF_ROLES, staff_organization_ids
from mentorat.privacy.erasure.models import ErasureRequest, ErasureStatus
from mentorat.programs.models import Edition, ParticipantRole, Program
from mentorat.programs.selectors import open_programs
from mentorat.safeguarding.models import SafeguardingCheck


@dataclass
class RoleSection:
    """One block of a person's home page: a role they hold, and where they hold it."""

    role: Role
    organizations: list[Organization] = field(default_factory=list)


def member_organizations(*, user: User) -> list[Organization]:
    """The organisations `user` belongs to, by name (one query; the roles come from the
    request's memoised memberships), each with `pending_erasures`."""
    if not roles_by_organization(user):
        return []
    return _MEMBER_ORGANIZATIONS.fetch(user_id=user.pk)


def _member_organizations_query(*, user_id: int) -> QuerySet[Organization]:
    # The organisations in a subquery rather than listed: the SQL depends on no data.
    ids = Membership.objects.filter(user_id=user_id).values("organization_id")
    # With the erasure requests each must decide (its admins' to-do), in the same query.
    pending = ErasureRequest.objects.filter(
        organizations=OuterRef("pk"), status=ErasureStatus.PENDING
    )
    return (
        Organization.objects.filter(pk__in=ids)
        .annotate(pending_erasures=_scalar(pending, "COUNT", distinct=True))
        .order_by("name", "pk")
    )


# Compiled once per process (mentorat.lib.compiled_sql): on every home page.
_MEMBER_ORGANIZATIONS = CompiledQuery(_member_organizations_query, user_id=int)


def home_sections(
    *, user: User, organizations: list[Organization] | None = None
) -> list[RoleSection]:
    """One section per role `user` holds, with the organisations where they hold it (by
    name); `organizations`: the `member_organizations`, when the caller read them."""
    roles = roles_by_organization(user)
    sections: dict[str, RoleSection] = {}
    for organization in member_organizations(user=user) if organizations is None else organizations:
        for role in sorted(roles.get(organization.pk, ())):
            section = sections.setdefault(role, RoleSection(role=Role(role)))
            section.organizations.append(organization)
    order = [Role.ADMIN, Role.COORDINATOR, Role.MENTOR, Role.MENTEE]
    return [sections[r] for r in order if r in sections]


@dataclass
class ProgramLine:
    program: Program
    pending: int | None  # None: shared with the person's organisation, not theirs to decide
    #: matching to-dos (runs to review, overdue answers, requests), own programs only
    matching: MatchingTodo | None = None


@dataclass
class HomeEnrollment:
    programs: list[ProgramLine] = field(default_factory=list)
    applications: list[Application] = field(default_factory=list)
    open_programs: list[Program] = field(default_factory=list)
    staff_organizations: list[Organization] = field(default_factory=list)
    #: "what do I need to do now?": the person's pending actions, shown first
    todo: list["TodoItem"] = field(default_factory=list)


def home_enrollment(
    *,
    user: User,
    now: datetime | None = None,
    figures: "HomeFigures | None" = None,
    organizations: list[Organization] | None = None,
) -> HomeEnrollment:
    """What the home page shows about programs, in a number of queries that does not
    depend on the data: the person's pending actions (`todo`), the programs a
    coordinator runs or follows (with applications waiting for a decision and the
    matching's to-dos), and a person's own applications and the programs open to
    applications. `figures` and `organizations`: the `home_figures` and the
    `member_organizations`, when the caller read them."""
    now = now or timezone.now()
    figures = figures or home_figures(user=user, now=now)
    result = HomeEnrollment()
    result.todo = participant_todos(user=user, now=now, figures=figures)
    unread = figures.unread_threads
    if unread:
        result.todo.append(
            TodoItem(
                "messages",
                unread,
                ngettext(
                    "%(n)s conversation with unread messages",
                    "%(n)s conversations with unread messages",
                    unread,
                )
                % {"n": unread},
                reverse("conversations:inbox"),
            )
        )
    staff_ids = staff_organization_ids(user)
    if staff_ids:
        result.staff_organizations = [
            o
            for o in (member_organizations(user=user) if organizations is None else organizations)
            if o.pk in staff_ids
        ]
        # The programs the person's organisations run or take part in, in one query with
        # the applications waiting on each: submitted and awaiting a guardian's consent,
        # the figures the applications list shows when filtered on that status.
        followed: list[Program] = _FOLLOWED_PROGRAMS.fetch(user_id=user.pk, now=now)
        programs = followed[:20]
        own_programs = [p for p in followed if p.organization_id in staff_ids]
        own = [p.pk for p in own_programs]
        counts: dict[tuple[int, str], int] = {}
        for p in own_programs:
            for status, n in (
                (ApplicationStatus.SUBMITTED, p.submitted),  # type: ignore[attr-defined]
                (ApplicationStatus.AWAITING_GUARDIAN_CONSENT, p.awaiting_consent),  # type: ignore[attr-defined]
            ):
                if n:
                    counts[(p.pk, status)] = int(n)
        # The card's counter and the to-do line agree: submitted applications, the
        # rows of the list filtered with ?status=submitted.
        pending = {pk: counts.get((pk, ApplicationStatus.SUBMITTED), 0) for pk in own}
        # The matching's to-dos of the programs they own, counted in the same statement.
        todos = {p.pk: todo for p in own_programs if (todo := _matching_todo(p))}
        result.todo += coordinator_todos(
            user=user,
            programs=own_programs,
            counts=counts,
            matching=todos,
            today=timezone.localdate(now),
            organizations=organizations,
        )
        result.programs = [
            ProgramLine(
                p,
                pending.get(p.pk, 0) if p.organization_id in staff_ids else None,
                todos.get(p.pk),
            )
            for p in programs
        ]
    # Nothing to read when the figures counted no application (most coordinators).
    if figures.applications:
        result.applications = _MY_APPLICATIONS.fetch(user_id=user.pk)
    applied = {a.edition.program_id for a in result.applications}
    result.open_programs = [
        p for p in _OPEN_PROGRAMS.fetch(today=timezone.localdate()) if p.pk not in applied
    ][:6]
    return result


def _my_applications_query(*, user_id: int) -> QuerySet[Application]:
    """The ten last applications of `user_id` (the home's list)."""
    return applications_of_user(user=User(pk=user_id))[:10]


def _open_programs_query(*, today: date) -> QuerySet[Program]:
    """The first ten programs open to applications on `today`, without their open
    editions, which the home page does not show."""
    return open_programs(today=today).prefetch_related(None)[:10]


# Compiled once per process (mentorat.lib.compiled_sql): on every home page (the open
# programs) and every participant's (their applications), where building and compiling
# them took ~2–3 ms of CPU each.
_MY_APPLICATIONS = CompiledQuery(_my_applications_query, user_id=int)
_OPEN_PROGRAMS = CompiledQuery(_open_programs_query, today=date)


# What do I need to do now? ------------------------------------------------------------------
#
# The first block of the home page: one line per kind of pending action, with its count
# and one link. Every count is an aggregate query (grouped by program or edition for the
# coordinators), so the number of queries does not grow with the data.


@dataclass(frozen=True)
class TodoItem:
    """One pending action: `kind` names it (stable, for styling and tests), `label`
    says it with its count, `url` opens what to do (a list filtered to exactly these
    rows when there are several)."""

    kind: str
    count: int
    label: str
    url: str
    #: the program or organisation concerned, for coordinators
    context: str = ""


def _scalar(
    queryset: QuerySet[Any], function: str, field: str = "pk", *, distinct: bool = False
) -> Subquery:
    """`function` (COUNT, MIN) of `field` over the rows of `queryset`, as a scalar
    subquery: a plain function, not an aggregate, so that no GROUP BY is added and the
    subquery returns one row whatever the data."""
    extra = {"template": "%(function)s(DISTINCT %(expressions)s)"} if distinct else {}
    return Subquery(
        queryset.order_by()
        .annotate(_figure=Func(F(field), function=function, output_field=IntegerField(), **extra))
        .values("_figure")
    )


@dataclass(frozen=True)
class HomeFigures:
    """The counts of a person's home page, read in one statement (`home_figures`)."""

    meeting_proposals: int = 0
    meeting_proposal_pairs: int = 0
    meeting_proposal_first_pair: int | None = None
    check_ins: int = 0
    first_check_in: int | None = None
    introductions: int = 0
    first_introduction: int | None = None
    logs_to_write: int = 0
    #: the pair of the first meeting without its log (lowest meeting id), and the meeting
    first_log_pair: int | None = None
    first_log_meeting: int | None = None
    consents: int = 0
    first_consent: int | None = None
    #: the person's applications: without any, they are in no pair and no matching
    applications: int = 0
    unread_threads: int = 0
    unread_announcements: int = 0
    #: mentees' requests waiting for the person as a mentor (the matching section)
    mentor_requests: int = 0
    #: opportunities open to the person (the opportunities section)
    open_opportunities: int = 0


# The figures that are counts (0 when nothing matches), not ids of a first row.
_COUNTS = {f.name for f in fields(HomeFigures) if f.type is int}
# The menu's unread badge, memoised on the request's user (`unread_messages`).
_UNREAD_ATTR = "_mentorat_unread_messages"


def _figures_query(*, user_id: int, now: datetime, today: date) -> QuerySet[User, Any]:
    """The statement of `home_figures`: the user's row with one scalar subquery per
    figure, named `figure_<name>` (the figures' names would clash with the user's
    relations, e.g. check_ins)."""
    user = User(pk=user_id)
    in_pair = Q(mentorship__mentor_application__user=user) | Q(
        mentorship__mentee_application__user=user
    )
    active_meetings = Meeting.objects.filter(in_pair, mentorship__status=MentorshipStatus.ACTIVE)
    proposals = active_meetings.filter(status=MeetingStatus.PROPOSED, starts_at__gte=now).exclude(
        proposed_by=user
    )
    check_ins = CheckIn.objects.filter(respondent=user, answered_at__isnull=True)
    introductions = Mentorship.objects.filter(
        Q(mentor_application__user=user, mentor_answer=PairAnswer.PENDING)
        | Q(mentee_application__user=user, mentee_answer=PairAnswer.PENDING),
        status=MentorshipStatus.ACTIVE,
        introduction__isnull=False,
        introduction__answer_by__gte=now,
    )
    logs = active_meetings.filter(
        status=MeetingStatus.ACCEPTED, starts_at__lt=now, log__isnull=True
    )
    consents = Application.objects.filter(
        user=user, status=ApplicationStatus.AWAITING_GUARDIAN_CONSENT
    )
    first_log = logs.order_by("pk")
    expressions = {
        "meeting_proposals": _scalar(proposals, "COUNT"),
        "meeting_proposal_pairs": _scalar(proposals, "COUNT", "mentorship_id", distinct=True),
        "meeting_proposal_first_pair": _scalar(proposals, "MIN", "mentorship_id"),
        "check_ins": _scalar(check_ins, "COUNT"),
        "first_check_in": _scalar(check_ins, "MIN"),
        "introductions": _scalar(introductions, "COUNT"),
        "first_introduction": _scalar(introductions, "MIN"),
        "logs_to_write": _scalar(logs, "COUNT"),
        "first_log_pair": Subquery(first_log.values("mentorship_id")[:1]),
        "first_log_meeting": Subquery(first_log.values("pk")[:1]),
        "consents": _scalar(consents, "COUNT"),
        "first_consent": _scalar(consents, "MIN"),
        "applications": _scalar(Application.objects.filter(user=user), "COUNT"),
        "unread_threads": _scalar(Thread.objects.filter(pk__in=unread_threads(user)), "COUNT"),
        "unread_announcements": _scalar(unread_recipients(user), "COUNT"),
        "mentor_requests": _scalar(requests_waiting_for(user=user, now=now), "COUNT"),
        "open_opportunities": _scalar(open_for(user, today=today), "COUNT"),
    }
    return User.objects.filter(pk=user_id).values(
        **{f"figure_{name}": value for name, value in expressions.items()}
    )


# Compiled once per process (mentorat.lib.compiled_sql): building and compiling its 17
# subqueries took ~20 ms of CPU per home page, the database answers in a fraction of it.
_FIGURES = CompiledQuery(_figures_query, user_id=int, now=datetime, today=date)


def home_figures(*, user: User, now: datetime) -> HomeFigures:
    """Every count of the home page in one statement (scalar subqueries): each used to
    be its own query, twelve of them on a participant's home. Remembers the unread
    counts on `user` for the menu's badge (`unread_messages`)."""
    row = _FIGURES.row(user_id=user.pk, now=now, today=timezone.localdate(now))
    figures = HomeFigures(
        **{
            f.name: int(row[f"figure_{f.name}"] or 0)
            if f.name in _COUNTS
            else row[f"figure_{f.name}"]
            for f in fields(HomeFigures)
        }
    )
    setattr(user, _UNREAD_ATTR, figures.unread_threads + figures.unread_announcements)
    return figures


def _unread_query(*, user_id: int) -> QuerySet[User, Any]:
    user = User(pk=user_id)
    return User.objects.filter(pk=user_id).values(
        threads=_scalar(Thread.objects.filter(pk__in=unread_threads(user)), "COUNT"),
        announcements=_scalar(unread_recipients(user), "COUNT"),
    )


_UNREAD = CompiledQuery(_unread_query, user_id=int)


def unread_messages(*, user: User) -> int:
    """Conversations with unread messages plus unopened messages to a cohort: the menu's
    badge. One statement per request at most (compiled once per process), none on the
    home page (`home_figures` counted them)."""
    if not user.is_authenticated:
        return 0
    cached: int | None = getattr(user, _UNREAD_ATTR, None)
    if cached is None:
        row = _UNREAD.row(user_id=user.pk)
        cached = int(row["threads"] or 0) + int(row["announcements"] or 0)
        setattr(user, _UNREAD_ATTR, cached)
    return cached


def participant_todos(
    *, user: User, now: datetime, figures: HomeFigures | None = None
) -> list[TodoItem]:
    """A mentor's or mentee's pending actions, from `home_figures` (one statement):
    meeting proposals from the other person, check-ins, introductions waiting for their
    answer, past meetings without a session log, their applications awaiting a
    guardian's consent and their conversations with unread messages. Several items of a
    kind link to the first one or to the list of pairs."""
    f = figures or home_figures(user=user, now=now)
    items: list[TodoItem] = []
    if f.meeting_proposals:
        n = f.meeting_proposals
        url = (
            reverse("mentorships:workspace", args=[f.meeting_proposal_first_pair])
            if f.meeting_proposal_pairs == 1
            else reverse("mentorships:my_list")
        )
        items.append(
            TodoItem(
                "meetings",
                n,
                ngettext(
                    "%(n)s meeting proposal to answer",
                    "%(n)s meeting proposals to answer",
                    n,
                )
                % {"n": n},
                url,
            )
        )
    if f.check_ins and f.first_check_in is not None:
        n = f.check_ins
        items.append(
            TodoItem(
                "check_ins",
                n,
                ngettext("%(n)s check-in to answer", "%(n)s check-ins to answer", n) % {"n": n},
                reverse("mentorships:check_in", args=[f.first_check_in]),
            )
        )
    if f.introductions and f.first_introduction is not None:
        n = f.introductions
        items.append(
            TodoItem(
                "introductions",
                n,
                ngettext("%(n)s introduction to confirm", "%(n)s introductions to confirm", n)
                % {"n": n},
                reverse("matching:pair_answer", args=[f.first_introduction]),
            )
        )
    if f.logs_to_write:
        n = f.logs_to_write
        items.append(
            TodoItem(
                "session_logs",
                n,
                ngettext(
                    "%(n)s session log to write after a meeting",
                    "%(n)s session logs to write after meetings",
                    n,
                )
                % {"n": n},
                reverse("mentorships:session_log", args=[f.first_log_pair, f.first_log_meeting]),
            )
        )
    if f.consents and f.first_consent is not None:
        n = f.consents
        items.append(
            TodoItem(
                "consents",
                n,
                ngettext(
                    "%(n)s application waits for your guardian's consent",
                    "%(n)s applications wait for your guardian's consent",
                    n,
                )
                % {"n": n},
                reverse("applications:my_detail", args=[f.first_consent])
                if n == 1
                else reverse("applications:my_list"),
            )
        )
    return items


def _missing_checks_query(*, user_id: int, today: date) -> QuerySet[Edition]:
    """The editions of the programs owned by the organisations where `user_id` is staff
    that require checks and have minor mentees, where accepted mentors have no check
    counting in the program today, each with their number (`missing`) and its program,
    by program name (one query)."""
    valid = SafeguardingCheck.objects.valid_on(today).filter(mentor_id=OuterRef("user_id"))
    counted = Q(organization_id=OuterRef("edition__program__organization_id")) | Q(
        organization__shared_programs=OuterRef("edition__program_id")
    )
    minors = Application.objects.filter(
        edition_id=OuterRef("edition_id"),
        role=ParticipantRole.MENTEE,
        is_minor=True,
        status__in=[ApplicationStatus.ACCEPTED, ApplicationStatus.SUBMITTED],
    )
    mentors = (
        Application.objects.filter(
            edition_id=OuterRef("pk"),
            role=ParticipantRole.MENTOR,
            status=ApplicationStatus.ACCEPTED,
        )
        .filter(Exists(minors))
        .exclude(Exists(valid.filter(counted)))
    )
    # The programs in a subquery rather than listed: the SQL depends on no data.
    staff = Membership.objects.filter(user_id=user_id, role__in=STAFF_ROLES).values(
        "organization_id"
    )
    return (
        Edition.objects.filter(
            program__organization_id__in=staff, program__safeguarding_required=True
        )
        .annotate(missing=_scalar(mentors, "COUNT"))
        .filter(missing__gt=0)
        .select_related("program")
        .order_by("program__name", "pk")
    )


# Compiled once per process (mentorat.lib.compiled_sql): on every coordinator's home.
_MISSING_CHECKS = CompiledQuery(_missing_checks_query, user_id=int, today=date)


def _program_applications(status: str) -> Subquery:
    """The number of applications of the outer program with `status` (a subquery)."""
    return _scalar(
        Application.objects.filter(edition__program_id=OuterRef("pk"), status=status), "COUNT"
    )


def _matching_figures(now: datetime) -> dict[str, Subquery]:
    """The outer program's matching to-dos at `now` (`matching_todo_sets`), each counted
    by a scalar subquery."""
    sets = matching_todo_sets(now, edition__program_id=OuterRef("pk"))
    return {name: _scalar(rows, "COUNT") for name, rows in sets.items()}


def _matching_todo(program: Program) -> MatchingTodo | None:
    """The to-dos `_matching_figures` counted on `program`; None when there are none (as
    `matching_todos` leaves such programs out)."""
    todo = MatchingTodo(
        runs_to_review=program.runs_to_review or 0,  # type: ignore[attr-defined]
        overdue_answers=program.overdue_answers or 0,  # type: ignore[attr-defined]
        pending_requests=program.pending_requests or 0,  # type: ignore[attr-defined]
    )
    return todo or None


def _followed_programs_query(*, user_id: int, now: datetime) -> QuerySet[Program]:
    """The programs the organisations where `user_id` is staff (`staff_organization_ids`,
    here as a subquery of the memberships) run or take part in, with their applications
    submitted and awaiting a guardian's consent and their matching's to-dos at `now`."""
    staff = (
        Membership.objects.filter(user_id=user_id, role__in=sorted(STAFF_ROLES))
        .order_by()
        .values("organization_id")
    )
    return (
        Program.objects.filter(Q(organization_id__in=staff) | Q(shared_with__in=staff))
        .distinct()
        .select_related("organization")
        .annotate(
            submitted=_program_applications(ApplicationStatus.SUBMITTED),
            awaiting_consent=_program_applications(ApplicationStatus.AWAITING_GUARDIAN_CONSENT),
            **_matching_figures(now),
        )
        .order_by("name", "pk")
    )


# Compiled once per process (mentorat.lib.compiled_sql): on every coordinator's home,
# where building it took ~2 ms of CPU a request, and its matching counts three more
# statements (`matching_todos`) ~3 ms.
_FOLLOWED_PROGRAMS = CompiledQuery(_followed_programs_query, user_id=int, now=datetime)


def coordinator_todos(
    *,
    user: User,
    programs: list[Program],
    counts: dict[tuple[int, str], int],
    matching: dict[int, MatchingTodo],
    today: date,
    organizations: list[Organization] | None = None,
) -> list[TodoItem]:
    """A coordinator's pending actions in the programs their organisations own (already
    read, with their application counts by status and the matching's to-dos): applications to
    review, guardian consents awaited, matching runs to review, mentors without the
    safeguarding check a program with minors requires, and the erasure requests their
    organisations must decide (for admins). Two queries at most whatever the number of
    programs; one when the caller passes the `member_organizations`."""
    items: list[TodoItem] = []
    for program in programs:
        n = counts.get((program.pk, ApplicationStatus.SUBMITTED), 0)
        if n:
            items.append(
                TodoItem(
                    "applications",
                    n,
                    ngettext("%(n)s application to review", "%(n)s applications to review", n)
                    % {"n": n},
                    reverse("applications:list", args=[program.slug])
                    + f"?status={ApplicationStatus.SUBMITTED}",
                    program.name,
                )
            )
        n = counts.get((program.pk, ApplicationStatus.AWAITING_GUARDIAN_CONSENT), 0)
        if n:
            items.append(
                TodoItem(
                    "guardian_consents",
                    n,
                    ngettext(
                        "%(n)s guardian's consent awaited",
                        "%(n)s guardians' consents awaited",
                        n,
                    )
                    % {"n": n},
                    reverse("applications:list", args=[program.slug])
                    + f"?status={ApplicationStatus.AWAITING_GUARDIAN_CONSENT}",
                    program.name,
                )
            )
        todo = matching.get(program.pk)
        if todo and todo.runs_to_review:
            n = todo.runs_to_review
            items.append(
                TodoItem(
                    "runs",
                    n,
                    ngettext("%(n)s matching run to review", "%(n)s matching runs to review", n)
                    % {"n": n},
                    reverse("matching:runs", args=[program.slug]),
                    program.name,
                )
            )
    # The programs' editions (none to read without programs: they are those of
    # `user`'s organisations, read again in a subquery).
    missing: list[Edition] = _MISSING_CHECKS.fetch(user_id=user.pk, today=today) if programs else []
    for edition in missing:
        n = edition.missing  # type: ignore[attr-defined]
        if n:
            items.append(
                TodoItem(
                    "safeguarding",
                    n,
                    ngettext(
                        "%(n)s mentor without the safeguarding check required with minors",
                        "%(n)s mentors without the safeguarding check required with minors",
                        n,
                    )
                    % {"n": n},
                    reverse("safeguarding:mentors", args=[edition.program.slug, edition.pk]),
                    f"{edition.program.name} — {edition}",
                )
            )
    admin_of = {
        org_id for org_id, roles in roles_by_organization(user).items() if Role.ADMIN in roles
    }
    if admin_of:
        for organization in (
            member_organizations(user=user) if organizations is None else organizations
        ):
            if organization.pk not in admin_of or not organization.pending_erasures:  # type: ignore[attr-defined]
                continue
            n = organization.pending_erasures  # type: ignore[attr-defined]
            items.append(
                TodoItem(
                    "erasures",
                    n,
                    ngettext(
                        "%(n)s erasure request to decide", "%(n)s erasure requests to decide", n
                    )
                    % {"n": n},
                    reverse("privacy:erasure_requests", args=[organization.slug]),
                    organization.name,
                )
            )
    return items
