"""Personal data of the safeguarding checks (see `mentorat.lib.personal_data`).

A check says that an organisation saw a proof of a mentor's honourability before pairing
them with a minor: the kind of proof and its dates, never the document, and nothing about
an offence (a check that found one is not recorded). It protects the minors the programs
take in (legitimate interest of the organisations, which answer for the adults they bring
to pupils). It exists only for its mentor and goes with their erasure."""

from mentorat.lib.personal_data import (
    Basis,
    Category,
    Erasure,
    ModelData,
    PersonalField,
    Purpose,
    link,
)

BASIS = Basis.LEGITIMATE_INTEREST


def _check() -> PersonalField:
    return PersonalField(Category.IDENTITY, Purpose.SAFEGUARDING, BASIS, Erasure.DELETE_ROW)


DATA_MAP: tuple[ModelData, ...] = (
    ModelData(
        model="safeguarding.SafeguardingCheck",
        subjects=("mentor",),
        fields={
            "kind": _check(),
            "kind_detail": _check(),
            "checked_on": _check(),
            "valid_until": _check(),
            "recorded_at": _check(),
            "revoked_at": _check(),
            "recorded_by": link("recorded_by", purpose=Purpose.SAFEGUARDING, basis=BASIS),
            "revoked_by": link("revoked_by", purpose=Purpose.SAFEGUARDING, basis=BASIS),
        },
    ),
)
