"""Personal data of opportunities (see `mentorat.lib.personal_data`).

An opportunity is an organisation's offer: it names its contact person and who wrote it.
A candidacy is a mentee's interest in an offer (her message), her mentor's recommendation
and the organisation's decision, processed to help the mentee into work or training
through the program (performance of the mentoring agreement). On erasure the message
goes; the fact of the candidacy and its decision stay for the partnership reports,
naming nobody."""

from mentorat.lib.personal_data import (
    Basis,
    Category,
    Erasure,
    ModelData,
    PersonalField,
    Purpose,
    link,
)

BASIS = Basis.CONTRACT

DATA_MAP: tuple[ModelData, ...] = (
    ModelData(
        model="opportunities.Opportunity",
        subjects=("contact", "created_by"),
        fields={
            "contact": link("contact", purpose=Purpose.ENROLLMENT, basis=BASIS),
            "created_by": link("created_by", purpose=Purpose.SECURITY, basis=BASIS),
        },
        not_personal={
            "title": "the offer's title, written by the organisation",
            "field": "the offer's field",
            "place": "where the offer takes place (a company site, a town)",
            "description": "the organisation's description of its offer",
        },
    ),
    ModelData(
        model="opportunities.Candidacy",
        subjects=("candidate",),
        fields={
            "candidate": link("candidate", purpose=Purpose.ENROLLMENT, basis=BASIS),
            "message": PersonalField(Category.FREE_TEXT, Purpose.ENROLLMENT, BASIS, Erasure.CLEAR),
            "status": PersonalField(Category.PROFILE, Purpose.STATISTICS, BASIS, Erasure.KEEP),
            "recommended_by": link("recommended_by", purpose=Purpose.ENROLLMENT, basis=BASIS),
            "decided_by": link("decided_by", purpose=Purpose.ENROLLMENT, basis=BASIS),
        },
        not_personal={"outcome": "the outcome row, declared with the mentorships"},
    ),
)
