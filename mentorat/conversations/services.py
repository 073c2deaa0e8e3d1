"""Writes of pair conversations: messages and their files, readers joining or added,
closing and reopening, reports and their handling, read states.

Callers check permissions first (`mentorat.permissions.conversations`); these functions
enforce the business rules (a closed thread or an ended pair takes no message, file
limits, who may be added), write the audit trail (`conversations.*`) and enqueue the
emails after the commit."""

import contextlib
import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import IO, Any, cast

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorat.accounts.models import User
from mentorat.audit.services import record
from mentorat.conversations.files import UploadedFileLike, check_files
from mentorat.conversations.models import (
    Attachment,
    Message,
    MessageReport,
    ReadState,
    Thread,
    ThreadMember,
)
from mentorat.conversations.tasks import notify_new_message, send_report_emails
from mentorat.lib.errors import DomainError, Problems
from mentorat.mentorships.models import Mentorship, MentorshipStatus
from mentorat.organizations.models import Role

MAX_BODY = 10_000
MAX_REASON = 2_000
# Default delay before unread messages are told by email (the setting, when present,
# comes with the notifications work).
DEFAULT_NOTIFICATION_DELAY_SECONDS = 900


def _audit(
    action: str,
    thread: Thread,
    *,
    actor: User | None,
    data: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    target: Any = None,
) -> None:
    mentorship = thread.mentorship
    record(
        action=f"conversations.{action}",
        actor=actor,
        organization=mentorship.edition.program.organization,
        target=target if target is not None else thread,
        data={"mentorship": mentorship.pk, "thread": thread.pk, **(data or {})},
        request=request,
    )


def _locked_thread(mentorship: Mentorship) -> Thread:
    """The pair's thread under a row lock, created on first use."""
    thread, _created = Thread.objects.get_or_create(mentorship=mentorship)
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    thread.mentorship = mentorship
    return thread


def _require_open(thread: Thread) -> None:
    if thread.closed_at is not None:
        raise DomainError(
            _("This conversation was closed by a coordinator: it takes no new message.")
        )
    if thread.mentorship.status != MentorshipStatus.ACTIVE:
        raise DomainError(_("This mentorship has ended: its conversation takes no new message."))


def _reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    problems = Problems()
    if not reason:
        problems.add(field, _("Reason: this field is required."))
    elif len(reason) > MAX_REASON:
        problems.add(field, _("Reason: at most %(n)s characters.") % {"n": MAX_REASON})
    problems.raise_if_any()
    return reason


def notification_delay() -> timedelta:
    return timedelta(
        seconds=getattr(
            settings, "MESSAGE_NOTIFICATION_DELAY_SECONDS", DEFAULT_NOTIFICATION_DELAY_SECONDS
        )
    )


def _enqueue_notification(message_id: int) -> None:
    """Tell the other readers later, if they have not read it by then. A backend that
    cannot wait (the immediate one of development and tests) runs it at once."""
    if notify_new_message.get_backend().supports_defer:
        notify_new_message.using(run_after=timezone.now() + notification_delay()).enqueue(
            message_id
        )
    else:
        notify_new_message.enqueue(message_id)


