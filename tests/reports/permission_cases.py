from tests.conftest import Cast
from tests.permissions import STAFF_OF_A, Case, org_a
from tests.programs.permission_cases import program_kwargs


def chart_kwargs(cast: Cast) -> dict[str, str]:
    return program_kwargs(cast) | {"name": "coverage_over_time"}


def export_kwargs(cast: Cast) -> dict[str, str]:
    return program_kwargs(cast) | {"table": "indicators", "fmt": "xlsx"}


# Staff of the program's owner see its report; its mentors and mentees are refused (403);
# people of other organisations cannot tell it exists (404).
CASES: dict[str, Case] = {
    "reports:program": Case(STAFF_OF_A, kwargs=program_kwargs),
    "reports:chart": Case(STAFF_OF_A, kwargs=chart_kwargs),
    "reports:export": Case(STAFF_OF_A, kwargs=export_kwargs),
    "reports:annual_pdf": Case(STAFF_OF_A, kwargs=program_kwargs),
    # An organisation's report: its admins and coordinators.
    "reports:organization": Case(STAFF_OF_A, kwargs=org_a),
    "reports:organization_export": Case(
        STAFF_OF_A, kwargs=lambda cast: org_a(cast) | {"table": "contribution", "fmt": "csv"}
    ),
}
