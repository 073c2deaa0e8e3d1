"""Permission cases of the safeguarding pages (tests/test_permissions.py), and the worlds
of their parent/child mismatch cases (tests/test_permission_mismatch.py)."""

from django.utils import timezone

from mentorat.applications.models import Application, ApplicationStatus
from mentorat.organizations.models import Organization
from mentorat.programs.models import ParticipantRole, Program
from mentorat.safeguarding.models import CheckKind, SafeguardingCheck
from tests.conftest import Cast
from tests.factories import UserFactory
from tests.permissions import A_PEOPLE_IN_PROGRAM, PROGRAM_AND_PARTNER, Case
from tests.programs.factories import EditionFactory, ProgramFactory
from tests.programs.permission_cases import STAFF_OF_A_POST, program_of_a


def accepted_mentor(program: Program, user, organization: Organization | None) -> Application:
    now = timezone.now()
    return Application.objects.create(
        edition=program.editions.get(),
        user=user,
        role=ParticipantRole.MENTOR,
        organization=organization,
        status=ApplicationStatus.ACCEPTED,
        submitted_at=now,
        accepted_at=now,
    )


def check_of(application: Application, organization: Organization) -> SafeguardingCheck:
    return SafeguardingCheck.objects.create(
        mentor_id=application.user_id,
        organization=organization,
        kind=CheckKind.CRIMINAL_RECORD,
        checked_on=timezone.localdate(),
    )


def edition_kwargs(cast: Cast) -> dict[str, str]:
    program = program_of_a(cast)
    return {"slug": program.slug, "edition_pk": str(program.editions.get().pk)}


def mentor_kwargs(cast: Cast) -> dict[str, str]:
    """A's mentor, accepted in A's program (not the partner's person)."""
    program = program_of_a(cast)
    mentor = accepted_mentor(program, cast.mentor, cast.org_a)
    return edition_kwargs(cast) | {"pk": str(mentor.pk)}


def check_kwargs(cast: Cast) -> dict[str, str]:
    """A check A recorded for A's mentor."""
    program = program_of_a(cast)
    mentor = accepted_mentor(program, cast.mentor, cast.org_a)
    return {"slug": program.slug, "pk": str(check_of(mentor, cast.org_a).pk)}


RECORD_DATA = {
    "kind": CheckKind.CRIMINAL_RECORD,
    "checked_on": "2026-01-05",
    "document_not_kept": "on",
}

CASES: dict[str, Case] = {
    # The edition's mentors: A's staff, and the partner's coordinator for C's mentors.
    "safeguarding:mentors": Case(PROGRAM_AND_PARTNER, kwargs=edition_kwargs),
    # A's mentor: A's staff; the partner's coordinator cannot tell they exist.
    "safeguarding:record": Case(A_PEOPLE_IN_PROGRAM, kwargs=mentor_kwargs),
    # A check A recorded: revoked by A's staff only.
    "safeguarding:revoke": Case(STAFF_OF_A_POST, kwargs=check_kwargs, method="post"),
}


# Mismatch worlds: program n of A with its edition, a mentor of its own, and a check.


def _world(cast: Cast, n: int) -> tuple[Program, Application]:
    program = ProgramFactory(organization=cast.org_a, slug=f"honorabilite-{n}")
    EditionFactory(program=program)
    return program, accepted_mentor(program, UserFactory(), cast.org_a)


def mentor_world(cast: Cast, n: int) -> dict[str, str]:
    program, mentor = _world(cast, n)
    return {"slug": program.slug, "edition_pk": str(mentor.edition_id), "pk": str(mentor.pk)}


def edition_world(cast: Cast, n: int) -> dict[str, str]:
    arguments = mentor_world(cast, n)
    return {"slug": arguments["slug"], "edition_pk": arguments["edition_pk"]}


def check_world(cast: Cast, n: int) -> dict[str, str]:
    program, mentor = _world(cast, n)
    return {"slug": program.slug, "pk": str(check_of(mentor, cast.org_a).pk)}
