"""Personal data of the follow-up of pairs (see `mentorat.lib.personal_data`).

What a pair wrote together (goals, shared notes, meetings) is about both sides and goes
with the erasure of either; a private note belongs to its author alone, so the other
side keeps theirs. Statuses, dates, durations, scores and levels stay in the
pseudonymous record: the reports count them."""

from mentorat.lib.personal_data import (
    Basis,
    Category,
    Erasure,
    ModelData,
    PersonalField,
    Purpose,
    link,
)

FOLLOW_UP = Purpose.FOLLOW_UP
CONTRACT = Basis.CONTRACT
MENTOR = "mentor_application__user"
MENTEE = "mentee_application__user"
PAIR = (MENTOR, MENTEE)


def _of_pair(path: str) -> tuple[str, ...]:
    return tuple(f"{path}__{side}" for side in PAIR)


def _text(subject: str | None = None) -> PersonalField:
    return PersonalField(Category.FREE_TEXT, FOLLOW_UP, CONTRACT, subject=subject)


def _contact() -> PersonalField:
    return PersonalField(Category.CONTACT, FOLLOW_UP, CONTRACT)


def _kept(purpose: Purpose = FOLLOW_UP) -> PersonalField:
    return PersonalField(Category.PROFILE, purpose, CONTRACT, Erasure.KEEP)


def _who(lookup: str) -> PersonalField:
    return link(lookup, purpose=FOLLOW_UP, basis=CONTRACT)


DATA_MAP: tuple[ModelData, ...] = (
    ModelData(
        model="mentorships.Mentorship",
        subjects=PAIR,
        fields={
            "status": _kept(),
            "started_on": _kept(),
            "ended_on": _kept(),
            "end_reason": _kept(),
            "score": _kept(Purpose.MATCHING),
            "mentor_answer": _kept(Purpose.MATCHING),
            "mentor_answered_at": _kept(Purpose.MATCHING),
            "mentee_answer": _kept(Purpose.MATCHING),
            "mentee_answered_at": _kept(Purpose.MATCHING),
            # Built from both profiles (occupations, skills): it would name them.
            "explanation": PersonalField(Category.PROFILE, Purpose.MATCHING, CONTRACT),
            "mentor_answer_reason": _text(MENTOR),
            "mentee_answer_reason": _text(MENTEE),
            "end_note": _text(),
            "ended_by": _who("ended_by"),
            "created_by": _who("created_by"),
        },
    ),
    ModelData(
        model="mentorships.Resource",
        subjects=_of_pair("mentorship"),
        fields={"title": _text(), "url": _text(), "added_by": _who("added_by")},
    ),
    ModelData(
        model="mentorships.Goal",
        subjects=_of_pair("mentorship"),
        fields={
            "title": _text(),
            "measure": _text(),
            "status": _kept(),
            "progress": _kept(),
            "created_by": _who("created_by"),
        },
    ),
    ModelData(
        model="mentorships.GoalUpdate",
        subjects=_of_pair("goal__mentorship"),
        fields={"note": _text(), "progress": _kept(), "author": _who("author")},
    ),
    ModelData(
        model="mentorships.SkillAssessment",
        subjects=(f"mentorship__{MENTEE}",),
        fields={"level": _kept(Purpose.STATISTICS), "rated_by": _who("rated_by")},
    ),
    ModelData(
        model="mentorships.Meeting",
        subjects=_of_pair("mentorship"),
        fields={
            "starts_at": _kept(),
            "place": _contact(),
            "video_url": _contact(),
            "phone": _contact(),
            "agenda": _text(),
            "cancel_reason": _text(),
            "proposed_by": _who("proposed_by"),
            "cancelled_by": _who("cancelled_by"),
        },
    ),
    ModelData(
        model="mentorships.SessionLog",
        subjects=_of_pair("mentorship"),
        fields={
            "duration_minutes": _kept(Purpose.STATISTICS),
            "topics": _text(),
            "shared_notes": _text(),
            "written_by": _who("written_by"),
        },
    ),
    ModelData(
        model="mentorships.PrivateNote",
        subjects=("author",),
        fields={"text": PersonalField(Category.FREE_TEXT, FOLLOW_UP, CONTRACT, Erasure.DELETE_ROW)},
    ),
    ModelData(
        model="mentorships.CheckIn",
        subjects=("respondent",),
        fields={
            "satisfaction": _kept(Purpose.STATISTICS),
            "progress": _kept(Purpose.STATISTICS),
            "recommend": _kept(Purpose.STATISTICS),
            "answered_at": _kept(Purpose.STATISTICS),
            "comment": _text(),
            "answers": _text(),
        },
    ),
    ModelData(
        model="mentorships.Reminder",
        subjects=("recipient",),
        fields={
            # Why the person was reminded, e.g. the pair's health ("no meeting for 6 weeks").
            "reason": PersonalField(Category.PROFILE, Purpose.COMMUNICATION, CONTRACT),
        },
    ),
    ModelData(
        model="mentorships.Outcome",
        subjects=(f"mentorship__{MENTEE}",),
        fields={
            "stage": _kept(Purpose.STATISTICS),
            "situation": _kept(Purpose.STATISTICS),
            "detail": _text(),
            "recorded_by": _who("recorded_by"),
        },
    ),
    ModelData(
        model="mentorships.CalendarFeed",
        subjects=("user",),
        fields={
            "token": PersonalField(Category.TECHNICAL, FOLLOW_UP, CONTRACT, Erasure.DELETE_ROW)
        },
    ),
)

NOT_PERSONAL_MODELS: dict[str, str] = {
    "mentorships.CheckInQuestion": "a question a program asks in check-ins",
}
