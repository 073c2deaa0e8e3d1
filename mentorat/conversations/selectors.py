"""Reads of conversations: a thread's messages, a person's inbox and unread counts, the
reports waiting for coordinators. Each runs a fixed number of queries whatever the
number of threads or messages."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.safestring import SafeString

from mentorat.accounts.models import User
from mentorat.conversations.models import Attachment, Message, MessageReport, ReadState, Thread
from mentorat.lib.markdown import render_markdown
from mentorat.mentorships.models import Mentorship
from mentorat.organizations.models import Role
from mentorat.permissions.programs import staff_organization_ids

# Before any message: the read state of someone who never opened a thread.
NEVER = datetime(2000, 1, 1, tzinfo=UTC)


def _read_until(user: User, thread_ref: str) -> Coalesce:
    """When `user` last read the thread at `thread_ref` (an OuterRef path), or NEVER."""
    last_read = ReadState.objects.filter(thread=OuterRef(thread_ref), user=user).values(
        "last_read_at"
    )[:1]
    return Coalesce(Subquery(last_read), Value(NEVER), output_field=DateTimeField())


def _unread_messages(user: User, thread_ref: str) -> QuerySet[Message]:
    """Messages of the thread at `thread_ref` that `user` has not read (others' only,
    removed ones left out), for a subquery whose outer row has `read_until`."""
    return (
        Message.objects.filter(
            thread=OuterRef(thread_ref),
            removed_at__isnull=True,
            created_at__gt=OuterRef("read_until"),
        )
        .exclude(author=user)
        .order_by()
    )


def unread_threads(user: User) -> QuerySet[Thread, dict[str, Any]]:
    """The ids of the threads `user` takes part in (as one side of the pair, or as a
    member) that hold messages they have not read yet. The school's coordinators, who
    may read every minors' thread of their programs, get only the threads they joined
    (else every pupil's conversation would wait for them)."""
    return (
        Thread.objects.filter(
            Q(mentorship__mentor_application__user=user)
            | Q(mentorship__mentee_application__user=user)
            | Q(members__user=user)
        )
        .annotate(read_until=_read_until(user, "pk"))
        .filter(Exists(_unread_messages(user, "pk")))
        .values("pk")
        .distinct()
    )


def unread_thread_count(user: User) -> int:
    """How many `unread_threads` `user` has: one query."""
    if not user.is_authenticated:
        return 0
    return unread_threads(user).count()


@dataclass
class InboxLine:
    mentorship: Mentorship
    unread: int
    last_message_at: datetime | None
    as_coordinator: bool


def inbox(user: User, *, limit: int = 100) -> list[InboxLine]:
    """The pairs `user` is in, the threads they joined and (for the school's staff)
    the minors' threads of their organisations' programs, latest activity first, with
    the count of messages they have not read: one query, two with the staff lookup."""
    readable = (
        Q(mentor_application__user=user)
        | Q(mentee_application__user=user)
        | Q(thread__members__user=user)
    )
    staff = staff_organization_ids(user)
    if staff:
        readable |= Q(
            mentee_application__is_minor=True,
            edition__program__organization_id__in=staff,
            thread__isnull=False,
        )
    unread = _unread_messages(user, "thread").values("thread").annotate(n=Count("pk")).values("n")
    rows = (
        Mentorship.objects.filter(pk__in=Mentorship.objects.filter(readable).values("pk"))
        .select_related(
            "edition__program",
            "mentor_application__user",
            "mentee_application__user",
            "thread",
        )
        .annotate(read_until=_read_until(user, "thread"))
        .annotate(unread=Coalesce(Subquery(unread), Value(0), output_field=IntegerField()))
        .order_by("-thread__last_message_at", "-pk")[:limit]
    )
    lines = []
    for row in rows:
        thread = getattr(row, "thread", None)
        lines.append(
            InboxLine(
                mentorship=row,
                unread=row.unread,
                last_message_at=thread.last_message_at if thread else None,
                as_coordinator=user.pk not in (row.mentor_user_id, row.mentee_user_id),
            )
        )
    return lines


@dataclass
class ShownMessage:
    message: Message
    html: SafeString
    attachments: list[Attachment]
    mine: bool


def thread_messages(
    thread: Thread, *, viewer: User, after: int | None = None, moderator: bool = False
) -> list[ShownMessage]:
    """The thread's messages in order (after message `after` if given), their text
    rendered through the Markdown sanitiser and their files: two queries. Removed
    messages are listed without text nor files, except for moderators."""
    if thread.pk is None:
        return []
    messages = (
        Message.objects.filter(thread=thread)
        .select_related("author", "removed_by")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("pk")))
        .order_by("created_at", "pk")
    )
    if after is not None:
        messages = messages.filter(pk__gt=after)
    shown = []
    for message in messages:
        message.thread = thread  # its pair is loaded already: no query per message
        hidden = message.removed_at is not None and not moderator
        shown.append(
            ShownMessage(
                message=message,
                html=SafeString("") if hidden else render_markdown(message.body),
                attachments=[] if hidden else list(message.attachments.all()),
                mine=message.author_id == viewer.pk,
            )
        )
    return shown


def last_read_at(thread: Thread, user: User) -> datetime | None:
    if thread.pk is None:
        return None
    return (
        ReadState.objects.filter(thread=thread, user=user)
        .values_list("last_read_at", flat=True)
        .first()
    )


def open_reports(user: User) -> QuerySet[MessageReport]:
    """Reports not handled yet of the threads of programs run by `user`'s
    organisations, oldest first, with the message, its author and the pair."""
    return (
        MessageReport.objects.filter(
            handled_at__isnull=True,
            message__thread__mentorship__edition__program__organization_id__in=(
                staff_organization_ids(user)
            ),
        )
        .select_related(
            "reported_by",
            "message__author",
            "message__thread__mentorship__edition__program",
            "message__thread__mentorship__mentor_application__user",
            "message__thread__mentorship__mentee_application__user",
        )
        .order_by("created_at", "pk")
    )


def open_report_count(user: User) -> int:
    return open_reports(user).count()


def report_alert_recipients(mentorship: Mentorship) -> list[User]:
    """Who is alerted of a report: the coordinators of the organisation running the
    program (the school, for a pupil), its admins when it has no coordinator."""

    def staff(role: Role) -> list[User]:
        return list(
            User.objects.filter(
                is_active=True,
                memberships__organization_id=mentorship.edition.program.organization_id,
                memberships__role=role,
            )
            .distinct()
            .order_by("pk")
        )

    return staff(Role.COORDINATOR) or staff(Role.ADMIN)


def reported_message_ids(thread: Thread) -> set[int]:
    """Messages of `thread` with a report not handled yet (marked for moderators)."""
    if thread.pk is None:
        return set()
    return set(
        MessageReport.objects.filter(message__thread=thread, handled_at__isnull=True).values_list(
            "message_id", flat=True
        )
    )
