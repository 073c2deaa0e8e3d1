"""Permission cases of conversations.

The thread of the cast's pair (mentor and mentee of A, the mentee an adult) is read by
the pair only: A's staff see it exists, as they follow the pair, and are offered to join
it (the thread page, 200), but read nothing (404 on messages and files) until they do;
everyone else cannot tell it exists (404), the partner's coordinator and the other pair
of the edition included. Moderation (close, reopen, remove) is for A's coordinator once a
member; the pair gets 403 there. A minors' thread, always read by the school's staff, is
tested in test_permissions.py of this folder."""

from django.core.files.uploadedfile import SimpleUploadedFile

from mentorat.conversations.models import Message, MessageReport, Thread, ThreadMember
from mentorat.conversations.services import post_message
from tests.conftest import Cast
from tests.mentorships.permission_cases import pair_of_a
from tests.permissions import LOGIN, Case, everyone

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

NOBODY = everyone(404) | {"anonymous": LOGIN}
THE_PAIR = NOBODY | {"mentor": 200, "mentee": 200}
# The thread page: the pair reads it, the program's staff are offered to join it.
THREAD_PAGE = THE_PAIR | {"coordinator_a": 200, "admin_a": 200, "platform_admin": 200}
STAFF = ("coordinator_a", "admin_a", "coordinator_b", "partner_coordinator")
# Moderation by A's coordinator, a member of the thread; the pair sees it and is refused.
MODERATION = NOBODY | {"coordinator_a": 302, "mentor": 403, "mentee": 403}


def thread_kwargs(cast: Cast) -> dict[str, str]:
    return {"pk": str(pair_of_a(cast).pk)}


def mentor_message(cast: Cast) -> Message:
    return post_message(mentorship=pair_of_a(cast), author=cast.mentor, body="Bonjour")


def message_kwargs(cast: Cast) -> dict[str, str]:
    return {"pk": str(mentor_message(cast).pk)}


def attachment_kwargs(cast: Cast) -> dict[str, str]:
    message = post_message(
        mentorship=pair_of_a(cast),
        author=cast.mentor,
        body="Le CV",
        files=[SimpleUploadedFile("cv.pdf", PDF, content_type="application/pdf")],
    )
    return {"pk": str(message.attachments.get().pk)}


def with_coordinator(cast: Cast, *, closed: bool = False) -> Thread:
    """The pair's thread, A's coordinator a member of it."""
    thread, _ = Thread.objects.get_or_create(mentorship=pair_of_a(cast))
    ThreadMember.objects.get_or_create(thread=thread, user=cast.coordinator_a)
    if closed:
        Thread.objects.filter(pk=thread.pk).update(
            closed_at="2026-01-01T00:00:00Z", close_reason="Pause"
        )
    return thread


def moderated_thread(cast: Cast) -> dict[str, str]:
    return {"pk": str(with_coordinator(cast).mentorship_id)}


def closed_thread(cast: Cast) -> dict[str, str]:
    return {"pk": str(with_coordinator(cast, closed=True).mentorship_id)}


def moderated_message(cast: Cast) -> dict[str, str]:
    with_coordinator(cast)
    return message_kwargs(cast)


def report_kwargs(cast: Cast) -> dict[str, str]:
    report = MessageReport.objects.create(
        message=mentor_message(cast), reported_by=cast.mentee, reason="Déplacé"
    )
    return {"pk": str(report.pk)}


CASES: dict[str, Case] = {
    # Everyone signed in has an inbox (their own threads only).
    "conversations:inbox": Case(everyone(200) | {"anonymous": LOGIN}),
    # Coordinators and admins of any organisation (their own programs' reports only).
    "conversations:reports": Case(everyone(403) | {"anonymous": LOGIN} | dict.fromkeys(STAFF, 200)),
    "conversations:handle_report": Case(
        NOBODY | {"coordinator_a": 302, "admin_a": 302, "platform_admin": 302},
        kwargs=report_kwargs,
        method="post",
        data={"note": "Vu avec le binôme"},
    ),
    "conversations:thread": Case(THREAD_PAGE, kwargs=thread_kwargs),
    "conversations:new_messages": Case(THE_PAIR, kwargs=thread_kwargs),
    "conversations:mark_read": Case(
        NOBODY | {"mentor": 302, "mentee": 302}, kwargs=thread_kwargs, method="post"
    ),
    "conversations:join": Case(
        NOBODY
        | {"coordinator_a": 302, "admin_a": 302, "platform_admin": 302}
        | {"mentor": 403, "mentee": 403},
        kwargs=thread_kwargs,
        method="post",
    ),
    "conversations:add_coordinator": Case(
        NOBODY | {"mentor": 302, "mentee": 302},
        kwargs=thread_kwargs,
        method="post",
        data={"coordinator": "0"},
    ),
    "conversations:close": Case(
        MODERATION, kwargs=moderated_thread, method="post", data={"reason": "Pause"}
    ),
    "conversations:reopen": Case(
        MODERATION, kwargs=closed_thread, method="post", data={"reason": "Reprise"}
    ),
    "conversations:attachment": Case(THE_PAIR, kwargs=attachment_kwargs),
    # The mentee reports the mentor's message; its author cannot report it (403).
    "conversations:report": Case(THE_PAIR | {"mentor": 403}, kwargs=message_kwargs),
    "conversations:remove": Case(MODERATION, kwargs=moderated_message, method="post"),
}
