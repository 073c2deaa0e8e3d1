from collections.abc import Callable

from mentorat.applications.models import RecruitmentCall
from mentorat.notifications.kinds import EmailKind
from mentorat.notifications.links import unsubscribe_token
from mentorat.notifications.models import DeliveryStatus, EmailDelivery
from mentorat.programs.models import Program
from tests.conftest import Cast
from tests.imports.permission_cases import batch_kwargs
from tests.permissions import LOGIN, Case, everyone
from tests.programs.permission_cases import (
    RUNS_THE_PROGRAM_POST,
    STAFF_OF_A_POST,
    program_of_a,
)

INVITATIONS = "imports.invitation"
CALLS = "applications.recruitment_call"


def failed_email(purpose: str, key: str, recipient: str = "personne1@ecole.example.org") -> None:
    EmailDelivery.objects.create(
        purpose=purpose, key=key, recipient=recipient, status=DeliveryStatus.FAILED
    )


def recruitment_call(program: Program) -> RecruitmentCall:
    return RecruitmentCall.objects.create(program=program, recipients=["rh@banque.example"])


def with_failed_emails(
    world: Callable[..., dict[str, str]], purpose: str
) -> Callable[..., dict[str, str]]:
    """`world` (returning the URL's arguments, the object's as `pk`), with an email of
    that object that could not be sent: a retry bound to the wrong object would change
    its row."""

    def build(*args: object) -> dict[str, str]:
        arguments = world(*args)
        failed_email(purpose, arguments["pk"])
        return arguments

    return build


def call_kwargs(cast: Cast) -> dict[str, str]:
    program = program_of_a(cast)
    return {"slug": program.slug, "pk": str(recruitment_call(program).pk)}


CASES: dict[str, Case] = {
    # Whoever sees the import retries its invitations: the partner's coordinator cannot
    # tell an import of A's people exists.
    "notifications:retry_import_invitations": Case(
        STAFF_OF_A_POST, kwargs=with_failed_emails(batch_kwargs, INVITATIONS), method="post"
    ),
    # Whoever may send calls for mentors retries them.
    "notifications:retry_recruitment_call": Case(
        RUNS_THE_PROGRAM_POST, kwargs=with_failed_emails(call_kwargs, CALLS), method="post"
    ),
    # Each person's own preferences: nothing of anyone else's to reach.
    "notifications:preferences": Case(everyone(200) | {"anonymous": LOGIN}),
    # The signed link of an email works for whoever holds it, signed in or not (GET: the
    # confirm page, which changes nothing).
    "notifications:unsubscribe": Case(
        everyone(200),
        kwargs=lambda cast: {
            "token": unsubscribe_token(user_id=cast.mentee.pk, kind=EmailKind.MEETINGS)
        },
    ),
}
