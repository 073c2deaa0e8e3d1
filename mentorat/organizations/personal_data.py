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

DATA_MAP: tuple[ModelData, ...] = (
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
    "organizations.Organization": "an organisation's public description, not a person's",
    "organizations.Partnership": "an agreement between organisations",
}
