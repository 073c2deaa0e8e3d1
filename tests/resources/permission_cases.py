"""Permission cases of the resource library (tests/test_permissions.py), and the worlds
of their parent/child mismatch cases (tests/test_permission_mismatch.py).

The library pages run the program (A's staff; A's partner reads the library but changes
nothing). A file is downloaded by the program's staff, its partner's staff and the people
of its pairs (the cast's pair and, around it, `other_side` with the minor); A's member
without a pair knows the program (403). The pair adopts a template in its workspace."""

from collections.abc import Callable

from django.core.files.base import ContentFile

from mentorat.mentorships.models import Mentorship
from mentorat.programs.models import Program
from mentorat.resources.models import Audience, GoalTemplate, LibraryResource, Phase
from tests.conftest import Cast
from tests.mentorships.factories import MentorshipFactory, RunningEditionFactory
from tests.mentorships.permission_cases import PAIR_POST, pair_of_a
from tests.permissions import LOGIN, PROGRAM_AND_PARTNER, RUNS_THE_PROGRAM, Case, everyone
from tests.programs.factories import ProgramFactory
from tests.programs.permission_cases import RUNS_THE_PROGRAM_POST, program_of_a


def library_resource(
    program: Program,
    *,
    audience: str = Audience.BOTH,
    with_file: bool = False,
    whole_organization: bool = False,
) -> LibraryResource:
    resource = LibraryResource(
        organization_id=program.organization_id,
        program=None if whole_organization else program,
        title="Guide du premier rendez-vous",
        kind="guide",
        url="" if with_file else "https://guide.example.org",
        audience=audience,
        phase=Phase.BEFORE_FIRST_MEETING,
    )
    if with_file:
        resource.file.save("guide.pdf", ContentFile(b"%PDF-1.4 guide"), save=False)
        resource.file_name, resource.content_type = "guide.pdf", "application/pdf"
    resource.save()
    return resource


def goal_template(program: Program) -> GoalTemplate:
    return GoalTemplate.objects.create(
        organization_id=program.organization_id,
        program=program,
        title="Décrocher un stage",
        measure="Une convention de stage signée",
    )


def program_kwargs(cast: Cast) -> dict[str, str]:
    return {"slug": program_of_a(cast).slug}


def with_library_object(make: Callable[[Program], object]) -> Callable[[Cast], dict[str, str]]:
    def kwargs(cast: Cast) -> dict[str, str]:
        program = program_of_a(cast)
        return {"slug": program.slug, "pk": str(make(program).pk)}  # type: ignore[attr-defined]

    return kwargs


def file_kwargs(cast: Cast) -> dict[str, str]:
    """A file for both sides in the program of the cast's pair."""
    program = pair_of_a(cast).edition.program
    return {"slug": program.slug, "pk": str(library_resource(program, with_file=True).pk)}


def adopt_kwargs(cast: Cast) -> dict[str, str]:
    mentorship = pair_of_a(cast)
    template = goal_template(mentorship.edition.program)
    return {"pk": str(mentorship.pk), "template_pk": str(template.pk)}


# The program's people: its staff, its partner's staff and the people of its pairs.
PROGRAM_PEOPLE = everyone(200) | {
    "anonymous": LOGIN,
    "outsider": 404,
    "coordinator_b": 404,
    "member_no_role": 403,
}

CASES: dict[str, Case] = {
    "resources:program_library": Case(PROGRAM_AND_PARTNER, kwargs=program_kwargs),
    "resources:resource_add": Case(RUNS_THE_PROGRAM, kwargs=program_kwargs),
    "resources:resource_edit": Case(RUNS_THE_PROGRAM, kwargs=with_library_object(library_resource)),
    "resources:resource_delete": Case(
        RUNS_THE_PROGRAM_POST, kwargs=with_library_object(library_resource), method="post"
    ),
    "resources:template_add": Case(RUNS_THE_PROGRAM, kwargs=program_kwargs),
    "resources:template_edit": Case(RUNS_THE_PROGRAM, kwargs=with_library_object(goal_template)),
    "resources:template_delete": Case(
        RUNS_THE_PROGRAM_POST, kwargs=with_library_object(goal_template), method="post"
    ),
    "resources:resource_download": Case(PROGRAM_PEOPLE, kwargs=file_kwargs),
    "resources:template_adopt": Case(PAIR_POST, kwargs=adopt_kwargs, method="post"),
}


# Mismatch worlds: program n of A with a resource, a file and a template of its own;
# the cast's mentor in a pair of program n (with the mentee, then the minor).


def _program(cast: Cast, n: int) -> Program:
    return ProgramFactory(organization=cast.org_a, slug=f"bibliotheque-{n}")


def _library_world(make: Callable[[Program], object]) -> Callable[[Cast, int], dict[str, str]]:
    def world(cast: Cast, n: int) -> dict[str, str]:
        program = _program(cast, n)
        return {"slug": program.slug, "pk": str(make(program).pk)}  # type: ignore[attr-defined]

    return world


def adopt_world(cast: Cast, n: int) -> dict[str, str]:
    program = _program(cast, n)
    mentorship: Mentorship = MentorshipFactory(
        edition=RunningEditionFactory(program=program),
        mentor=cast.mentor,
        mentee=cast.mentee if n == 1 else cast.minor,
    )
    return {"pk": str(mentorship.pk), "template_pk": str(goal_template(program).pk)}


# URL name → (world, persona); tests/test_permission_mismatch.py makes them cases.
MISMATCH_WORLDS: dict[str, tuple[Callable[[Cast, int], dict[str, str]], str]] = {
    "resources:resource_edit": (_library_world(library_resource), "coordinator_a"),
    "resources:resource_delete": (_library_world(library_resource), "coordinator_a"),
    "resources:template_edit": (_library_world(goal_template), "coordinator_a"),
    "resources:template_delete": (_library_world(goal_template), "coordinator_a"),
    "resources:resource_download": (
        _library_world(lambda program: library_resource(program, with_file=True)),
        "coordinator_a",
    ),
    "resources:template_adopt": (adopt_world, "mentor"),
}
