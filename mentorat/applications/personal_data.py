"""Personal data of the applications app (see `mentorat.lib.personal_data`).

A minor's guardian has no account: their name and address live on the minor's
application and go with the minor's erasure."""

from mentorat.lib.personal_data import (
    Basis,
    Category,
    Erasure,
    ModelData,
    PersonalField,
    Purpose,
    link,
)

ENROLLMENT = Purpose.ENROLLMENT
CONTRACT = Basis.CONTRACT


def _kept() -> PersonalField:
    # What the reports count (role, status, dates): kept in the pseudonymous record.
    return PersonalField(Category.PROFILE, ENROLLMENT, CONTRACT, Erasure.KEEP)


def _text() -> PersonalField:
    return PersonalField(Category.FREE_TEXT, ENROLLMENT, CONTRACT)


def _guardian() -> PersonalField:
    # Parental consent for a minor's participation (Art. 8 GDPR, and school rules).
    return PersonalField(Category.MINORS, Purpose.SAFEGUARDING, Basis.LEGAL_OBLIGATION)


def _guardian_record() -> PersonalField:
    # When the consent was given: proof of it, naming nobody once the rest is gone.
    return PersonalField(
        Category.MINORS, Purpose.SAFEGUARDING, Basis.LEGAL_OBLIGATION, Erasure.KEEP
    )


DATA_MAP: tuple[ModelData, ...] = (
    ModelData(
        model="applications.Application",
        subjects=("user",),
        fields={
            "role": _kept(),
            "status": _kept(),
            "submitted_at": _kept(),
            "decided_at": _kept(),
            "accepted_at": _kept(),
            "charter_accepted_at": _kept(),
            "answers": _text(),
            "decision_reason": _text(),
            "info_request": _text(),
            "decided_by": link("decided_by", purpose=ENROLLMENT, basis=CONTRACT),
            "is_minor": _guardian_record(),
            "contact_through_platform_only": _guardian_record(),
            "guardian_email": _guardian(),
            "guardian_name": _guardian(),
            "guardian_relationship": _guardian(),
            "guardian_relationship_detail": _guardian(),
            "guardian_consent_at": _guardian_record(),
            "guardian_email_verified_at": _guardian_record(),
            "guardian_consent_withdrawn_at": _guardian_record(),
        },
        not_personal={"source": "how the application arrived: a code such as form or import"},
    ),
    ModelData(
        model="applications.RecruitmentCall",
        subjects=("sent_by",),
        # The addresses of the partner organisations' contacts the call went to.
        email_fields=("recipients",),
        fields={
            "recipients": PersonalField(
                Category.CONTACT, Purpose.COMMUNICATION, Basis.LEGITIMATE_INTEREST
            ),
            "sent_by": link(
                "sent_by", purpose=Purpose.COMMUNICATION, basis=Basis.LEGITIMATE_INTEREST
            ),
        },
        not_personal={"message": "the program's call for mentors, the same for every recipient"},
    ),
)
