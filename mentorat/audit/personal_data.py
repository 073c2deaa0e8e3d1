"""Personal data of the audit log (see `mentorat.lib.personal_data`).

An entry is about its actor and, through its target, about the people the target is
about (an application: its applicant; an account: that person). Erasure keeps the
entry (what was done, when, on which row) and removes what names anyone."""

from mentorat.lib.personal_data import (
    TARGET,
    Basis,
    Category,
    Erasure,
    ModelData,
    PersonalField,
    Purpose,
)

SECURITY = Purpose.SECURITY
INTEREST = Basis.LEGITIMATE_INTEREST

DATA_MAP: tuple[ModelData, ...] = (
    ModelData(
        model="audit.AuditEntry",
        subjects=("actor",),
        generic_target=("target_type", "target_id"),
        fields={
            "actor_label": PersonalField(
                Category.IDENTITY, SECURITY, INTEREST, Erasure.REPLACE, subject="actor"
            ),
            "target_label": PersonalField(
                Category.IDENTITY, SECURITY, INTEREST, Erasure.REPLACE, subject=TARGET
            ),
            # Details may quote the target's address, role or reason (an invitation's
            # email, a decision's reason); what they say of the actor names nobody.
            "data": PersonalField(Category.TECHNICAL, SECURITY, INTEREST, subject=TARGET),
            "ip_address": PersonalField(Category.TECHNICAL, SECURITY, INTEREST, subject="actor"),
        },
        not_personal={
            "action": "a dotted action name",
            "target_type": "a model label",
            "target_id": "a row id",
        },
    ),
    ModelData(
        # Found through `mentorat.audit.pseudonyms.pseudonyms_of(user id)`, not a relation.
        model="audit.SecurityEvent",
        subjects=(),
        fields={
            "user_pseudonym": PersonalField(
                Category.TECHNICAL, SECURITY, INTEREST, Erasure.DELETE_ROW
            ),
        },
        not_personal={
            "kind": "a dotted kind of event",
            "method": "an HTTP method",
            "path": "a page address, which never holds personal data",
            "target_type": "a model label",
            "target_id": "a row id",
        },
    ),
)
