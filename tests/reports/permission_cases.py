from tests.conftest import Cast
from tests.permissions import PROGRAM_AND_PARTNER, STAFF_OF_A, Case, org_a
from tests.programs.permission_cases import program_kwargs


def chart_kwargs(cast: Cast) -> dict[str, str]:
    return program_kwargs(cast) | {"name": "coverage_over_time"}


def export_kwargs(cast: Cast) -> dict[str, str]:
    return program_kwargs(cast) | {"table": "indicators", "fmt": "xlsx"}


# Staff of the program's owner see its report, and the coordinators of a partner it is
# shared with the figures of their own people; its mentors and mentees are refused (403);
# people of other organisations cannot tell it exists (404).
CASES: dict[str, Case] = {
    "reports:program": Case(PROGRAM_AND_PARTNER, kwargs=program_kwargs),
    "reports:chart": Case(PROGRAM_AND_PARTNER, kwargs=chart_kwargs),
    "reports:export": Case(PROGRAM_AND_PARTNER, kwargs=export_kwargs),
    "reports:annual_pdf": Case(PROGRAM_AND_PARTNER, kwargs=program_kwargs),
    # An organisation's report: its admins and coordinators (not its partners').
    "reports:organization": Case(STAFF_OF_A, kwargs=org_a),
    "reports:organization_export": Case(
        STAFF_OF_A, kwargs=lambda cast: org_a(cast) | {"table": "contribution", "fmt": "csv"}
    ),
}