@transaction.atomic
def post_message(
    *,
    mentorship: Mentorship,
    author: User,
    body: str,
    files: Sequence[UploadedFileLike] = (),
    request: HttpRequest | None = None,
) -> Message:
    """Add a message (Markdown text, up to 5 files) to the pair's thread, created if
    needed; the author has read the thread up to it. Raises DomainError (by field:
    `body`, `attachments`) for an empty message, a file refused (each named with why) or
    a closed thread. The other readers are told by email after
    `MESSAGE_NOTIFICATION_DELAY_SECONDS`, if they have not read it by then."""
    body = (body or "").strip()
    problems = Problems()
    if not body and not files:
        problems.add("body", _("Write a message or attach a file."))
    if len(body) > MAX_BODY:
        problems.add("body", _("A message holds at most %(n)s characters.") % {"n": MAX_BODY})
    problems.raise_if_any()
    checked = check_files(files)
    thread = _locked_thread(mentorship)
    _require_open(thread)
    message = Message.objects.create(thread=thread, author=author, body=body)
    for item in checked:
        item.file.seek(0)
        attachment = Attachment(
            message=message, name=item.name, content_type=item.content_type, size=item.size
        )
        # A random stored name: the person's file name stays in the database only.
        attachment.file.save(
            f"{uuid.uuid4().hex}.{item.extension}", File(cast(IO[bytes], item.file)), save=False
        )
        attachment.save()
    thread.last_message_at = message.created_at
    thread.save(update_fields=["last_message_at"])
    _read_until(thread, author, message)
    _audit(
        "message.posted",
        thread,
        actor=author,
        target=message,
        data={"message": message.pk, "attachments": len(checked)},
        request=request,
    )
    transaction.on_commit(lambda: _enqueue_notification(message.pk))
    return message


def _read_until(thread: Thread, user: User, message: Message) -> None:
    state, created = ReadState.objects.get_or_create(
        thread=thread, user=user, defaults={"last_read_at": message.created_at}
    )
    if not created and (state.last_read_at is None or state.last_read_at < message.created_at):
        state.last_read_at = message.created_at
        state.save(update_fields=["last_read_at"])


def mark_read(*, thread: Thread, user: User, until_id: int | None = None) -> None:
    """`user` has read `thread` up to message `until_id` (the last one shown to them;
    the latest if None). Never moves backwards, so a late request cannot make read
    messages unread again."""
    if thread.pk is None:
        return
    messages = Message.objects.filter(thread=thread)
    if until_id is not None:
        messages = messages.filter(pk__lte=until_id)
    last = messages.order_by("-created_at", "-pk").first()
    if last is None:
        return
    # A concurrent first read may write the row first: theirs is as good.
    with contextlib.suppress(IntegrityError), transaction.atomic():
        _read_until(thread, user, last)


@transaction.atomic
def join_thread(
    *, mentorship: Mentorship, user: User, request: HttpRequest | None = None
) -> Thread:
    """A coordinator of the program joins the pair's thread; the pair sees it (the list
    of readers, and a line in the thread)."""
    thread = _locked_thread(mentorship)
    if ThreadMember.objects.filter(thread=thread, user=user).exists():
        raise DomainError(_("You already read this conversation."))
    ThreadMember.objects.create(thread=thread, user=user, added_by=user)
    _audit("member.joined", thread, actor=user, data={"user": user.pk}, request=request)
    return thread


def coordinators_to_add(mentorship: Mentorship) -> list[User]:
    """The program's coordinators and admins (staff of its organisation), by name."""
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organization_id=mentorship.edition.program.organization_id,
            memberships__role__in=(Role.COORDINATOR, Role.ADMIN),
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


@transaction.atomic
def add_coordinator(
    *,
    mentorship: Mentorship,
    coordinator_id: int,
    actor: User,
    request: HttpRequest | None = None,
) -> ThreadMember:
    """One side of the pair adds one of the program's coordinators to its thread."""
    coordinator = next((c for c in coordinators_to_add(mentorship) if c.pk == coordinator_id), None)
    if coordinator is None:
        raise DomainError(
            _("Choose one of the program's coordinators."),
            field_errors={"coordinator": [_("Choose one of the program's coordinators.")]},
        )
    thread = _locked_thread(mentorship)
    if ThreadMember.objects.filter(thread=thread, user=coordinator).exists():
        raise DomainError(
            _("%(name)s already reads this conversation.") % {"name": coordinator.display_name}
        )
    member = ThreadMember.objects.create(thread=thread, user=coordinator, added_by=actor)
    _audit("member.added", thread, actor=actor, data={"user": coordinator.pk}, request=request)
    return member


