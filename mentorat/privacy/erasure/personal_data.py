"""Personal data of erasure requests (see `mentorat.lib.personal_data`)."""

from mentorat.lib.personal_data import (
    Basis,
    Category,
    Erasure,
    ModelData,
    PersonalField,
    Purpose,
    link,
)

DATA_MAP = (
    ModelData(
        model="privacy_erasure.ErasureRequest",
        subjects=("person",),
        fields={
            # The request stays as the record that it was met, pointing at the
            # pseudonymised account.
            "person": link("person", purpose=Purpose.SECURITY, basis=Basis.LEGAL_OBLIGATION),
            "decided_by": link(
                "decided_by", purpose=Purpose.SECURITY, basis=Basis.LEGAL_OBLIGATION
            ),
            "refusal_reason": PersonalField(
                Category.FREE_TEXT, Purpose.SECURITY, Basis.LEGAL_OBLIGATION, Erasure.CLEAR
            ),
        },
        not_personal={"status": "a state from a fixed list"},
    ),
)
