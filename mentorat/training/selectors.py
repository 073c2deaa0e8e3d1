"""Reads of training modules, assignments and progress.

Interfaces other apps rely on (their signatures stay): ``trained_user_ids`` for the
matching rule, ``completions_of`` for recognition.

Deadlines of a required module, per person and program (`due_on`):
- before matching: the matching date of the person's edition;
- within N days: N days after the person joined (application accepted, else submitted);
- before the first meeting: the day of the pair's first planned meeting (none yet: no
  date, and never overdue).
A module is done for a person when they completed it or a translation of it (same
`group`)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import (
    Count,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from mentorat.accounts.models import User
from mentorat.applications.models import Application, ApplicationStatus
from mentorat.lib.compiled_sql import CompiledQuery
from mentorat.lib.small_groups import HIDDEN, is_small
from mentorat.mentorships.models import Meeting, MeetingStatus, MentorshipStatus
from mentorat.organizations.models import Organization
from mentorat.programs.models import Edition, ParticipantRole, Program
from mentorat.training.models import (
    Assignment,
    Completion,
    Module,
    ModuleStatus,
    Question,
    Requirement,
    Section,
    SectionRead,
)

#: Applications whose people follow their program's modules.
FOLLOWING = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.INFO_REQUESTED,
    ApplicationStatus.WAITLISTED,
    ApplicationStatus.ACCEPTED,
)


@dataclass(frozen=True)
class CompletedModule:
    """One module a person completed (quiz passed), as recognition shows and certifies it."""

    module_id: int
    title: str
    organization_id: int | None
    language: str
    completed_at: datetime


def _count(model: type, **filters: object) -> Coalesce:
    rows = (
        model.objects.filter(**filters)  # type: ignore[attr-defined]
        .order_by()
        .values("module")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _completed_at(user_id: int, group_ref: str = "module__group") -> Subquery:
    return Subquery(
        Completion.objects.filter(user_id=user_id, module__group=OuterRef(group_ref))
        .order_by("completed_at")
        .values("completed_at")[:1]
    )


def with_progress(modules: QuerySet[Module], user_id: int) -> QuerySet[Module]:
    """`modules` annotated with `section_count`, `question_count`, `read_count` and
    `completed_at` for `user_id` (one query whatever their number)."""
    return modules.annotate(
        section_count=_count(Section, module=OuterRef("pk")),
        question_count=_count(Question, module=OuterRef("pk")),
        read_count=_count(SectionRead, module=OuterRef("pk"), user_id=user_id),
        completed_at=_completed_at(user_id, "group"),
    )


def progress_percent(*, sections: int, questions: int, read: int, completed: bool) -> int:
    """Progress = sections read + the quiz passed, as a share of the steps."""
    if completed:
        return 100
    steps = sections + (1 if questions else 0)
    return round(100 * min(read, sections) / steps) if steps else 0


@dataclass
class AssignedModule:
    """A module a program asks a person to follow, with their progress."""

    module: Module
    program: Program
    requirement: str
    requirement_label: str
    due_on: date | None
    completed_at: datetime | None
    progress: int
    overdue: bool


def _joined_on(accepted_at: datetime | None, submitted_at: datetime) -> date:
    return timezone.localdate(accepted_at or submitted_at)


def _due_on(
    assignment: Assignment,
    *,
    matching_on: date,
    joined_on: date,
    first_meeting: date | None,
) -> date | None:
    if assignment.requirement == Requirement.BEFORE_MATCHING:
        return matching_on
    if assignment.requirement == Requirement.WITHIN_DAYS:
        return joined_on + timedelta(days=assignment.days or 0)
    if assignment.requirement == Requirement.BEFORE_FIRST_MEETING:
        return first_meeting
    return None


def _first_meetings(user_ids: set[int], edition_ids: set[int]) -> dict[tuple[int, int], date]:
    """(person, edition) → day of the first planned meeting of their pair (one query)."""
    found: dict[tuple[int, int], date] = {}
    if not user_ids or not edition_ids:
        return found
    rows = (
        Meeting.objects.filter(
            mentorship__edition_id__in=edition_ids,
            mentorship__status=MentorshipStatus.ACTIVE,
        )
        .exclude(status=MeetingStatus.CANCELLED)
        .filter(
            Q(mentorship__mentor_application__user_id__in=user_ids)
            | Q(mentorship__mentee_application__user_id__in=user_ids)
        )
        .values_list(
            "mentorship__edition_id",
            "mentorship__mentor_application__user_id",
            "mentorship__mentee_application__user_id",
            "starts_at",
        )
        .order_by("starts_at")
    )
    for edition_id, mentor_id, mentee_id, starts_at in rows:
        for person in (mentor_id, mentee_id):
            found.setdefault((person, edition_id), timezone.localdate(starts_at))
    return found


def _my_first_meetings_query(*, user_id: int) -> QuerySet[Meeting, tuple[int, datetime]]:
    """(edition, start of the first planned meeting) of each active pair of `user_id`,
    on either side: what `_first_meetings` gives for one person, for all their editions."""
    return (
        Meeting.objects.filter(mentorship__status=MentorshipStatus.ACTIVE)
        .exclude(status=MeetingStatus.CANCELLED)
        .filter(
            Q(mentorship__mentor_application__user_id=user_id)
            | Q(mentorship__mentee_application__user_id=user_id)
        )
        .order_by()
        .values_list("mentorship__edition_id")
        .annotate(first=Min("starts_at"))
        .values_list("mentorship__edition_id", "first")
    )


# Compiled once per process (mentorat.lib.compiled_sql): on the homes of people with a
# module due before their first meeting (building it took ~1.5 ms of CPU a request).
_MY_FIRST_MEETINGS = CompiledQuery(_my_first_meetings_query, user_id=int)


def _assigned_query(*, user_id: int, today: date) -> QuerySet[Assignment]:
    """The assignments of the modules the programs of `user_id` ask of them (one row per
    edition they follow), with what `assigned_modules` shows."""
    app_filter = {
        "program__editions__applications__user_id": user_id,
        "program__editions__applications__status__in": FOLLOWING,
        "program__editions__ends_on__gte": today,
    }
    return (
        Assignment.objects.filter(**app_filter, module__status=ModuleStatus.PUBLISHED)
        .annotate(
            role=F("program__editions__applications__role"),
            edition_id=F("program__editions__id"),
            matching_on=F("program__editions__matching_on"),
            accepted_at=F("program__editions__applications__accepted_at"),
            submitted_at=F("program__editions__applications__submitted_at"),
            section_count=_count(Section, module=OuterRef("module")),
            question_count=_count(Question, module=OuterRef("module")),
            read_count=_count(SectionRead, module=OuterRef("module"), user_id=user_id),
            completed_at=_completed_at(user_id),
        )
        .select_related("module", "program")
        # Only the columns `assigned_modules` and its pages read: building the module's and
        # the program's every column was most of the home's training section.
        .only(*_ASSIGNED_COLUMNS)
        .order_by("pk")
    )


#: What `AssignedModule` lines show of their assignment, module and program.
_ASSIGNED_COLUMNS = ("audience", "requirement", "days", "module__title", "program__name")

# Compiled once per process (mentorat.lib.compiled_sql): on every home page.
_ASSIGNED = CompiledQuery(_assigned_query, user_id=int, today=date)


def assigned_modules(*, user: User, today: date) -> list[AssignedModule]:
    """The modules the programs `user` takes part in (editions not over) ask of them,
    required first, then by due date; one line per module (two programs assigning the
    same one: the earliest deadline). Two queries whatever the data (one more only
    when a module is due before a first meeting)."""
    rows = _ASSIGNED.fetch(user_id=user.pk, today=today)
    rows = [row for row in rows if row.applies_to(row.role)]
    first: dict[tuple[int, int], date] = {}
    if any(r.requirement == Requirement.BEFORE_FIRST_MEETING for r in rows):
        first = {
            (user.pk, edition_id): timezone.localdate(starts_at)
            for edition_id, starts_at in _MY_FIRST_MEETINGS.fetch(user_id=user.pk)
        }
    by_module: dict[int, AssignedModule] = {}
    for row in rows:
        a = row  # annotated Assignment
        due = _due_on(
            a,
            matching_on=a.matching_on,
            joined_on=_joined_on(a.accepted_at, a.submitted_at),
            first_meeting=first.get((user.pk, a.edition_id)),
        )
        completed_at = a.completed_at
        line = AssignedModule(
            module=a.module,
            program=a.program,
            requirement=a.requirement,
            requirement_label=a.get_requirement_display(),
            due_on=due,
            completed_at=completed_at,
            progress=progress_percent(
                sections=a.section_count,
                questions=a.question_count,
                read=a.read_count,
                completed=completed_at is not None,
            ),
            overdue=bool(a.is_required and completed_at is None and due and due < today),
        )
        known = by_module.get(a.module_id)
        if known is None or _sort_key(line) < _sort_key(known):
            by_module[a.module_id] = line
    return sorted(by_module.values(), key=_sort_key)


def _sort_key(line: AssignedModule) -> tuple[bool, bool, date, str]:
    return (
        line.completed_at is not None,
        line.requirement == Requirement.RECOMMENDED,
        line.due_on or date.max,
        line.module.title,
    )


def organization_modules(*, organization: Organization) -> QuerySet[Module]:
    """The modules `organization` writes, with their section and question counts."""
    return (
        Module.objects.filter(organization=organization)
        .annotate(
            section_count=_count(Section, module=OuterRef("pk")),
            question_count=_count(Question, module=OuterRef("pk")),
        )
        .prefetch_related("shared_with")
        .order_by("title", "pk")
    )


def available_modules(*, organization_ids: set[int]) -> QuerySet[Module]:
    """Published modules offered to people of `organization_ids`: the starter set,
    their own and those shared with them."""
    return (
        Module.objects.filter(status=ModuleStatus.PUBLISHED)
        .filter(
            Q(organization__isnull=True)
            | Q(organization_id__in=organization_ids)
            | Q(shared_with__in=organization_ids)
        )
        .distinct()
        .select_related("organization")
        .order_by("language", "title", "pk")
    )


def assignable_modules(*, program: Program) -> QuerySet[Module]:
    """Modules `program` may assign: published ones its organisation sees."""
    return available_modules(organization_ids={program.organization_id}).exclude(
        assignments__program=program
    )


def module_sections(*, module: Module) -> list[Section]:
    return list(module.sections.order_by("position", "pk"))


def module_questions(*, module: Module) -> list[Question]:
    return list(module.questions.prefetch_related("choices").order_by("position", "pk"))


def read_section_ids(*, user_id: int, module: Module) -> set[int]:
    return set(
        SectionRead.objects.filter(user_id=user_id, module=module).values_list(
            "section_id", flat=True
        )
    )


def completion_of(*, user_id: int, module: Module) -> Completion | None:
    """The person's completion of `module` or of a translation of it."""
    return (
        Completion.objects.filter(user_id=user_id, module__group=module.group)
        .order_by("completed_at")
        .first()
    )


