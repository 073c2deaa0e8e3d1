"""Personal data of the partnerships app (see `mentorat.lib.personal_data`).

Agreements and commitments are between organisations; a signature names the person who
signed for one side (often the admin who records it)."""

from mentorat.lib.personal_data import (
    Basis,
    Category,
    Erasure,
    ModelData,
    PersonalField,
    Purpose,
    link,
)

DATA_MAP: tuple[ModelData, ...] = (
    ModelData(
        model="partnerships.AgreementSignature",
        subjects=("recorded_by",),
        fields={
            "signatory_name": PersonalField(
                Category.IDENTITY, Purpose.ACCOUNT, Basis.CONTRACT, Erasure.REPLACE
            ),
            "signatory_role": PersonalField(Category.PROFILE, Purpose.ACCOUNT, Basis.CONTRACT),
            "recorded_by": link("recorded_by", purpose=Purpose.SECURITY, basis=Basis.CONTRACT),
        },
    ),
)

NOT_PERSONAL_MODELS: dict[str, str] = {
    "partnerships.Agreement": "an agreement between organisations: period, terms",
    "partnerships.Commitment": "a quantity one organisation commits to",
}
