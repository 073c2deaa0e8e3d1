"""Personal data of recognition (see `mentorat.lib.personal_data`).

Engagement is recognised to run the mentoring programs (performance of the mentoring
agreement). On erasure of a person:
- their thank-you notes go (the mentee's words, and the notes written to an erased
  mentor);
- their awards go, with their reasons;
- their attestations go, with the stored PDF: the public verification page then
  answers "not found", saying nothing about them;
- their Open Badges credentials go. Their bits in the issuing organisation's status
  list stay set (a bit no credential holds reads as revoked), so every copy of an
  erased person's badge is refused by verifiers from then on.
An erased signatory's name on others' attestations is replaced by a pseudonym."""

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


def _gone(subject: str | None = None, category: Category = Category.FREE_TEXT) -> PersonalField:
    return PersonalField(category, Purpose.FOLLOW_UP, BASIS, Erasure.DELETE_ROW, subject)


DATA_MAP: tuple[ModelData, ...] = (
    ModelData(
        model="recognition.Recognition",
        subjects=(),
        fields={"created_by": link("created_by", purpose=Purpose.FOLLOW_UP, basis=BASIS)},
        not_personal={
            "name": "the name of a distinction, such as Mentor engagé·e 2026",
            "description": "what the distinction recognises",
        },
    ),
    ModelData(
        model="recognition.Award",
        subjects=("mentor",),
        fields={
            "mentor": _gone(category=Category.IDENTITY),
            "reason": _gone(),
            "awarded_by": link("awarded_by", purpose=Purpose.FOLLOW_UP, basis=BASIS),
        },
    ),
    ModelData(
        model="recognition.ThankYouNote",
        subjects=("author", "mentorship__mentor_application__user"),
        fields={
            "author": _gone(category=Category.IDENTITY),
            "text": _gone(),
        },
    ),
    ModelData(
        model="recognition.Attestation",
        subjects=("holder",),
        fields={
            "holder": _gone(category=Category.IDENTITY),
            "holder_name": _gone(category=Category.IDENTITY),
            "details": _gone(category=Category.PROFILE),
            "file": _gone(category=Category.PROFILE),
            "signatory": link("signatory", purpose=Purpose.FOLLOW_UP, basis=BASIS),
            "signatory_name": PersonalField(
                Category.IDENTITY, Purpose.FOLLOW_UP, BASIS, Erasure.REPLACE, "signatory"
            ),
            "issued_by": link("issued_by", purpose=Purpose.FOLLOW_UP, basis=BASIS),
            "revoked_by": link("revoked_by", purpose=Purpose.FOLLOW_UP, basis=BASIS),
        },
        not_personal={
            "public_id": "a random reference",
            "language": "the language the attestation was written in",
        },
    ),
    ModelData(
        model="recognition.Credential",
        subjects=("holder",),
        fields={
            "holder": _gone(category=Category.IDENTITY),
            "token": _gone(category=Category.PROFILE),
            "achievement_name": _gone(category=Category.PROFILE),
            "achievement_description": _gone(category=Category.PROFILE),
        },
    ),
)

NOT_PERSONAL_MODELS = {
    "recognition.IssuerKey": "an organisation's signing key",
}
