"""Personal data of events (see `mentorat.lib.personal_data`).

A registration says who signed up for an event, whether they came and when they were
checked in: needed to run the event and count attendance in the program's reports
(performance of the mentoring agreement). Feedback and the people met are written by
the attendee. On erasure, registrations keep the fact of attending without the person;
free texts are cleared; the contacts the person recorded go."""

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


def _fact(subject: str | None = None) -> PersonalField:
    return PersonalField(Category.IDENTITY, Purpose.FOLLOW_UP, BASIS, Erasure.KEEP, subject)


def _text(subject: str | None = None) -> PersonalField:
    return PersonalField(Category.FREE_TEXT, Purpose.FOLLOW_UP, BASIS, Erasure.CLEAR, subject)


DATA_MAP: tuple[ModelData, ...] = (
    ModelData(
        model="events.Event",
        subjects=("created_by",),
        fields={"created_by": link("created_by", purpose=Purpose.FOLLOW_UP, basis=BASIS)},
        not_personal={
            "title": "the event's title, written by its organisers about the event",
            "description": "the event's description",
            "place": "where the event takes place",
            "access_notes": "how to get to the place",
            "online_link": "the event's video-call address",
        },
    ),
    ModelData(
        model="events.Registration",
        subjects=("user",),
        fields={
            "user": link("user", purpose=Purpose.FOLLOW_UP, basis=BASIS),
            "status": _fact(),
            "attended": _fact(),
            "checked_in_at": _fact(),
            "registered_by": link("registered_by", purpose=Purpose.FOLLOW_UP, basis=BASIS),
            "checked_in_by": link("checked_in_by", purpose=Purpose.FOLLOW_UP, basis=BASIS),
        },
    ),
    ModelData(
        model="events.Feedback",
        subjects=("registration__user",),
        fields={
            "rating": _fact(),
            "comment": _text(),
        },
    ),
    ModelData(
        model="events.Contact",
        subjects=("registration__user", "met"),
        fields={
            "met": PersonalField(
                Category.IDENTITY, Purpose.FOLLOW_UP, BASIS, Erasure.DELETE_ROW, "met"
            ),
            "introduction_note": _text("registration__user"),
        },
    ),
)
