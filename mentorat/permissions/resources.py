"""Who may see or change a program's resource library and goal templates, download its
files and adopt a template.

The staff of the program's owner (admins, coordinators) and platform admins run the
library, the organisation-wide items included (they are the owner's staff). The staff of
a partner the program is shared with read it (they brief their own people) but change
nothing (403). A file is downloaded by the program's staff, its partners' staff and the
people of its pairs (for their side: a mentee never gets a mentors-only file). Other
members of the owner know the program exists (403); everyone else gets 404. A template
is adopted by the pair, in its workspace, while the pair is active."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from mentorat.accounts.models import User
from mentorat.audit.services import record_security_event
from mentorat.mentorships.models import Mentorship
from mentorat.permissions.organizations import roles_in
from mentorat.permissions.programs import is_program_staff, partner_scope
from mentorat.programs.models import Program
from mentorat.resources.models import Audience, GoalTemplate, LibraryResource


def offered_in(program: Program) -> Q:
    """Items of `program`'s library: its own and its organisation's shared ones."""
    return Q(program=program) | Q(program__isnull=True, organization_id=program.organization_id)


def can_view_library(user: User, program: Program) -> bool:
    return is_program_staff(user, program) or bool(partner_scope(user, program))


def can_manage_library(user: User, program: Program) -> bool:
    return is_program_staff(user, program)


def access_library_resource(user: User, program: Program, pk: int) -> LibraryResource:
    """A resource offered in `program` (the caller has checked the program); else 404."""
    found = LibraryResource.objects.filter(offered_in(program), pk=pk).first()
    if found is None:
        raise Http404
    return found


def access_goal_template(user: User, program: Program, pk: int) -> GoalTemplate:
    """A goal template offered in `program` (the caller has checked the program)."""
    found = GoalTemplate.objects.filter(offered_in(program), pk=pk).first()
    if found is None:
        raise Http404
    return found


def audiences_of(user: User, program: Program) -> set[str]:
    """The audiences whose files `user` may download in `program`: every one for its
    staff and its partners' staff, their own side(s) for people of its pairs."""
    if can_view_library(user, program):
        return set(Audience.values)
    if not user.is_authenticated:
        return set()
    pairs: QuerySet[Mentorship] = Mentorship.objects.filter(edition__program=program)
    audiences: set[str] = set()
    if pairs.filter(mentor_application__user=user).exists():
        audiences |= {Audience.MENTORS, Audience.BOTH}
    if pairs.filter(mentee_application__user=user).exists():
        audiences |= {Audience.MENTEES, Audience.BOTH}
    return audiences


def access_resource_file(
    user: User, slug: str, pk: int, *, request: HttpRequest | None = None
) -> tuple[Program, LibraryResource]:
    """The program and its resource with a file if `user` may download it. 403 for the
    owner's other members (and a pair's person asking for the other side's file, who
    knows the library); 404 for everyone else."""
    program = Program.objects.select_related("organization").filter(slug=slug).first()
    if program is None:
        raise Http404
    audiences = audiences_of(user, program)
    resource = LibraryResource.objects.filter(offered_in(program), pk=pk).exclude(file="").first()
    if audiences and resource is not None and resource.audience in audiences:
        return program, resource
    knows_program = bool(audiences) or bool(roles_in(user, program.organization))
    if resource is not None and knows_program:
        raise PermissionDenied
    if user.is_authenticated:
        record_security_event(
            kind="access.library_resource.denied", user=user, target=program, request=request
        )
    raise Http404


def access_template_for_pair(mentorship: Mentorship, pk: int) -> GoalTemplate:
    """A template offered in the pair's program (the caller has checked the pair)."""
    found = (
        GoalTemplate.objects.filter(offered_in(mentorship.edition.program), pk=pk)
        .prefetch_related("skills")
        .first()
    )
    if found is None:
        raise Http404
    return found
