"""Personal data of the email ledger and of the notification preferences (see
`mentorat.lib.personal_data`).

A delivery names its recipient by address only (a guardian, an invited person or a
partner contact may have no account): rows are found by the address. A person's
preferences go with their account."""

from mentorat.lib.personal_data import (
    Basis,
    Category,
    Erasure,
    ModelData,
    PersonalField,
    Purpose,
)

COMMUNICATION = Purpose.COMMUNICATION

DATA_MAP: tuple[ModelData, ...] = (
    ModelData(
        model="notifications.EmailDelivery",
        subjects=(),
        email_fields=("recipient",),
        fields={
            "recipient": PersonalField(
                Category.CONTACT, COMMUNICATION, Basis.LEGITIMATE_INTEREST, Erasure.REPLACE
            ),
            # The mail server's refusal may quote the address.
            "error": PersonalField(Category.TECHNICAL, COMMUNICATION, Basis.LEGITIMATE_INTEREST),
        },
        not_personal={
            "purpose": "a dotted name of the kind of email",
            "key": "the id of the object the email is about",
        },
    ),
    ModelData(
        model="notifications.NotificationPreference",
        subjects=("user",),
        fields={
            "user": PersonalField(
                Category.TECHNICAL, COMMUNICATION, Basis.LEGITIMATE_INTEREST, Erasure.DELETE_ROW
            ),
        },
        not_personal={
            "kind": "a kind of email, from a fixed list",
            "enabled": "whether that kind is on",
            "message_frequency": "when new messages are told, from a fixed list",
        },
    ),
)
