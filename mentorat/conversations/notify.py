"""Emails telling a thread's readers of messages they have not read: soon after a message
(`notify_new_message`, queued `MESSAGE_NOTIFICATION_DELAY_SECONDS` after it is posted) or
once a day (`send_message_digests`), as each person chose
(`mentorat.notifications.preferences.message_frequency`).

Who is told: the pair's two people and the coordinators who joined the thread or were
added to it, except the author. The school's coordinators, who may read every minors'
thread of their programs without joining, are not (as in the unread counts: otherwise
every pupil's message would email them); once they join, they are.

What they are told: in a pair whose mentee is a minor, never the content nor the names,
only that there is a new message and the link; otherwise the messages' text (plain,
truncated). `ReadState.notified_until` records up to which message each person was told,
so that an email or a digest never repeats a message, and the delivery ledger
(`notifications.outbox`) makes a run again after a crash send nothing twice: the ledger's
row and `notified_until` commit in the same transaction."""

from dataclasses import dataclass
from datetime import date, datetime
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator

from mentorat.accounts.models import User
from mentorat.conversations.links import thread_url
from mentorat.conversations.models import Message, ReadState, Thread
from mentorat.notifications import outbox
from mentorat.notifications.emails import send_templated_email
from mentorat.notifications.kinds import EmailKind, MessageFrequency
from mentorat.notifications.preferences import message_frequencies, users_with_frequency
from mentorat.permissions.conversations import readers_of, school_always_reads

# The ledger's purposes: one email per message and person (occasion: the message), one
# digest per person and day (occasion: the day).
NEW_MESSAGE_EMAILS = "conversations.new_message"
DIGEST_EMAILS = "conversations.digest"

EXCERPT_CHARS = 500
MESSAGES_SHOWN = 3  # newest messages quoted in an email (adults' threads)
MESSAGES_READ = 200  # most messages read per thread to count the unread ones

_THREAD_RELATED = (
    "mentorship__edition__program",
    "mentorship__mentor_application__user",
    "mentorship__mentee_application__user",
)


@dataclass(frozen=True)
class Excerpt:
    author: str
    text: str


@dataclass(frozen=True)
class UnreadThread:
    """What one person is told about one thread."""

    thread: Thread
    count: int
    until: datetime  # when the newest message told was written
    minor: bool
    author_role: str  # of the newest message: "mentor", "mentee" or "coordinator"
    reader_role: str  # "mentor", "mentee" or "member"
    excerpts: list[Excerpt]  # empty for a minors' thread
    url: str

    @property
    def context(self) -> dict[str, Any]:
        mentorship = self.thread.mentorship
        return {
            "count": self.count,
            "minor": self.minor,
            "author_role": self.author_role,
            "reader_role": self.reader_role,
            "excerpts": self.excerpts,
            "thread_url": self.url,
            "program": mentorship.edition.program,
            # Names only for adults' threads.
            "mentor_name": "" if self.minor else mentorship.mentor.display_name,
            "mentee_name": "" if self.minor else mentorship.mentee.display_name,
        }


def _told_from(state: ReadState | None) -> datetime | None:
    """Messages after this time are news to the state's person (None: all are)."""
    if state is None:
        return None
    times = [t for t in (state.last_read_at, state.notified_until) if t is not None]
    return max(times) if times else None


def _author_role(thread: Thread, message: Message) -> str:
    return thread.mentorship.role_of(message.author_id) or "coordinator"


def _unread(
    thread: Thread, person: User, role: str, since: datetime | None, messages: list[Message]
) -> UnreadThread | None:
    """What `person` has not read nor been told of among `messages` (the thread's, oldest
    first), or None."""
    news = [
        m for m in messages if m.author_id != person.pk and (since is None or m.created_at > since)
    ]
    if not news:
        return None
    minor = school_always_reads(thread.mentorship)
    return UnreadThread(
        thread=thread,
        count=len(news),
        until=news[-1].created_at,
        minor=minor,
        author_role=_author_role(thread, news[-1]),
        reader_role=role,
        excerpts=[]
        if minor
        else [
            Excerpt(
                author=m.author.display_name if m.author else "",
                text=Truncator(m.body).chars(EXCERPT_CHARS),
            )
            for m in news[-MESSAGES_SHOWN:]
        ],
        url=thread_url(mentorship_id=thread.mentorship_id, user_id=person.pk),
    )


def _messages_since(thread_since: dict[int, datetime | None]) -> dict[int, list[Message]]:
    """The visible messages of each thread written after its time (None: all), oldest
    first, the newest `MESSAGES_READ` of each: one query."""
    if not thread_since:
        return {}
    conditions = [
        Q(thread_id=pk) if since is None else Q(thread_id=pk, created_at__gt=since)
        for pk, since in thread_since.items()
    ]
    found: dict[int, list[Message]] = {pk: [] for pk in thread_since}
    rows = (
        Message.objects.filter(reduce(or_, conditions), removed_at__isnull=True)
        .select_related("author")
        .order_by("-created_at", "-pk")
    )
    for message in rows:
        kept = found[message.thread_id]
        if len(kept) < MESSAGES_READ:
            kept.append(message)
    return {pk: list(reversed(kept)) for pk, kept in found.items()}


