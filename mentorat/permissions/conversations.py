"""Who may read and act in a pair's conversation.

Readers of a pair's thread: the mentor and the mentee, the coordinators who joined it or
were added by one side (`ThreadMember`, shown to every reader), and, when the mentee
applied as a minor, always the staff (coordinators and admins) of the organisation that
runs the program — the school. Nobody else reads it: the program's other coordinators
may join it (visibly), partner and other organisations' coordinators cannot tell it
exists (404) unless they were made members.

Attachments are served to the thread's readers only; a removed message (and its files)
to the coordinators among them only."""

from dataclasses import dataclass

from django.http import Http404, HttpRequest

from mentorat.accounts.models import User
from mentorat.audit.services import record_security_event
from mentorat.conversations.models import Attachment, Message, MessageReport, Thread, ThreadMember
from mentorat.mentorships.models import Mentorship
from mentorat.organizations.models import Role
from mentorat.permissions.mentorships import is_pair_member
from mentorat.permissions.programs import is_program_staff, staff_organization_ids

_PAIR_RELATED = (
    "edition",
    "edition__program",
    "edition__program__organization",
    "mentor_application__user",
    "mentee_application__user",
)


def school_always_reads(mentorship: Mentorship) -> bool:
    """A pair with a pupil under 18: the school's staff read its thread at all times."""
    return bool(mentorship.mentee_application.is_minor)


def is_school_staff(user: User, mentorship: Mentorship) -> bool:
    """Staff (coordinator or admin) of the organisation running the pair's program."""
    return mentorship.edition.program.organization_id in staff_organization_ids(user)


def _is_member(user: User, thread: Thread) -> bool:
    if thread.pk is None:
        return False
    members: set[int] | None = getattr(thread, "_member_ids", None)
    if members is None:
        members = set(ThreadMember.objects.filter(thread=thread).values_list("user_id", flat=True))
        thread._member_ids = members  # type: ignore[attr-defined]
    return user.pk in members


def can_read_thread(user: User, thread: Thread) -> bool:
    """Whether `user` is one of the thread's readers (see the module's docstring)."""
    if not user.is_authenticated:
        return False
    mentorship = thread.mentorship
    if is_pair_member(user, mentorship):
        return True
    if school_always_reads(mentorship) and is_school_staff(user, mentorship):
        return True
    return _is_member(user, thread)


def can_join_thread(user: User, thread: Thread) -> bool:
    """The program's coordinators (staff of its organisation) join a thread they do not
    read yet, on their own; the pair sees them among the readers."""
    return (
        user.is_authenticated
        and not can_read_thread(user, thread)
        and is_program_staff(user, thread.mentorship.edition.program)
    )


def can_post(user: User, thread: Thread) -> bool:
    return can_read_thread(user, thread)


def can_add_coordinator(user: User, thread: Thread) -> bool:
    """Either side of the pair adds one of the program's coordinators."""
    return is_pair_member(user, thread.mentorship)


def can_moderate(user: User, thread: Thread) -> bool:
    """Close, reopen, remove a message: the program's staff among the readers."""
    return can_read_thread(user, thread) and is_program_staff(
        user, thread.mentorship.edition.program
    )


def can_report(user: User, message: Message) -> bool:
    """Either side of the pair reports a message of someone else."""
    return is_pair_member(user, message.thread.mentorship) and message.author_id != user.pk


def can_handle_reports(user: User) -> bool:
    """Coordinators and admins handle the reports of their programs' threads."""
    return user.is_authenticated and bool(staff_organization_ids(user))


@dataclass(frozen=True)
class Reader:
    """One person who can read a thread, and why (shown on the thread)."""

    user: User
    why: str  # "mentor", "mentee", "member", "school"