def translations_of(*, module: Module) -> list[Module]:
    return list(
        Module.objects.filter(group=module.group, status=ModuleStatus.PUBLISHED)
        .exclude(pk=module.pk)
        .order_by("language")
    )


# --- What a program's coordinators see --------------------------------------------------


@dataclass
class PersonTraining:
    """One person of a program and where they stand on each module asked of them."""

    user: User
    role: str
    organization_id: int | None
    # module id → completed (None: not asked of this person)
    done: dict[int, bool | None] = field(default_factory=dict)

    @property
    def states(self) -> list[bool | None]:
        """`done` in the order of the program's assignments."""
        return list(self.done.values())

    @property
    def fully_trained(self) -> bool:
        """Completed every required module asked of them."""
        return all(v for v in self.done.values() if v is not None)


@dataclass
class ModuleTotals:
    assignment: Assignment
    asked: int = 0
    completed: int = 0


@dataclass
class ProgramTraining:
    assignments: list[Assignment]
    people: list[PersonTraining]
    totals: list[ModuleTotals]


def _groups_done(user_ids: set[int], groups: set[str]) -> set[tuple[int, str]]:
    return set(
        Completion.objects.filter(user_id__in=user_ids, module__group__in=groups).values_list(
            "user_id", "module__group"
        )
    )


