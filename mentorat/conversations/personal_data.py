"""Personal data of pair conversations (see `mentorat.lib.personal_data`).

Messages are what the pair's two people (and the coordinators reading the thread) wrote
to each other to run the mentoring relationship (performance of the mentoring
agreement). On erasure, the person's messages and attachments lose their text and file
(the other side keeps the thread's shape, not the words); reports they made keep the
fact, not the reason; their read states go."""

from mentorat.lib.personal_data import (
    Basis,
    Category,
    Erasure,
    ModelData,
    PersonalField,
    Purpose,
    link,
)

BASIS = Basis.CONTRACT
PAIR = ("mentorship__mentor_application__user", "mentorship__mentee_application__user")


def _text(subject: str | None = None) -> PersonalField:
    return PersonalField(Category.FREE_TEXT, Purpose.FOLLOW_UP, BASIS, Erasure.CLEAR, subject)


def _fact(subject: str | None = None) -> PersonalField:
    return PersonalField(Category.IDENTITY, Purpose.FOLLOW_UP, BASIS, Erasure.KEEP, subject)


DATA_MAP: tuple[ModelData, ...] = (
    ModelData(
        model="conversations.Thread",
        subjects=PAIR,
        fields={
            "closed_by": link("closed_by", purpose=Purpose.FOLLOW_UP, basis=BASIS),
            "close_reason": _text(),  # about the pair, like the end note of a pair
            "last_message_at": _fact(),
        },
    ),
    ModelData(
        model="conversations.ThreadMember",
        subjects=("user",),
        fields={
            "user": link("user", purpose=Purpose.FOLLOW_UP, basis=BASIS),
            "added_by": link("added_by", purpose=Purpose.FOLLOW_UP, basis=BASIS),
            "joined_at": _fact(),
        },
    ),
    ModelData(
        model="conversations.Message",
        subjects=("author",),
        fields={
            "author": link("author", purpose=Purpose.FOLLOW_UP, basis=BASIS),
            "body": _text(),
            "removed_by": link("removed_by", purpose=Purpose.FOLLOW_UP, basis=BASIS),
        },
    ),
    ModelData(
        model="conversations.Attachment",
        subjects=("message__author",),
        fields={
            "file": _text(),
            "name": _text(),
        },
        not_personal={"content_type": "the file's type, such as application/pdf"},
    ),
    ModelData(
        model="conversations.MessageReport",
        subjects=("reported_by",),
        fields={
            "reported_by": link("reported_by", purpose=Purpose.SAFEGUARDING, basis=BASIS),
            "reason": _text(),
            "handled_by": link("handled_by", purpose=Purpose.SAFEGUARDING, basis=BASIS),
            "handling_note": _text("handled_by"),
        },
        not_personal={"message": "the reported message, declared with the messages"},
    ),
    ModelData(
        model="conversations.ReadState",
        subjects=("user",),
        fields={
            "user": PersonalField(Category.TECHNICAL, Purpose.FOLLOW_UP, BASIS, Erasure.DELETE_ROW),
        },
    ),
)
