"""Personal data of participant imports (see `mentorat.lib.personal_data`).

The uploaded file names many people, none of them findable by account: it is kept
only between preview and confirmation (emptied on import, purged after a day)."""

from mentorat.lib.personal_data import (
    Basis,
    Category,
    ModelData,
    PersonalField,
    Purpose,
    link,
)

ENROLLMENT = Purpose.ENROLLMENT

DATA_MAP: tuple[ModelData, ...] = (
    ModelData(
        model="imports.ImportBatch",
        subjects=("created_by",),
        fields={
            "content": PersonalField(Category.PROFILE, ENROLLMENT, Basis.LEGITIMATE_INTEREST),
            # A file name may name a class or a person ("3A_dupont.csv").
            "filename": PersonalField(Category.FREE_TEXT, ENROLLMENT, Basis.LEGITIMATE_INTEREST),
            "created_by": link("created_by", purpose=ENROLLMENT, basis=Basis.LEGITIMATE_INTEREST),
        },
        not_personal={
            "default_role": "a role code",
            "sha256": "a digest of the file",
            "result": "counts of rows and the ids of the invitations sent",
        },
    ),
)
