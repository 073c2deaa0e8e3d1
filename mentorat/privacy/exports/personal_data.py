"""Personal data of the exports (see `mentorat.lib.personal_data`).

An export request stays as the record that the person's access request was met; its
file, a copy of everything about the person, is removed on erasure, and the sweep of
`services.expire_exports` deletes from the private storage every file no export points
to any more."""

from mentorat.lib.personal_data import (
    Basis,
    Category,
    ModelData,
    PersonalField,
    Purpose,
    link,
)

DATA_MAP: tuple[ModelData, ...] = (
    ModelData(
        model="privacy_exports.ExportRequest",
        subjects=("person",),
        fields={
            "person": link("person", purpose=Purpose.ACCOUNT, basis=Basis.LEGAL_OBLIGATION),
            "requested_by": link(
                "requested_by", purpose=Purpose.ACCOUNT, basis=Basis.LEGAL_OBLIGATION
            ),
            # The name of the ZIP in the private storage; the ZIP holds all the above.
            "file": PersonalField(Category.IDENTITY, Purpose.ACCOUNT, Basis.LEGAL_OBLIGATION),
        },
        not_personal={"status": "a state from a fixed list"},
    ),
)
