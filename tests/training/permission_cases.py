"""Permission cases of training (tests/test_permissions.py), and the worlds of their
parent/child mismatch cases (tests/test_permission_mismatch.py).

A module of A, shared with A's partner C: every member of A and of C follows it; others
cannot tell it exists (404). A's staff edit it; its other readers (A's members, C's
coordinator) get 403. An attempt of A's mentor is seen by the mentor and A's staff only
(404 for the rest, colleagues included). A program's training pages are run by A's staff."""

from collections.abc import Callable

from mentorat.training.models import Assignment, Module, Question, Section
from mentorat.training.services import submit_attempt
from tests.conftest import Cast
from tests.permissions import LOGIN, RUNS_THE_PROGRAM, STAFF_OF_A, Case, everyone
from tests.programs.factories import EditionFactory, ProgramFactory
from tests.programs.permission_cases import RUNS_THE_PROGRAM_POST, program_of_a
from tests.training.factories import answers, make_module

SIGNED_IN = everyone(200) | {"anonymous": LOGIN}
# Members of A and of its partner C (the module is shared with C).
READERS = SIGNED_IN | {"outsider": 404, "coordinator_b": 404}
READERS_POST = READERS | {p: 302 for p, s in READERS.items() if s == 200}
# Those who edit: A's staff; the module's other readers know it (403).
EDITORS = RUNS_THE_PROGRAM
EDITORS_POST = RUNS_THE_PROGRAM_POST
# The person and the staff who follow them.
OWN_ATTEMPT = everyone(404) | {
    "anonymous": LOGIN,
    "mentor": 200,
    "coordinator_a": 200,
    "admin_a": 200,
    "platform_admin": 200,
}


def module_of_a(cast: Cast) -> Module:
    module = Module.objects.filter(organization=cast.org_a, title="Module A").first()
    if module is None:
        module = make_module(cast.org_a, title="Module A", with_image=True)
        module.shared_with.add(cast.org_c)
    return module


def module_kwargs(cast: Cast) -> dict[str, str]:
    return {"pk": str(module_of_a(cast).pk)}


def section_kwargs(cast: Cast) -> dict[str, str]:
    module = module_of_a(cast)
    return {"pk": str(module.pk), "section_pk": str(module.sections.first().pk)}


def question_kwargs(cast: Cast) -> dict[str, str]:
    module = module_of_a(cast)
    return {"pk": str(module.pk), "question_pk": str(module.questions.first().pk)}


def attempt_kwargs(cast: Cast) -> dict[str, str]:
    module = module_of_a(cast)
    attempt = submit_attempt(user=cast.mentor, module=module, answers=answers(module, right=False))
    return {"pk": str(attempt.pk)}


def org_kwargs(cast: Cast) -> dict[str, str]:
    return {"slug": cast.org_a.slug}


def program_kwargs(cast: Cast) -> dict[str, str]:
    return {"slug": program_of_a(cast).slug}


def assignment_kwargs(cast: Cast) -> dict[str, str]:
    program = program_of_a(cast)
    assignment = Assignment.objects.create(
        program=program, module=module_of_a(cast), requirement="recommended"
    )
    return {"slug": program.slug, "pk": str(assignment.pk)}


CASES: dict[str, Case] = {
    "training:my_modules": Case(SIGNED_IN),
    "training:module": Case(READERS, kwargs=module_kwargs),
    "training:section": Case(READERS, kwargs=section_kwargs),
    "training:section_done": Case(READERS_POST, kwargs=section_kwargs, method="post"),
    "training:section_image": Case(READERS, kwargs=section_kwargs),
    "training:quiz": Case(READERS, kwargs=module_kwargs),
    "training:attempt": Case(OWN_ATTEMPT, kwargs=attempt_kwargs),
    "training:organization_modules": Case(STAFF_OF_A, kwargs=org_kwargs),
    "training:module_add": Case(STAFF_OF_A, kwargs=org_kwargs),
    "training:module_edit": Case(EDITORS, kwargs=module_kwargs),
    "training:module_translate": Case(EDITORS, kwargs=module_kwargs),
    "training:section_add": Case(EDITORS, kwargs=module_kwargs),
    "training:section_edit": Case(EDITORS, kwargs=section_kwargs),
    "training:section_delete": Case(EDITORS_POST, kwargs=section_kwargs, method="post"),
    "training:question_add": Case(EDITORS, kwargs=module_kwargs),
    "training:question_edit": Case(EDITORS, kwargs=question_kwargs),
    "training:question_delete": Case(EDITORS_POST, kwargs=question_kwargs, method="post"),
    "training:program_training": Case(RUNS_THE_PROGRAM, kwargs=program_kwargs),
    "training:assignment_add": Case(RUNS_THE_PROGRAM, kwargs=program_kwargs),
    "training:assignment_delete": Case(
        RUNS_THE_PROGRAM_POST, kwargs=assignment_kwargs, method="post"
    ),
}


# Mismatch worlds: module n of A with its sections (an image) and questions; program n
# of A with an assignment.


def _module_world(child: Callable[[Module], Section | Question], key: str):
    def world(cast: Cast, n: int) -> dict[str, str]:
        module = make_module(cast.org_a, title=f"Module {n}", with_image=True)
        return {"pk": str(module.pk), key: str(child(module).pk)}

    return world


def _first_section(module: Module) -> Section:
    return module.sections.order_by("position").first()  # type: ignore[return-value]


def _first_question(module: Module) -> Question:
    return module.questions.order_by("position").first()  # type: ignore[return-value]


def assignment_world(cast: Cast, n: int) -> dict[str, str]:
    program = ProgramFactory(organization=cast.org_a, slug=f"formation-{n}")
    EditionFactory(program=program)
    module = make_module(cast.org_a, title=f"Assigné {n}")
    assignment = Assignment.objects.create(
        program=program, module=module, requirement="recommended"
    )
    return {"slug": program.slug, "pk": str(assignment.pk)}


_SECTION = _module_world(_first_section, "section_pk")
_QUESTION = _module_world(_first_question, "question_pk")

MISMATCH_WORLDS: dict[str, tuple[Callable[[Cast, int], dict[str, str]], str]] = {
    "training:section": (_SECTION, "coordinator_a"),
    "training:section_done": (_SECTION, "coordinator_a"),
    "training:section_image": (_SECTION, "coordinator_a"),
    "training:section_edit": (_SECTION, "coordinator_a"),
    "training:section_delete": (_SECTION, "coordinator_a"),
    "training:question_edit": (_QUESTION, "coordinator_a"),
    "training:question_delete": (_QUESTION, "coordinator_a"),
    "training:assignment_delete": (assignment_world, "coordinator_a"),
}
