"""What the home page shows. It gathers the parts each app offers (applications,
matching to-dos, programs open to applications) here, above them, so that no app reaches
into another to assemble it."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from mentorat.accounts.models import User
from mentorat.applications.models import Application
from mentorat.applications.selectors import applications_of_user, pending_counts_by_program
from mentorat.matching.selectors import MatchingTodo, matching_todos
from mentorat.organizations.models import Membership, Organization, Role
from mentorat.permissions.programs import staff_organization_ids
from mentorat.programs.models import Program
from mentorat.programs.selectors import open_programs


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


def home_enrollment(*, user: User) -> HomeEnrollment:
    """What the home page shows about programs, in at most nine queries: the programs a
    coordinator runs or follows (with applications waiting for a decision and the
    matching's to-dos), and a person's own applications and the programs open to
    applications."""
    result = HomeEnrollment()
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
        own = [p.pk for p in programs if p.organization_id in staff_ids]
        pending = pending_counts_by_program(program_ids=own)
        todos = matching_todos(program_ids=own)
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