def _advance(thread: Thread, person: User, until: datetime) -> None:
    """Record that `person` was told of `thread`'s messages up to `until` (never back)."""
    state, _created = ReadState.objects.get_or_create(thread=thread, user=person)
    ReadState.objects.filter(pk=state.pk).filter(
        Q(notified_until__isnull=True) | Q(notified_until__lt=until)
    ).update(notified_until=until)


def notify_new_message(*, message_id: int) -> outbox.Outcome | None:
    """Email each participant of the message's thread (see the module) who chose to be
    told soon, has neither read the thread since the message nor been told of it: one
    email each, listing what they have not read, whatever the number of messages posted
    meanwhile (each message's task finds the others told). Meant for the task queued
    after the delay; safe to run again."""
    message = (
        Message.objects.select_related(*(f"thread__{r}" for r in _THREAD_RELATED))
        .filter(pk=message_id, removed_at__isnull=True)
        .first()
    )
    if message is None:
        return None  # removed before anyone was told
    thread = message.thread
    people = [
        r
        for r in readers_of(thread)
        if r.why != "school" and r.user.pk != message.author_id and r.user.is_active
    ]
    frequencies = message_frequencies(r.user.pk for r in people)
    states = {
        s.user_id: s
        for s in ReadState.objects.filter(thread=thread, user_id__in=[r.user.pk for r in people])
    }
    due: dict[str, tuple[User, str, datetime | None]] = {}
    for reader in people:
        since = _told_from(states.get(reader.user.pk))
        if frequencies[reader.user.pk] == MessageFrequency.IMMEDIATELY and (
            since is None or since < message.created_at
        ):
            due[reader.user.email] = (reader.user, reader.why, since)
    told = [since for _user, _why, since in due.values()]
    known = [since for since in told if since is not None]
    earliest = min(known) if known and len(known) == len(told) else None
    messages = _messages_since({thread.pk: earliest})[thread.pk] if due else []

    def send(address: str, item: tuple[User, str, datetime | None]) -> None:
        person, role, since = item
        unread = _unread(thread, person, role, since, messages)
        if unread is None:
            return
        send_templated_email(
            to=[address],
            template="conversations/emails/new_message",
            context={"person": person, **unread.context},
            language=person.language,
            recipient=person,
            kind=EmailKind.MESSAGES,
        )
        _advance(thread, person, unread.until)

    return outbox.send_each(purpose=NEW_MESSAGE_EMAILS, key=message.pk, recipients=due, send=send)


def _participant_threads(person: User) -> list[tuple[Thread, str]]:
    """The threads `person` takes part in (a side of the pair, or a member), with their
    role: one query."""
    threads = (
        Thread.objects.filter(
            Q(mentorship__mentor_application__user=person)
            | Q(mentorship__mentee_application__user=person)
            | Q(members__user=person),
            last_message_at__isnull=False,
        )
        .select_related(*_THREAD_RELATED)
        .distinct()
        .order_by("-last_message_at", "pk")
    )
    return [(t, t.mentorship.role_of(person.pk) or "member") for t in threads]


def unread_threads(person: User) -> list[UnreadThread]:
    """What a digest tells `person`: each thread they take part in with messages they
    have neither read nor been told of, latest activity first (three queries)."""
    threads = _participant_threads(person)
    states = {
        s.thread_id: s
        for s in ReadState.objects.filter(user=person, thread__in=[t for t, _role in threads])
    }
    candidates: dict[int, datetime | None] = {}
    for thread, _role in threads:
        told = _told_from(states.get(thread.pk))
        if told is None or (thread.last_message_at is not None and thread.last_message_at > told):
            candidates[thread.pk] = told
    messages = _messages_since(candidates)
    found = []
    for thread, role in threads:
        if thread.pk in candidates:
            unread = _unread(thread, person, role, candidates[thread.pk], messages[thread.pk])
            if unread is not None:
                found.append(unread)
    return found


def send_message_digests(*, day: date | None = None) -> outbox.Outcome:
    """Send each person who chose the daily digest one email listing the threads with
    messages they have neither read nor been told of (none if there are none): once per
    person and `day` (today by default), whatever happens to the run; each thread's
    `notified_until` moves with the email that told it."""
    day = day or timezone.localdate()
    due: dict[str, tuple[User, list[UnreadThread]]] = {}
    for person in users_with_frequency(MessageFrequency.DAILY).order_by("pk"):
        threads = unread_threads(person)
        if threads:
            due[person.email] = (person, threads)

    def send(address: str, item: tuple[User, list[UnreadThread]]) -> None:
        person, threads = item
        send_templated_email(
            to=[address],
            template="conversations/emails/digest",
            context={
                "person": person,
                "threads": [t.context for t in threads],
                "count": sum(t.count for t in threads),
            },
            language=person.language,
            recipient=person,
            kind=EmailKind.MESSAGES,
        )
        for unread in threads:
            _advance(unread.thread, person, unread.until)

    return outbox.send_each(purpose=DIGEST_EMAILS, key=day.isoformat(), recipients=due, send=send)
