"""Personal data of speed networking (see `mentorat.lib.personal_data`).

A seat says which mentee sits at which professional's table in which round, with the
pair's compatibility score and its explanation (built from both profiles): needed to
run the evening (performance of the mentoring agreement). On erasure the person's seats
go (a plan is redone before an evening, and after it the contacts made count, not the
seats); the plan keeps who asked for it, pseudonymised with the account."""

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


def _seat(subject: str | None = None) -> PersonalField:
    return PersonalField(Category.PROFILE, Purpose.MATCHING, BASIS, Erasure.DELETE_ROW, subject)


DATA_MAP: tuple[ModelData, ...] = (
    ModelData(
        model="networking.NetworkingPlan",
        subjects=("requested_by",),
        fields={
            "requested_by": link("requested_by", purpose=Purpose.MATCHING, basis=BASIS),
            # Ids of the registered people left out of the rounds; cleared on erasure.
            "left_out": PersonalField(Category.IDENTITY, Purpose.MATCHING, BASIS, Erasure.CLEAR),
        },
        not_personal={"error": "why planning failed, a message about the evening"},
    ),
    ModelData(
        model="networking.NetworkingSeat",
        subjects=("mentee", "professional"),
        fields={
            "mentee": _seat("mentee"),
            "professional": _seat("professional"),
            "score": _seat(),
            "explanation_fr": _seat(),
            "explanation_en": _seat(),
        },
    ),
)
