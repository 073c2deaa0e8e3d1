from mentorat.matching.models import MatchRun
from tests.conftest import Cast
from tests.matching.factories import cohort, finished_run
from tests.permissions import STAFF_OF_A, Case
from tests.programs.factories import EditionFactory, ProgramFactory
from tests.programs.permission_cases import STAFF_OF_A_POST

SLUG = "matching-a"


def run_of_a(cast: Cast) -> MatchRun:
    run = MatchRun.objects.filter(edition__program__slug=SLUG).first()
    if run is None:
        run = finished_run(cohort(cast.org_a, slug=SLUG), user=cast.coordinator_a)
    return run


def program_kwargs(cast: Cast) -> dict[str, str]:
    return {"slug": run_of_a(cast).edition.program.slug}


def run_kwargs(cast: Cast) -> dict[str, str]:
    run = run_of_a(cast)
    return {"slug": SLUG, "pk": str(run.pk)}


def mentee_kwargs(cast: Cast) -> dict[str, str]:
    run = run_of_a(cast)
    first = run.proposals.order_by("pk").first()
    assert first is not None
    return {"slug": SLUG, "pk": str(run.pk), "mentee": str(first.mentee_id)}


def start_kwargs(cast: Cast) -> dict[str, str]:
    program = ProgramFactory(organization=cast.org_a, slug="matching-start")
    EditionFactory(program=program)
    return {"slug": program.slug}


CASES: dict[str, Case] = {
    "matching:runs": Case(STAFF_OF_A, kwargs=program_kwargs),
    # Invalid form: staff get the page back with the errors (400).
    "matching:run_start": Case(
        STAFF_OF_A | {"coordinator_a": 400, "admin_a": 400, "platform_admin": 400},
        kwargs=start_kwargs,
        method="post",
    ),
    "matching:run": Case(STAFF_OF_A, kwargs=run_kwargs),
    "matching:run_status": Case(STAFF_OF_A, kwargs=run_kwargs),
    "matching:run_retry": Case(STAFF_OF_A_POST, kwargs=run_kwargs, method="post"),
    "matching:proposals": Case(STAFF_OF_A, kwargs=run_kwargs),
    "matching:mentee": Case(STAFF_OF_A, kwargs=mentee_kwargs),
    "matching:assign": Case(STAFF_OF_A_POST, kwargs=mentee_kwargs, method="post"),
    "matching:lock": Case(STAFF_OF_A_POST, kwargs=mentee_kwargs, method="post"),
    "matching:exclude": Case(STAFF_OF_A_POST, kwargs=mentee_kwargs, method="post"),
    "matching:rerun": Case(STAFF_OF_A_POST, kwargs=run_kwargs, method="post"),
    "matching:compare": Case(STAFF_OF_A, kwargs=run_kwargs),
}