@transaction.atomic
def close_thread(
    *, thread: Thread, actor: User, reason: str, request: HttpRequest | None = None
) -> Thread:
    """A coordinator closes the thread: it keeps its messages and takes no new one."""
    reason = _reason(reason)
    locked = _locked_thread(thread.mentorship)
    if locked.closed_at is not None:
        raise DomainError(_("This conversation is already closed."))
    locked.closed_at = timezone.now()
    locked.closed_by = actor
    locked.close_reason = reason
    locked.save(update_fields=["closed_at", "closed_by", "close_reason"])
    _audit("thread.closed", locked, actor=actor, request=request)
    return locked


@transaction.atomic
def reopen_thread(
    *, thread: Thread, actor: User, reason: str, request: HttpRequest | None = None
) -> Thread:
    """A coordinator reopens a closed thread (the reason goes to the audit log)."""
    reason = _reason(reason)
    locked = _locked_thread(thread.mentorship)
    if locked.closed_at is None:
        raise DomainError(_("This conversation is open."))
    locked.closed_at = None
    locked.closed_by = None
    locked.close_reason = ""
    locked.save(update_fields=["closed_at", "closed_by", "close_reason"])
    _audit("thread.reopened", locked, actor=actor, data={"reason": reason}, request=request)
    return locked


@transaction.atomic
def report_message(
    *, message: Message, reporter: User, reason: str, request: HttpRequest | None = None
) -> MessageReport:
    """One side of the pair reports a message of the other; the program's coordinators
    are told by email, with the message quoted, after the commit."""
    reason = _reason(reason)
    if message.removed_at is not None:
        raise DomainError(_("This message was removed already."))
    if message.author_id == reporter.pk:
        raise DomainError(_("You cannot report your own message."))
    if MessageReport.objects.filter(
        message=message, reported_by=reporter, handled_at__isnull=True
    ).exists():
        raise DomainError(
            _("You have reported this message already; a coordinator will look at it.")
        )
    report = MessageReport.objects.create(message=message, reported_by=reporter, reason=reason)
    _audit(
        "message.reported",
        message.thread,
        actor=reporter,
        target=report,
        data={"message": message.pk},
        request=request,
    )
    transaction.on_commit(lambda: send_report_emails.enqueue(report.pk))
    return report


@transaction.atomic
def remove_message(*, message: Message, actor: User, request: HttpRequest | None = None) -> Message:
    """A coordinator removes a message (and its files) from the pair's view; it is kept
    for the coordinators, and its open reports are handled by the removal."""
    locked = Message.objects.select_for_update().get(pk=message.pk)
    if locked.removed_at is not None:
        raise DomainError(_("This message was removed already."))
    now = timezone.now()
    message.removed_at = locked.removed_at = now
    message.removed_by = locked.removed_by = actor
    locked.save(update_fields=["removed_at", "removed_by"])
    MessageReport.objects.filter(message=message, handled_at__isnull=True).update(
        handled_at=now, handled_by=actor, handling_note=_("Message removed.")
    )
    _audit(
        "message.removed",
        message.thread,
        actor=actor,
        target=message,
        data={"message": message.pk},
        request=request,
    )
    return message


@transaction.atomic
def handle_report(
    *, report: MessageReport, actor: User, note: str, request: HttpRequest | None = None
) -> MessageReport:
    """A coordinator records what was done about a report (the message stays)."""
    note = (note or "").strip()[:MAX_REASON]
    locked = MessageReport.objects.select_for_update().get(pk=report.pk)
    if locked.handled_at is not None:
        raise DomainError(_("This report was handled already."))
    report.handled_at = locked.handled_at = timezone.now()
    report.handled_by = locked.handled_by = actor
    report.handling_note = locked.handling_note = note
    locked.save(update_fields=["handled_at", "handled_by", "handling_note"])
    _audit(
        "report.handled",
        report.message.thread,
        actor=actor,
        target=report,
        data={"message": report.message_id},
        request=request,
    )
    return report
