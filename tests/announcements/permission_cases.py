"""Permission cases of messages to a cohort.

The coordinators' pages are for the program's staff and for the coordinator of the
partner C the program is shared with (their own messages only: a message of A is hidden
from them, 404); A's other members know the program exists (403). A message received is
its recipient's alone (the cast's mentee here): everyone else gets 404."""

from collections.abc import Callable

from django.utils import timezone

from mentorat.announcements.models import (
    Announcement,
    AnnouncementRecipient,
    AnnouncementStatus,
    Segment,
)
from mentorat.programs.models import Program
from tests.conftest import Cast
from tests.permissions import LOGIN, PROGRAM_AND_PARTNER, STAFF_OF_A, Case, everyone
from tests.programs.factories import EditionFactory, ProgramFactory
from tests.programs.permission_cases import program_of_a

# Staff of A; the partner's coordinator cannot tell a message of A exists.
A_MESSAGE = STAFF_OF_A
A_MESSAGE_POST = A_MESSAGE | {"coordinator_a": 302, "admin_a": 302, "platform_admin": 302}
RECIPIENT_ONLY = everyone(404) | {"anonymous": LOGIN, "mentee": 200}


def message_of_a(cast: Cast, *, sent: bool = False) -> Announcement:
    program = program_of_a(cast)
    announcement = Announcement.objects.create(
        program=program,
        edition=program.editions.first(),
        organization=cast.org_a,
        author=cast.coordinator_a,
        segment=Segment.MENTEES,
        subject="Lancement",
        body="Bonjour",
        status=AnnouncementStatus.SENT if sent else AnnouncementStatus.DRAFT,
        sent_at=timezone.now() if sent else None,
    )
    if sent:
        AnnouncementRecipient.objects.create(announcement=announcement, user=cast.mentee)
    return announcement


def program_kwargs(cast: Cast) -> dict[str, str]:
    return {"slug": program_of_a(cast).slug}


def draft_kwargs(cast: Cast) -> dict[str, str]:
    return {"slug": program_of_a(cast).slug, "pk": str(message_of_a(cast).pk)}


def sent_kwargs(cast: Cast) -> dict[str, str]:
    return {"slug": program_of_a(cast).slug, "pk": str(message_of_a(cast, sent=True).pk)}


def received_kwargs(cast: Cast) -> dict[str, str]:
    return {"pk": str(message_of_a(cast, sent=True).pk)}


CASES: dict[str, Case] = {
    "announcements:inbox": Case(everyone(200) | {"anonymous": LOGIN}),
    "announcements:detail": Case(RECIPIENT_ONLY, kwargs=received_kwargs),
    "announcements:mark_read": Case(
        RECIPIENT_ONLY | {"mentee": 302}, kwargs=received_kwargs, method="post"
    ),
    "announcements:list": Case(PROGRAM_AND_PARTNER, kwargs=program_kwargs),
    "announcements:write": Case(PROGRAM_AND_PARTNER, kwargs=program_kwargs),
    "announcements:preview": Case(A_MESSAGE, kwargs=draft_kwargs),
    "announcements:send": Case(A_MESSAGE_POST, kwargs=draft_kwargs, method="post"),
    "announcements:retry": Case(A_MESSAGE_POST, kwargs=sent_kwargs, method="post"),
}


def _message_of(program: Program, cast: Cast, *, sent: bool) -> Announcement:
    return Announcement.objects.create(
        program=program,
        edition=program.editions.first(),
        organization=cast.org_a,
        author=cast.coordinator_a,
        segment=Segment.MENTEES,
        subject=f"Message de {program.name}",
        body="Bonjour",
        status=AnnouncementStatus.SENT if sent else AnnouncementStatus.DRAFT,
        sent_at=timezone.now() if sent else None,
    )


def mismatch_world(*, sent: bool) -> Callable[[Cast, int], dict[str, str]]:
    """Program n of A (with an edition) and a message of its own."""

    def world(cast: Cast, n: int) -> dict[str, str]:
        program = ProgramFactory(organization=cast.org_a, slug=f"annonces-{n}")
        EditionFactory(program=program)
        return {"slug": program.slug, "pk": str(_message_of(program, cast, sent=sent).pk)}

    return world


# URL name → (world, persona); tests/test_permission_mismatch.py makes them cases.
MISMATCH_WORLDS: dict[str, tuple[Callable[[Cast, int], dict[str, str]], str]] = {
    "announcements:preview": (mismatch_world(sent=False), "coordinator_a"),
    "announcements:send": (mismatch_world(sent=False), "coordinator_a"),
    "announcements:retry": (mismatch_world(sent=True), "coordinator_a"),
}
