"""Personal data of the legal pages app (see `mentorat.lib.personal_data`)."""

from mentorat.lib.personal_data import Basis, ModelData, Purpose, link

PUBLIC_TEXT = "the public text of a legal page"

DATA_MAP: tuple[ModelData, ...] = (
    ModelData(
        model="legal.LegalPageVersion",
        subjects=("published_by",),
        fields={
            "published_by": link(
                "published_by", purpose=Purpose.SECURITY, basis=Basis.LEGAL_OBLIGATION
            ),
        },
        not_personal={
            "title_fr": PUBLIC_TEXT,
            "title_en": PUBLIC_TEXT,
            "body_fr": PUBLIC_TEXT,
            "body_en": PUBLIC_TEXT,
        },
    ),
)