def program_training(*, program: Program, today: date) -> ProgramTraining:
    """Completion per person and per module in `program`'s current editions (people
    whose application is followed; four queries whatever the data)."""
    assignments = list(
        Assignment.objects.filter(program=program).select_related("module").order_by("pk")
    )
    applications = list(
        Application.objects.filter(
            edition__program=program, status__in=FOLLOWING, edition__ends_on__gte=today
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__email", "pk")
    )
    user_ids = {a.user_id for a in applications}
    done = _groups_done(user_ids, {a.module.group for a in assignments})
    people: dict[tuple[int, str], PersonTraining] = {}
    for application in applications:
        key = (application.user_id, application.role)
        if key in people:
            continue
        person = PersonTraining(
            user=application.user,
            role=application.role,
            organization_id=application.organization_id,
        )
        for assignment in assignments:
            person.done[assignment.module_id] = (
                (application.user_id, assignment.module.group) in done
                if assignment.applies_to(application.role)
                else None
            )
        people[key] = person
    totals = []
    for assignment in assignments:
        line = ModuleTotals(assignment=assignment)
        for person in people.values():
            state = person.done.get(assignment.module_id)
            if state is not None:
                line.asked += 1
                line.completed += int(state)
        totals.append(line)
    return ProgramTraining(assignments=assignments, people=list(people.values()), totals=totals)


# --- Coverage (reports) -----------------------------------------------------------------


@dataclass(frozen=True)
class CoverageLine:
    """Share of active mentors fully trained (every required module done) in a group;
    `share` is None and `hidden` True when the group is too small to show."""

    label: str
    mentors: int
    trained: int
    hidden: bool

    @property
    def share(self) -> int | None:
        if self.hidden or not self.mentors:
            return None
        return round(100 * self.trained / self.mentors)

    @property
    def mentors_display(self) -> str:
        return HIDDEN if self.hidden else str(self.mentors)


@dataclass(frozen=True)
class Coverage:
    program: CoverageLine
    by_organization: list[CoverageLine]
    required_modules: int


def training_coverage(*, program: Program) -> Coverage:
    """Training coverage of `program`: among its active mentors (in an active pair or
    accepted in a current edition), the share who completed every module the program
    requires of mentors; in total and per organisation of the mentors (the owner and
    its partners). Groups of 1 to 4 mentors are hidden (`lib.small_groups`)."""
    today = timezone.localdate()
    required = [
        a
        for a in Assignment.objects.filter(program=program).select_related("module")
        if a.is_required and a.applies_to(ParticipantRole.MENTOR)
    ]
    mentors = (
        Application.objects.filter(
            edition__program=program,
            role=ParticipantRole.MENTOR,
            status=ApplicationStatus.ACCEPTED,
            edition__ends_on__gte=today,
        )
        .order_by()
        .values_list("user_id", "organization_id", "organization__name")
        .distinct()
    )
    by_user: dict[int, tuple[int, str]] = {uid: (oid, name) for uid, oid, name in mentors}
    groups = {a.module.group for a in required}
    done = _groups_done(set(by_user), groups)
    trained_ids = {uid for uid in by_user if all((uid, g) in done for g in groups)}
    per_org: dict[tuple[str, int], list[int]] = defaultdict(list)
    for uid, (oid, name) in by_user.items():
        per_org[(name, oid)].append(uid)

    def line(label: str, ids: list[int]) -> CoverageLine:
        trained = sum(1 for uid in ids if uid in trained_ids)
        return CoverageLine(
            label=label, mentors=len(ids), trained=trained, hidden=is_small(len(ids))
        )

    return Coverage(
        program=line(program.name, list(by_user)),
        by_organization=[line(name, ids) for (name, _oid), ids in sorted(per_org.items())],
        required_modules=len(required),
    )


# --- Interfaces for the matching rule and recognition -----------------------------------


def required_groups(edition: Edition, requirement: str) -> dict[str, set[str]]:
    """Role ("mentor"/"mentee") → module groups `edition`'s program requires."""
    groups: dict[str, set[str]] = {ParticipantRole.MENTOR: set(), ParticipantRole.MENTEE: set()}
    for assignment in Assignment.objects.filter(
        program_id=edition.program_id, requirement=requirement
    ).select_related("module"):
        for role in groups:
            if assignment.applies_to(role):
                groups[role].add(assignment.module.group)
    return groups


def trained_user_ids(edition: Edition, user_ids: set[int]) -> set[int]:
    """Among `user_ids`, the people who completed every module `edition` requires of them
    before matching (everyone when it requires none). A person's role is read from their
    application to `edition`; someone without one has nothing required."""
    groups = required_groups(edition, Requirement.BEFORE_MATCHING)
    if not any(groups.values()) or not user_ids:
        return set(user_ids)
    roles: dict[int, set[str]] = defaultdict(set)
    for user_id, role in Application.objects.filter(
        edition=edition, user_id__in=user_ids
    ).values_list("user_id", "role"):
        roles[user_id].add(role)
    done = _groups_done(
        set(user_ids), groups[ParticipantRole.MENTOR] | groups[ParticipantRole.MENTEE]
    )
    trained = set()
    for user_id in user_ids:
        needed = set().union(*(groups.get(role, set()) for role in roles.get(user_id, set())))
        if all((user_id, g) in done for g in needed):
            trained.add(user_id)
    return trained


def completions_of(user_id: int) -> list[CompletedModule]:
    """Modules `user_id` completed, oldest first."""
    return [
        CompletedModule(
            module_id=c.module_id,
            title=c.module.title,
            organization_id=c.module.organization_id,
            language=c.module.language,
            completed_at=c.completed_at,
        )
        for c in Completion.objects.filter(user_id=user_id)
        .select_related("module")
        .order_by("completed_at", "pk")
    ]


# --- Reminders --------------------------------------------------------------------------


def overdue_by_person(*, today: date) -> dict[int, list[tuple[Module, Program, date]]]:
    """Person id → required modules they have not completed past their deadline
    (current editions only)."""
    assignments = list(
        Assignment.objects.exclude(requirement=Requirement.RECOMMENDED)
        .filter(module__status=ModuleStatus.PUBLISHED)
        .select_related("module", "program")
    )
    if not assignments:
        return {}
    programs = {a.program_id for a in assignments}
    applications = list(
        Application.objects.filter(
            edition__program_id__in=programs, status__in=FOLLOWING, edition__ends_on__gte=today
        )
        .select_related("edition")
        .order_by("pk")
    )
    user_ids = {a.user_id for a in applications}
    done = _groups_done(user_ids, {a.module.group for a in assignments})
    first = {}
    if any(a.requirement == Requirement.BEFORE_FIRST_MEETING for a in assignments):
        first = _first_meetings(user_ids, {a.edition_id for a in applications})
    found: dict[int, list[tuple[Module, Program, date]]] = defaultdict(list)
    seen: set[tuple[int, int]] = set()
    for application in applications:
        for assignment in assignments:
            if assignment.program_id != application.edition.program_id:
                continue
            if not assignment.applies_to(application.role):
                continue
            if (application.user_id, assignment.module.group) in done:
                continue
            due = _due_on(
                assignment,
                matching_on=application.edition.matching_on,
                joined_on=_joined_on(application.accepted_at, application.submitted_at),
                first_meeting=first.get((application.user_id, application.edition_id)),
            )
            key = (application.user_id, assignment.module_id)
            if due is not None and due < today and key not in seen:
                seen.add(key)
                found[application.user_id].append((assignment.module, assignment.program, due))
    return dict(found)


def contribution_coverage(*, organization: Organization) -> list[CoverageLine]:
    """For the company contribution view: per partner program shared with
    `organization`, the share of `organization`'s active mentors there (accepted through
    it in a current edition) who completed every module the program requires of mentors;
    programs requiring none are left out, groups of 1 to 4 mentors hidden. Four queries,
    whatever the number of programs or mentors."""
    today = timezone.localdate()
    programs = {
        p.pk: p
        for p in Program.objects.filter(shared_with=organization).exclude(organization=organization)
    }
    required: dict[int, set[str]] = defaultdict(set)
    for a in Assignment.objects.filter(program_id__in=programs).select_related("module"):
        if a.is_required and a.applies_to(ParticipantRole.MENTOR):
            required[a.program_id].add(a.module.group)
    mentors: dict[int, set[int]] = defaultdict(set)
    for program_id, user_id in Application.objects.filter(
        edition__program_id__in=list(required),
        role=ParticipantRole.MENTOR,
        status=ApplicationStatus.ACCEPTED,
        organization=organization,
        edition__ends_on__gte=today,
    ).values_list("edition__program_id", "user_id"):
        mentors[program_id].add(user_id)
    everyone = set().union(*mentors.values()) if mentors else set()
    done = _groups_done(everyone, set().union(*required.values()) if required else set())
    lines = []
    for program_id in sorted(required, key=lambda pk: programs[pk].name):
        ids = mentors.get(program_id, set())
        trained = sum(1 for u in ids if all((u, g) in done for g in required[program_id]))
        lines.append(
            CoverageLine(
                label=programs[program_id].name,
                mentors=len(ids),
                trained=trained,
                hidden=is_small(len(ids)),
            )
        )
    return lines
