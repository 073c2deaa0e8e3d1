"""What the home page shows. It gathers the parts each app offers (applications,
matching to-dos, programs open to applications) here, above them, so that no app reaches
into another to assemble it."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Exists, Min, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from mentorat.accounts.models import User
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.applications.selectors import applications_of_user
from mentorat.conversations.selectors import unread_thread_count
from mentorat.matching.selectors import MatchingTodo, matching_todos
from mentorat.mentorships.models import (
    CheckIn,
    Meeting,
    MeetingStatus,
    Mentorship,
    MentorshipStatus,
    PairAnswer,
)
from mentorat.organizations.models import Membership, Organization, Role
from mentorat.permissions.programs import staff_organization_ids
from mentorat.privacy.erasure.models import ErasureStatus
from mentorat.programs.models import Edition, ParticipantRole, Program
from mentorat.programs.selectors import open_programs
from mentorat.safeguarding.models import SafeguardingCheck


@dataclass
class RoleSection:
    """One block of a person's home page: a role they hold, and where they hold it."""

    role: Role
    organizations: list[Organization] = field(default_factory=list)


def home_sections(*, user: User) -> list[RoleSection]:
    sections: dict[str, RoleSection] = {}
    for membership in Membership.objects.filter(user=user).select_related("organization"):
        section = sections.setdefault(membership.role, RoleSection(role=Role(membership.role)))
        section.organizations.append(membership.organization)
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


def home_enrollment(*, user: User, now: datetime | None = None) -> HomeEnrollment:
    """What the home page shows about programs, in a number of queries that does not
    depend on the data: the person's pending actions (`todo`), the programs a
    coordinator runs or follows (with applications waiting for a decision and the
    matching's to-dos), and a person's own applications and the programs open to
    applications."""
    now = now or timezone.now()
    result = HomeEnrollment()
    result.todo = participant_todos(user=user, now=now)
    unread = unread_thread_count(user)
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
        result.staff_organizations = list(
            Organization.objects.filter(pk__in=staff_ids).order_by("name")
        )
        programs = list(
            Program.objects.filter(Q(organization_id__in=staff_ids) | Q(shared_with__in=staff_ids))
            .distinct()
            .select_related("organization")
            .order_by("name")[:20]
        )
        own_programs = list(
            Program.objects.filter(organization_id__in=staff_ids).order_by("name", "pk")
        )
        own = [p.pk for p in own_programs]
        counts = application_counts(program_ids=own)
        # The card's counter and the to-do line agree: submitted applications, the
        # rows of the list filtered with ?status=submitted.
        pending = {pk: counts.get((pk, ApplicationStatus.SUBMITTED), 0) for pk in own}
        todos = matching_todos(program_ids=own, now=now)
        result.todo += coordinator_todos(
            user=user,
            programs=own_programs,
            counts=counts,
            matching=todos,
            today=timezone.localdate(now),
        )
        result.programs = [
            ProgramLine(
                p,
                pending.get(p.pk, 0) if p.organization_id in staff_ids else None,
                todos.get(p.pk),
            )
            for p in programs
        ]
    result.applications = list(applications_of_user(user=user)[:10])
    applied = {a.edition.program_id for a in result.applications}
    result.open_programs = [
        p for p in open_programs(today=timezone.localdate())[:10] if p.pk not in applied
    ][:6]
    return result


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


def _first_and_count(rows: dict[str, int | None]) -> tuple[int, int | None]:
    return int(rows["n"] or 0), rows["first"]


