from mentorat.programs.models import Program
from tests.conftest import Cast
from tests.permissions import STAFF_OF_A, Case, everyone, org_a
from tests.programs.factories import (
    EditionFactory,
    ObjectiveFactory,
    ProgramFactory,
    QuestionFactory,
    RuleFactory,
)

# Staff of A succeed with a redirect after a POST.
STAFF_OF_A_POST = STAFF_OF_A | {"coordinator_a": 302, "admin_a": 302, "platform_admin": 302}


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
    "programs:list": Case(STAFF_OF_A, kwargs=org_a),
    "programs:create": Case(STAFF_OF_A, kwargs=org_a),
    "programs:manage": Case(STAFF_OF_A, kwargs=program_kwargs),
    "programs:edit": Case(STAFF_OF_A, kwargs=program_kwargs),
    "programs:matching": Case(STAFF_OF_A, kwargs=program_kwargs),
    "programs:charter": Case(STAFF_OF_A, kwargs=program_kwargs),
    "programs:objective_add": Case(STAFF_OF_A, kwargs=program_kwargs),
    "programs:edition_add": Case(STAFF_OF_A, kwargs=program_kwargs),
    "programs:edition_edit": Case(STAFF_OF_A, kwargs=with_object(EditionFactory)),
    "programs:rule_add": Case(STAFF_OF_A, kwargs=program_kwargs),
    "programs:question_add": Case(STAFF_OF_A, kwargs=program_kwargs),
    "programs:objective_delete": Case(
        STAFF_OF_A_POST, kwargs=with_object(ObjectiveFactory), method="post"
    ),
    "programs:rule_delete": Case(STAFF_OF_A_POST, kwargs=with_object(RuleFactory), method="post"),
    "programs:question_delete": Case(
        STAFF_OF_A_POST, kwargs=with_object(QuestionFactory), method="post"
    ),
}
