from mentorat.programs.models import Program
from tests.conftest import Cast
from tests.permissions import (
    PROGRAM_AND_PARTNER,
    RUNS_THE_PROGRAM,
    STAFF_OF_A,
    Case,
    everyone,
    org_a,
)
from tests.programs.factories import (
    EditionFactory,
    ObjectiveFactory,
    ProgramFactory,
    QuestionFactory,
    RuleFactory,
)

# Staff of A succeed with a redirect after a POST.
STAFF_OF_A_POST = STAFF_OF_A | {"coordinator_a": 302, "admin_a": 302, "platform_admin": 302}
# The same for a program of A: its partner's coordinator knows the program (403).
RUNS_THE_PROGRAM_POST = STAFF_OF_A_POST | {"partner_coordinator": 403}


def program_of_a(cast: Cast) -> Program:
    program = Program.objects.filter(slug="programme-a").first()
    if program is None:
        program = ProgramFactory(organization=cast.org_a, slug="programme-a", name="Programme A")
        EditionFactory(program=program)
    return program


def program_kwargs(cast: Cast) -> dict[str, str]:
    return {"slug": program_of_a(cast).slug}


def with_object(factory):
    def kwargs(cast: Cast) -> dict[str, str]:
        program = program_of_a(cast)
        return {"slug": program.slug, "pk": str(factory(program=program).pk)}

    return kwargs


CASES: dict[str, Case] = {
    "programs:public_list": Case(everyone(200)),
    "programs:public_detail": Case(everyone(200), kwargs=program_kwargs),
    # The organisation's list of programs: its staff (a partner is not a member of A).
    "programs:list": Case(STAFF_OF_A, kwargs=org_a),
    "programs:create": Case(STAFF_OF_A, kwargs=org_a),
    # The program's overview: also for the coordinators of a partner it is shared with.
    "programs:manage": Case(PROGRAM_AND_PARTNER, kwargs=program_kwargs),
    "programs:edit": Case(RUNS_THE_PROGRAM, kwargs=program_kwargs),
    "programs:matching": Case(RUNS_THE_PROGRAM, kwargs=program_kwargs),
    "programs:charter": Case(RUNS_THE_PROGRAM, kwargs=program_kwargs),
    "programs:objective_add": Case(RUNS_THE_PROGRAM, kwargs=program_kwargs),
    "programs:edition_add": Case(RUNS_THE_PROGRAM, kwargs=program_kwargs),
    "programs:edition_edit": Case(RUNS_THE_PROGRAM, kwargs=with_object(EditionFactory)),
    "programs:rule_add": Case(RUNS_THE_PROGRAM, kwargs=program_kwargs),
    "programs:question_add": Case(RUNS_THE_PROGRAM, kwargs=program_kwargs),
    "programs:objective_delete": Case(
        RUNS_THE_PROGRAM_POST, kwargs=with_object(ObjectiveFactory), method="post"
    ),
    "programs:rule_delete": Case(
        RUNS_THE_PROGRAM_POST, kwargs=with_object(RuleFactory), method="post"
    ),
    "programs:question_delete": Case(
        RUNS_THE_PROGRAM_POST, kwargs=with_object(QuestionFactory), method="post"
    ),
}
