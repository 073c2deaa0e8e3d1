from mentorat.applications.links import guardian_token
from mentorat.applications.models import Application, ApplicationStatus
from tests.applications.factories import ApplicationFactory
from tests.conftest import Cast
from tests.permissions import (
    A_PEOPLE_IN_PROGRAM,
    LOGIN,
    PROGRAM_AND_PARTNER,
    Case,
    everyone,
)
from tests.programs.factories import EditionFactory
from tests.programs.permission_cases import RUNS_THE_PROGRAM_POST, program_kwargs, program_of_a

ONLY_THE_APPLICANT = everyone(404) | {"anonymous": LOGIN, "mentee": 200}
SIGNED_IN = everyone(200) | {"anonymous": LOGIN}


def mentee_application(cast: Cast) -> Application:
    program = program_of_a(cast)
    return ApplicationFactory(edition=program.editions.first(), user=cast.mentee)


def own_application_kwargs(cast: Cast) -> dict[str, str]:
    return {"pk": str(mentee_application(cast).pk)}


def review_kwargs(cast: Cast) -> dict[str, str]:
    application = mentee_application(cast)
    return {"slug": application.edition.program.slug, "pk": str(application.pk)}


def guardian_kwargs(cast: Cast) -> dict[str, str]:
    """The link emailed to the minor's guardian: whoever holds it sees the consent page."""
    program = program_of_a(cast)
    application = ApplicationFactory(
        edition=EditionFactory(program=program),
        user=cast.minor,
        status=ApplicationStatus.AWAITING_GUARDIAN_CONSENT,
        guardian_email="parent@example.org",
        is_minor=True,
    )
    return {"token": guardian_token(application)}


def awaiting_consent_kwargs(cast: Cast) -> dict[str, str]:
    """A minor's application of A still waiting for the guardian's consent."""
    program = program_of_a(cast)
    application = ApplicationFactory(
        edition=EditionFactory(program=program),
        user=cast.minor,
        status=ApplicationStatus.AWAITING_GUARDIAN_CONSENT,
        guardian_email="parent@example.org",
        is_minor=True,
    )
    return {"slug": program.slug, "pk": str(application.pk)}


def apply_kwargs(cast: Cast) -> dict[str, str]:
    return {"slug": program_of_a(cast).slug, "role": "mentee"}


CASES: dict[str, Case] = {
    "applications:apply": Case(SIGNED_IN, kwargs=apply_kwargs),
    "applications:my_list": Case(SIGNED_IN),
    "applications:my_detail": Case(ONLY_THE_APPLICANT, kwargs=own_application_kwargs),
    "applications:guardian_consent": Case(everyone(200), kwargs=guardian_kwargs),
    # A partner's coordinator lists their own people's applications, decides none.
    "applications:list": Case(PROGRAM_AND_PARTNER, kwargs=program_kwargs),
    "applications:bulk_decide": Case(
        RUNS_THE_PROGRAM_POST,
        kwargs=program_kwargs,
        method="post",
        data={"decision": "waitlist", "applications": ["1"]},
    ),
    # The mentee of A's application: hidden from the partner's coordinator.
    "applications:review": Case(A_PEOPLE_IN_PROGRAM, kwargs=review_kwargs),
    # Only the program's staff email the guardian again.
    "applications:resend_guardian_consent": Case(
        RUNS_THE_PROGRAM_POST, kwargs=awaiting_consent_kwargs, method="post"
    ),
    "applications:right_to_mentor": Case(PROGRAM_AND_PARTNER, kwargs=program_kwargs),
    "applications:recruitment_call": Case(
        RUNS_THE_PROGRAM_POST, kwargs=program_kwargs, method="post", data={"message": "Merci"}
    ),
}
