from mentorat.accounts.models import User
from mentorat.organizations.models import Organization
from mentorat.programs.models import Program
from tests.conftest import Cast
from tests.imports.files import csv_bytes, people
from tests.permissions import A_PEOPLE_IN_PROGRAM, PROGRAM_AND_PARTNER, Case
from tests.programs.permission_cases import STAFF_OF_A_POST, program_kwargs, program_of_a


def previewed_batch_kwargs(
    program: Program, organization: Organization, actor: User, filename: str
) -> dict[str, str]:
    """A file of two people of `organization` previewed by `actor`, not imported yet."""
    from mentorat.applications.imports.services import preview_import

    batch, _report = preview_import(
        program=program,
        edition=program.editions.get(),
        organization=organization,
        default_role="",
        filename=filename,
        content=csv_bytes(people(2)),
        actor=actor,
    )
    return {"slug": program.slug, "pk": str(batch.pk)}


def batch_kwargs(cast: Cast) -> dict[str, str]:
    """A file previewed by a coordinator of A, not imported yet."""
    return previewed_batch_kwargs(program_of_a(cast), cast.org_a, cast.coordinator_a, "liste.csv")


def template_kwargs(cast: Cast) -> dict[str, str]:
    return program_kwargs(cast) | {"fmt": "xlsx"}


# A partner's coordinator imports their own people; the import made for A's people
# (by A's coordinator) is hidden from them.
CASES: dict[str, Case] = {
    "imports:upload": Case(PROGRAM_AND_PARTNER, kwargs=program_kwargs),
    "imports:template": Case(PROGRAM_AND_PARTNER, kwargs=template_kwargs),
    "imports:preview": Case(A_PEOPLE_IN_PROGRAM, kwargs=batch_kwargs),
    # Without the file's hash the confirmation is refused, but only after the permission
    # checks: staff are sent back to the preview.
    "imports:confirm": Case(STAFF_OF_A_POST, kwargs=batch_kwargs, method="post"),
    "imports:discard": Case(STAFF_OF_A_POST, kwargs=batch_kwargs, method="post"),
}
