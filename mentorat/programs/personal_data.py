"""Personal data of the programs app (see `mentorat.lib.personal_data`): only who
published each charter; the rest describes programs, not people."""

from mentorat.lib.personal_data import Basis, ModelData, Purpose, link

DATA_MAP: tuple[ModelData, ...] = (
    ModelData(
        model="programs.Charter",
        subjects=("published_by",),
        fields={
            "published_by": link(
                "published_by", purpose=Purpose.ENROLLMENT, basis=Basis.LEGITIMATE_INTEREST
            ),
        },
        not_personal={"text": "the charter's text, the same for every participant"},
    ),
)

NOT_PERSONAL_MODELS: dict[str, str] = {
    "programs.Program": "a program's description",
    "programs.MatchingSettings": "a program's matching settings",
    "programs.Objective": "a program's measurable target",
    "programs.Edition": "the dates of one run of a program",
    "programs.EligibilityRule": "who may apply to a program",
    "programs.CustomQuestion": "a question a program asks (the answers are the applications')",
}
