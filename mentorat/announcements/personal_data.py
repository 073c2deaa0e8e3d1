"""Personal data of messages to a cohort (see `mentorat.lib.personal_data`).

A message is what an organisation's coordinators write to a cohort about the program;
it names its author. Each recipient row says that a person received it, was emailed
and read it: it goes with the person on erasure (the message stays for the others)."""

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

DATA_MAP: tuple[ModelData, ...] = (
    ModelData(
        model="announcements.Announcement",
        subjects=("author",),
        fields={"author": link("author", purpose=Purpose.COMMUNICATION, basis=BASIS)},
        not_personal={
            "subject": "the organisation's message to a whole segment of a cohort, about "
            "the program, written on the organisation's behalf",
            "body": "the same message's text",
            "filters": "codes of the segment's filter (role, status, health, region, field)",
        },
    ),
    ModelData(
        model="announcements.AnnouncementRecipient",
        subjects=("user",),
        fields={
            "user": PersonalField(
                Category.IDENTITY, Purpose.COMMUNICATION, BASIS, Erasure.DELETE_ROW
            ),
        },
        not_personal={"emailed_at": "when the message was emailed: a date, no address"},
    ),
)
