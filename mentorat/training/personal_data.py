"""Personal data of training (see `mentorat.lib.personal_data`): who read which section,
each quiz attempt (the answers ticked and the score) and each completed module. They
serve the person's follow-up by their program (required modules, reminders) and, once
erased, only the statistics keep the bare facts (a module completed, a score). The
modules themselves are material written for everyone, not about anyone."""

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


def _result() -> PersonalField:
    return PersonalField(Category.PROFILE, Purpose.FOLLOW_UP, BASIS, Erasure.KEEP)


DATA_MAP: tuple[ModelData, ...] = (
    ModelData(
        model="training.Module",
        subjects=("created_by",),
        fields={"created_by": link("created_by", purpose=Purpose.FOLLOW_UP, basis=BASIS)},
        not_personal={
            "title": "the module's title, the same for everyone",
            "summary": "the module's summary, the same for everyone",
            "group": "a technical key shared by a module and its translations",
        },
    ),
    ModelData(
        model="training.Assignment",
        subjects=("created_by",),
        fields={"created_by": link("created_by", purpose=Purpose.FOLLOW_UP, basis=BASIS)},
    ),
    ModelData(
        model="training.SectionRead",
        subjects=("user",),
        fields={"user": link("user", purpose=Purpose.FOLLOW_UP, basis=BASIS), "read_at": _result()},
    ),
    ModelData(
        model="training.Attempt",
        subjects=("user",),
        fields={
            "user": link("user", purpose=Purpose.FOLLOW_UP, basis=BASIS),
            # The choices ticked go; the score and the outcome stay for the statistics.
            "answers": PersonalField(Category.PROFILE, Purpose.FOLLOW_UP, BASIS, Erasure.CLEAR),
            "score": _result(),
            "passed": _result(),
            "submitted_at": _result(),
        },
    ),
    ModelData(
        model="training.Completion",
        subjects=("user",),
        fields={
            "user": link("user", purpose=Purpose.FOLLOW_UP, basis=BASIS),
            "completed_at": _result(),
        },
    ),
)

NOT_PERSONAL_MODELS = {
    "training.Section": "a page of a module, written for everyone",
    "training.Question": "a quiz question, written for everyone",
    "training.Choice": "an answer offered to a quiz question, written for everyone",
}
