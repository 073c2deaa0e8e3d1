"""Personal data of the matching app (see `mentorat.lib.personal_data`).

Explanations are built from both profiles (occupations, skills, languages): they go
with the erasure of either side. Scores stay, naming nobody."""

from mentorat.lib.personal_data import (
    Basis,
    Category,
    Erasure,
    ModelData,
    PersonalField,
    Purpose,
    link,
)

MATCHING = Purpose.MATCHING
CONTRACT = Basis.CONTRACT
SIDES = ("mentee__user", "mentor__user")
DERIVED = PersonalField(Category.PROFILE, MATCHING, CONTRACT)
SCORE = PersonalField(Category.PROFILE, MATCHING, CONTRACT, Erasure.KEEP)
TEXT = PersonalField(Category.FREE_TEXT, MATCHING, CONTRACT)

DATA_MAP: tuple[ModelData, ...] = (
    ModelData(
        model="matching.MatchRun",
        subjects=("started_by", "published_by"),
        fields={
            "started_by": link("started_by", purpose=MATCHING, basis=CONTRACT),
            "published_by": link("published_by", purpose=MATCHING, basis=CONTRACT),
        },
        not_personal={
            "parameters": "the program's matching settings at the time",
            "fingerprint": "a digest of the settings and inputs",
            "task_id": "the id of the background task",
            "error": "the engine's error message, about the run, never a person",
            "summary": "counts and timings of the run",
            "progress_note": "the engine's note on its current step (rounds, counts, bound)",
            "progress_note_fr": "the same note in French",
        },
    ),
    ModelData(
        model="matching.Proposal",
        subjects=SIDES,
        fields={"score": SCORE, "explanation": DERIVED, "reason": DERIVED},
        not_personal={
            "mentee_order": "a position in the run's proposals table (sort key, a number)",
            "mentor_order": "a position in the run's proposals table (sort key, a number)",
            "organization_order": "a position in the run's proposals table (sort key)",
        },
    ),
    ModelData(
        model="matching.RunMentor",
        subjects=("mentor__user",),
        fields={
            "field": PersonalField(Category.PROFILE, MATCHING, CONTRACT, Erasure.DELETE_ROW),
            "letter": PersonalField(Category.PROFILE, MATCHING, CONTRACT, Erasure.DELETE_ROW),
            "occupation": PersonalField(Category.PROFILE, MATCHING, CONTRACT, Erasure.DELETE_ROW),
        },
    ),
    ModelData(
        model="matching.PairExclusion",
        subjects=SIDES,
        fields={"note": TEXT, "created_by": link("created_by", purpose=MATCHING, basis=CONTRACT)},
    ),
    ModelData(
        model="matching.MentorRequest",
        subjects=SIDES,
        fields={
            "message": TEXT,
            "score": SCORE,
            "explanation": DERIVED,
            "decline_reason": SCORE,
            "answered_at": SCORE,
        },
    ),
)

NOT_PERSONAL_MODELS: dict[str, str] = {
    "matching.MentorCapacity": "how many mentees a mentor's application takes (a number)",
    "matching.PairIntroduction": "links a pair to the run or request it came from",
    "matching.PlaceReservation": "how many of an organisation's mentor places are kept for "
    "a partner's mentees (numbers)",
}
