"""Personal data of the organisations app (see `mentorat.lib.personal_data`)."""

from mentorat.lib.personal_data import (
    Basis,
    Category,
    Erasure,
    ModelData,
    PersonalField,
    Purpose,
    link,
)

ACCOUNT = Purpose.ACCOUNT
CONTRACT = Basis.CONTRACT
ORGANIZATION_TEXT = "an organisation's public description and identifiers, not a person's"

DATA_MAP: tuple[ModelData, ...] = (
    ModelData(
        model="organizations.Organization",
        subjects=(),
        fields={
            # The platform admin who approved or refused the organisation's sign-up.
            "decided_by": link("decided_by", purpose=Purpose.SECURITY, basis=CONTRACT),
        },
        not_personal={
            "name": ORGANIZATION_TEXT,
            "slug": ORGANIZATION_TEXT,
            "city": ORGANIZATION_TEXT,
            "website": ORGANIZATION_TEXT,
            "description": ORGANIZATION_TEXT,
            "siret": ORGANIZATION_TEXT,
            "uai": ORGANIZATION_TEXT,
            "address": "the organisation's postal address",
            "approval_reason": "the platform's decision about an organisation",
        },
    ),
    ModelData(
        model="organizations.Membership",
        subjects=("user",),
        fields={
            # Kept: the organisation's reports count its people through their memberships
            # (`reports.organization.contribution_table`), and a closed account signs in
            # to nothing, so the role grants nothing any more.
            "role": PersonalField(Category.PROFILE, ACCOUNT, CONTRACT, Erasure.KEEP),
        },
    ),
    ModelData(
        model="organizations.Invitation",
        subjects=("accepted_by",),
        email_fields=("email",),
        fields={
            "email": PersonalField(Category.CONTACT, ACCOUNT, CONTRACT, Erasure.DELETE_ROW),
            "invited_by": link("invited_by", purpose=ACCOUNT, basis=CONTRACT),
        },
    ),
)

NOT_PERSONAL_MODELS: dict[str, str] = {
    "organizations.Partnership": "an agreement between organisations",
}