def readers_of(thread: Thread) -> list[Reader]:
    """Everyone who can read `thread`, in two queries at most: the pair, the members,
    and (in a minors' pair) the staff of the school."""
    mentorship = thread.mentorship
    readers = [
        Reader(mentorship.mentor_application.user, "mentor"),
        Reader(mentorship.mentee_application.user, "mentee"),
    ]
    seen = {r.user.pk for r in readers}
    if thread.pk is not None:
        for member in (
            ThreadMember.objects.filter(thread=thread).select_related("user").order_by("joined_at")
        ):
            if member.user_id not in seen:
                seen.add(member.user_id)
                readers.append(Reader(member.user, "member"))
    if school_always_reads(mentorship):
        staff = (
            User.objects.filter(
                is_active=True,
                memberships__organization_id=mentorship.edition.program.organization_id,
                memberships__role__in=(Role.ADMIN, Role.COORDINATOR),
            )
            .distinct()
            .order_by("last_name", "first_name", "pk")
        )
        for user in staff:
            if user.pk not in seen:
                seen.add(user.pk)
                readers.append(Reader(user, "school"))
    return readers


def _thread_of(mentorship: Mentorship) -> Thread:
    """The pair's thread, or an unsaved one if nobody has written yet (no write on GET)."""
    thread = Thread.objects.filter(mentorship=mentorship).first()
    if thread is None:
        thread = Thread(mentorship=mentorship)
    thread.mentorship = mentorship
    return thread


def _deny(user: User, target: object, request: HttpRequest | None) -> None:
    if user.is_authenticated and target is not None:
        record_security_event(
            kind="access.thread.denied",
            user=user,
            target=target,  # type: ignore[arg-type]
            request=request,
        )
    raise Http404


def access_thread_or_join(user: User, pk: int, *, request: HttpRequest | None = None) -> Thread:
    """The thread of pair `pk` for its readers and for the program's coordinators who
    may join it (the page then offers to join); 404 for everyone else."""
    mentorship = Mentorship.objects.select_related(*_PAIR_RELATED).filter(pk=pk).first()
    if mentorship is None:
        raise Http404
    thread = _thread_of(mentorship)
    if can_read_thread(user, thread) or can_join_thread(user, thread):
        return thread
    _deny(user, mentorship, request)
    raise Http404  # pragma: no cover - _deny raises


def access_thread(user: User, pk: int, *, request: HttpRequest | None = None) -> Thread:
    """The thread of pair `pk` if `user` reads it; else 404."""
    thread = access_thread_or_join(user, pk, request=request)
    if not can_read_thread(user, thread):
        raise Http404
    return thread


def access_message(user: User, pk: int, *, request: HttpRequest | None = None) -> Message:
    """A message of a thread `user` reads (a removed one: for moderators only); else 404."""
    message = (
        Message.objects.select_related(
            "author", "thread", *(f"thread__mentorship__{r}" for r in _PAIR_RELATED)
        )
        .filter(pk=pk)
        .first()
    )
    if message is None:
        raise Http404
    thread = message.thread
    if not can_read_thread(user, thread):
        _deny(user, thread.mentorship, request)
    if message.removed_at is not None and not can_moderate(user, thread):
        raise Http404
    return message


def access_attachment(user: User, pk: int, *, request: HttpRequest | None = None) -> Attachment:
    """A file of a message `user` may read; else 404."""
    attachment = Attachment.objects.filter(pk=pk).only("pk", "message_id").first()
    if attachment is None:
        raise Http404
    message = access_message(user, attachment.message_id, request=request)
    found = Attachment.objects.get(pk=pk)
    found.message = message
    return found


def access_report(user: User, pk: int) -> MessageReport:
    """A report of a message in a program run by `user`'s organisation; else 404."""
    report = (
        MessageReport.objects.select_related(
            "message__thread__mentorship__edition__program__organization"
        )
        .filter(pk=pk)
        .first()
    )
    if report is None or not is_program_staff(
        user, report.message.thread.mentorship.edition.program
    ):
        raise Http404
    return report
