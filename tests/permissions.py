"""Shared pieces of the permission tests (see tests/test_permissions.py).

The rules the expected statuses come from:
- anonymous requests are sent to the sign-in page;
- people of other organisations cannot tell an organisation, a program or anything in
  them exists (404);
- members of organisation A who lack the right see A's pages and programs exist, so they
  get 403 there; but a person's own things (applications, requests, check-ins, pairs) stay
  hidden from everyone else, colleagues included (404), except the staff who follow them;
- A's partner C: its coordinator sees A's programs shared with C as far as C's own people
  are concerned (applications, imports, pairs, figures of C's people); A's organisation
  pages and A's people stay hidden (404), and running the program is refused (403).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from mentorat.mentorships.models import Mentorship, MentorshipStatus
from mentorat.programs.models import Edition, ParticipantRole, Program
from tests.conftest import PERSONAS, Cast
from tests.mentorships.factories import application_of

LOGIN = 302  # anonymous users are sent to the sign-in page


@dataclass
class Case:
    """Expected status per persona; `method` POST sends `data`. `kwargs` builds the URL
    arguments (and any object they need) from the cast."""

    expected: dict[str, int]
    kwargs: Callable[[Cast], dict[str, str]] = lambda cast: {}
    method: str = "get"
    data: dict[str, str] = field(default_factory=dict)


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(PERSONAS, status)


def org_a(cast: Cast) -> dict[str, str]:
    return {"slug": cast.org_a.slug}


def set_the_scene(cast: Cast) -> None:
    """What every case's objects are surrounded with, once a case has built them: each
    program of A is shared with its partner C, and wherever the cast's mentor and mentee
    form a pair, `other_side` and the minor form another pair of the same edition."""
    for program in Program.objects.filter(organization=cast.org_a):
        program.shared_with.add(cast.org_c)
    for edition in Edition.objects.filter(
        mentorships__mentee_application__user=cast.mentee,
        mentorships__status=MentorshipStatus.ACTIVE,
    ):
        if not Mentorship.objects.filter(
            edition=edition, mentee_application__user=cast.minor, status=MentorshipStatus.ACTIVE
        ).exists():
            Mentorship.objects.create(
                edition=edition,
                mentor_application=application_of(edition, cast.other_side, ParticipantRole.MENTOR),
                mentee_application=application_of(edition, cast.minor, ParticipantRole.MENTEE),
                started_on=timezone.localdate(),
            )


# Members of A without a staff role: A's mentor and mentee, the minor, the other pair's
# mentor and a member with no part in any program.
A_MEMBERS_WITHOUT_STAFF_ROLE = ("mentee", "mentor", "minor", "other_side", "member_no_role")

# Members of organisation A see it; others cannot tell it exists (404), A's partner
# included: a partnership shares programs, not the organisation's pages.
MEMBERS_OF_A_ONLY = {
    "anonymous": LOGIN,
    "outsider": 404,
    "coordinator_b": 404,
    "partner_coordinator": 404,
    "coordinator_a": 200,
    "admin_a": 200,
    "platform_admin": 200,
} | dict.fromkeys(A_MEMBERS_WITHOUT_STAFF_ROLE, 200)
# Coordinators and admins of A; A's other members are refused (403).
STAFF_OF_A = MEMBERS_OF_A_ONLY | dict.fromkeys(A_MEMBERS_WITHOUT_STAFF_ROLE, 403)
# Organisation admins of A only.
ADMIN_OF_A = STAFF_OF_A | {"coordinator_a": 403}

# A program of A, shared with C. Running it is for A's staff: C's coordinator sees the
# program exists (403).
RUNS_THE_PROGRAM = STAFF_OF_A | {"partner_coordinator": 403}
# Pages a partner's coordinator uses too, for their own people (lists, imports, figures).
PROGRAM_AND_PARTNER = STAFF_OF_A | {"partner_coordinator": 200}
# Something of one of A's people in the program (an application, an import of A's
# people): A's staff; the partner's coordinator cannot tell it exists.
A_PEOPLE_IN_PROGRAM = STAFF_OF_A