def participant_todos(*, user: User, now: datetime) -> list[TodoItem]:
    """A mentor's or mentee's pending actions, in five aggregate queries: meeting
    proposals from the other person, check-ins, introductions waiting for their answer,
    past meetings without a session log and their applications awaiting a guardian's
    consent. Several items of a kind link to the first one or to the list of pairs."""
    items: list[TodoItem] = []
    in_pair = Q(mentorship__mentor_application__user=user) | Q(
        mentorship__mentee_application__user=user
    )
    active_meetings = Meeting.objects.filter(in_pair, mentorship__status=MentorshipStatus.ACTIVE)
    row = (
        active_meetings.filter(status=MeetingStatus.PROPOSED, starts_at__gte=now)
        .exclude(proposed_by=user)
        .aggregate(
            n=Count("pk"),
            pairs=Count("mentorship_id", distinct=True),
            first=Min("mentorship_id"),
        )
    )
    if row["n"]:
        url = (
            reverse("mentorships:workspace", args=[row["first"]])
            if row["pairs"] == 1
            else reverse("mentorships:my_list")
        )
        items.append(
            TodoItem(
                "meetings",
                row["n"],
                ngettext(
                    "%(n)s meeting proposal to answer",
                    "%(n)s meeting proposals to answer",
                    row["n"],
                )
                % {"n": row["n"]},
                url,
            )
        )
    n, first = _first_and_count(
        CheckIn.objects.filter(respondent=user, answered_at__isnull=True).aggregate(
            n=Count("pk"), first=Min("pk")
        )
    )
    if n and first is not None:
        items.append(
            TodoItem(
                "check_ins",
                n,
                ngettext("%(n)s check-in to answer", "%(n)s check-ins to answer", n) % {"n": n},
                reverse("mentorships:check_in", args=[first]),
            )
        )
    n, first = _first_and_count(
        Mentorship.objects.filter(
            Q(mentor_application__user=user, mentor_answer=PairAnswer.PENDING)
            | Q(mentee_application__user=user, mentee_answer=PairAnswer.PENDING),
            status=MentorshipStatus.ACTIVE,
            introduction__isnull=False,
            introduction__answer_by__gte=now,
        ).aggregate(n=Count("pk"), first=Min("pk"))
    )
    if n and first is not None:
        items.append(
            TodoItem(
                "introductions",
                n,
                ngettext("%(n)s introduction to confirm", "%(n)s introductions to confirm", n)
                % {"n": n},
                reverse("matching:pair_answer", args=[first]),
            )
        )
    row = active_meetings.filter(
        status=MeetingStatus.ACCEPTED, starts_at__lt=now, log__isnull=True
    ).aggregate(n=Count("pk"), first=Min("pk"))
    n = int(row["n"] or 0)
    if n:
        first_meeting = Meeting.objects.only("pk", "mentorship_id").get(pk=row["first"])
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
                reverse(
                    "mentorships:session_log",
                    args=[first_meeting.mentorship_id, first_meeting.pk],
                ),
            )
        )
    n, first = _first_and_count(
        Application.objects.filter(
            user=user, status=ApplicationStatus.AWAITING_GUARDIAN_CONSENT
        ).aggregate(n=Count("pk"), first=Min("pk"))
    )
    if n and first is not None:
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
                reverse("applications:my_detail", args=[first])
                if n == 1
                else reverse("applications:my_list"),
            )
        )
    return items


def _missing_checks_by_edition(*, program_ids: list[int], today: date) -> dict[int, int]:
    """Per edition id of `program_ids` requiring checks and with minor mentees: accepted
    mentors without a check counting in the program today (one query)."""
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
    return dict(
        Application.objects.filter(
            edition__program_id__in=program_ids,
            edition__program__safeguarding_required=True,
            role=ParticipantRole.MENTOR,
            status=ApplicationStatus.ACCEPTED,
        )
        .filter(Exists(minors))
        .exclude(Exists(valid.filter(counted)))
        .values_list("edition_id")
        .annotate(n=Count("pk"))
        .values_list("edition_id", "n")
    )


def application_counts(*, program_ids: list[int]) -> dict[tuple[int, str], int]:
    """Applications submitted (to review) and awaiting a guardian's consent, per
    (program id, status), in one query: the figures the applications list shows when
    filtered on that status."""
    return {
        (program_id, status): n
        for program_id, status, n in Application.objects.filter(
            edition__program_id__in=program_ids,
            status__in=[
                ApplicationStatus.SUBMITTED,
                ApplicationStatus.AWAITING_GUARDIAN_CONSENT,
            ],
        )
        .values_list("edition__program_id", "status")
        .annotate(n=Count("pk"))
        .values_list("edition__program_id", "status", "n")
    }


def coordinator_todos(
    *,
    user: User,
    programs: list[Program],
    counts: dict[tuple[int, str], int],
    matching: dict[int, MatchingTodo],
    today: date,
) -> list[TodoItem]:
    """A coordinator's pending actions in the programs their organisations own (already
    read, with their `application_counts` and the matching's to-dos): applications to
    review, guardian consents awaited, matching runs to review, mentors without the
    safeguarding check a program with minors requires, and the erasure requests their
    organisations must decide (for admins). At most four queries whatever the number
    of programs."""
    items: list[TodoItem] = []
    by_pk = {p.pk: p for p in programs}
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
    editions = _missing_checks_by_edition(program_ids=list(by_pk), today=today)
    if editions:
        for edition in (
            Edition.objects.filter(pk__in=list(editions))
            .select_related("program")
            .order_by("program__name", "pk")
        ):
            n = editions[edition.pk]
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
    admin_of = list(
        Membership.objects.filter(user=user, role=Role.ADMIN).values_list(
            "organization_id", flat=True
        )
    )
    if admin_of:
        for organization in (
            Organization.objects.filter(pk__in=admin_of)
            .annotate(
                pending=Count(
                    "erasure_requests",
                    filter=Q(erasure_requests__status=ErasureStatus.PENDING),
                    distinct=True,
                )
            )
            .filter(pending__gt=0)
            .order_by("name")
        ):
            n = organization.pending
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
