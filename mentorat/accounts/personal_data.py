"""Personal data of the accounts app (see `mentorat.lib.personal_data`)."""

from mentorat.lib.personal_data import (
    Basis,
    Category,
    Erasure,
    ModelData,
    PersonalField,
    Purpose,
)

ACCOUNT = Purpose.ACCOUNT
CONTRACT = Basis.CONTRACT

DATA_MAP: tuple[ModelData, ...] = (
    ModelData(
        model="accounts.User",
        subjects=("",),
        fields={
            "email": PersonalField(Category.CONTACT, ACCOUNT, CONTRACT, Erasure.REPLACE),
            "first_name": PersonalField(Category.IDENTITY, ACCOUNT, CONTRACT, Erasure.REPLACE),
            "last_name": PersonalField(Category.IDENTITY, ACCOUNT, CONTRACT, Erasure.REPLACE),
            # Replaced by an unusable password: nobody can sign in to a closed account.
            "password": PersonalField(Category.TECHNICAL, ACCOUNT, CONTRACT, Erasure.REPLACE),
            "language": PersonalField(Category.TECHNICAL, ACCOUNT, CONTRACT, Erasure.KEEP),
            "time_zone": PersonalField(Category.TECHNICAL, ACCOUNT, CONTRACT),
            "date_joined": PersonalField(Category.TECHNICAL, ACCOUNT, CONTRACT, Erasure.KEEP),
            "last_login": PersonalField(
                Category.TECHNICAL, Purpose.SECURITY, Basis.LEGITIMATE_INTEREST
            ),
            # Proof of what the person was told (GDPR Art. 5.2, accountability).
            "privacy_notice_accepted_at": PersonalField(
                Category.TECHNICAL, ACCOUNT, Basis.LEGAL_OBLIGATION, Erasure.KEEP
            ),
        },
    ),
)
