"""Personal data of the participants app (see `mentorat.lib.personal_data`).

Erasure keeps the coarse attributes the program reports count (occupation domain, field
of study, region, goals, gender, priority groups): once names, contacts and free texts
are gone they identify nobody, and past reports keep their figures."""

from mentorat.lib.personal_data import (
    Basis,
    Category,
    Erasure,
    ModelData,
    PersonalField,
    Purpose,
)

MATCHING = Purpose.MATCHING
CONTRACT = Basis.CONTRACT
PROFILE = Category.PROFILE


def _profile(erasure: Erasure = Erasure.CLEAR) -> PersonalField:
    return PersonalField(PROFILE, MATCHING, CONTRACT, erasure)


DATA_MAP: tuple[ModelData, ...] = (
    ModelData(
        model="participants.Profile",
        subjects=("user",),
        fields={
            "field": _profile(Erasure.KEEP),
            "occupation": _profile(),
            "target_occupation": _profile(),
            "rome_domain": _profile(Erasure.KEEP),
            "region": _profile(Erasure.KEEP),
            "years_of_experience": _profile(),
            "skills_offered": _profile(),
            "skills_wanted": _profile(),
            "goals": _profile(Erasure.KEEP),
            "languages": _profile(),
            "remote_ok": _profile(),
            "availability": _profile(),
            # Eligibility (age limits) and the protection of minors.
            "birth_date": PersonalField(Category.IDENTITY, Purpose.ENROLLMENT, CONTRACT),
            "gender": PersonalField(PROFILE, MATCHING, Basis.CONSENT, Erasure.KEEP),
            "gender_self_description": PersonalField(PROFILE, MATCHING, Basis.CONSENT),
            "prefers_same_gender_mentor": PersonalField(PROFILE, MATCHING, Basis.CONSENT),
            "prefers_career_changer_mentor": _profile(),
            "changed_careers": _profile(),
            # Some groups reveal health or origin (a disability, a priority neighbourhood).
            "priority_groups": PersonalField(
                Category.SENSITIVE, MATCHING, Basis.EXPLICIT_CONSENT, Erasure.KEEP
            ),
        },
    ),
    # Sensitive data (GDPR Art. 9) given with explicit consent: the record of that
    # consent (helper "consent", issue 16). The row reveals that the person gave the
    # data, so it is sensitive itself; it goes with the person.
    ModelData(
        model="participants.SensitiveDataConsent",
        subjects=("user",),
        fields={
            name: PersonalField(
                Category.SENSITIVE, MATCHING, Basis.EXPLICIT_CONSENT, Erasure.DELETE_ROW
            )
            for name in ("kind", "given_at", "withdrawn_at")
        },
        not_personal={"text_version": "the id of a published consent text, the same for all"},
    ),
)

NOT_PERSONAL_MODELS: dict[str, str] = {
    "participants.Skill": "the shared vocabulary of skills; no link to who added a skill",
}
