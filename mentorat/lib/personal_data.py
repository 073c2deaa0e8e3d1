"""The vocabulary of the data map: what each app declares about the personal data it holds.

Every app that stores personal data has a `personal_data.py` module with a `DATA_MAP`
tuple of `ModelData`, one per model. `mentorat.privacy.datamap` collects them; the
processing register, the privacy notice's table, the export (Art. 15/20), the erasure
(Art. 17) and the retention clean-up all read that one map, so a field declared here is
exported, erased and listed, and a field that is not declared fails the test suite
(`tests/privacy/test_datamap.py`).

This module sits at the bottom layer (`mentorat.lib`) so that every app can declare its
data without importing the privacy app, which reads all of them.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """Kinds of personal data, as the processing register lists them."""

    IDENTITY = "identity", _("Identity")
    CONTACT = "contact", _("Contact details")
    PROFILE = "profile", _("Profile, studies and career")
    SENSITIVE = "sensitive", _("Sensitive data (GDPR Art. 9)")
    MINORS = "minors", _("Data about minors and their guardians")
    FREE_TEXT = "free_text", _("Free text written in the platform")
    TECHNICAL = "technical", _("Technical and security data")


class Purpose(models.TextChoices):
    """Why the data are processed."""

    ACCOUNT = "account", _("Managing accounts and signing in")
    ENROLLMENT = "enrollment", _("Enrolling and selecting participants")
    MATCHING = "matching", _("Matching mentors and mentees")
    FOLLOW_UP = "follow_up", _("Following up the mentoring pairs")
    SAFEGUARDING = "safeguarding", _("Protecting minors")
    COMMUNICATION = "communication", _("Sending the program's messages")
    STATISTICS = "statistics", _("Program statistics and reports")
    SECURITY = "security", _("Security and accountability (audit log)")


class Basis(models.TextChoices):
    """Legal basis of the processing (GDPR Art. 6, and Art. 9 for sensitive data)."""

    CONTRACT = "contract", _("Performance of the mentoring agreement (Art. 6.1.b)")
    PUBLIC_INTEREST = "public_interest", _("Task in the public interest (Art. 6.1.e)")
    LEGITIMATE_INTEREST = "legitimate_interest", _("Legitimate interest (Art. 6.1.f)")
    LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation (Art. 6.1.c)")
    CONSENT = "consent", _("Consent (Art. 6.1.a)")
    EXPLICIT_CONSENT = "explicit_consent", _("Explicit consent (Art. 9.2.a)")


class Erasure(models.TextChoices):
    """What erasing the person does to the value."""

    # Set to the field's empty value (blank string, NULL, empty list or dict, default).
    CLEAR = "clear", _("removed")
    # Replaced by a placeholder that identifies nobody (unique or required fields such as
    # an email address or a name).
    REPLACE = "replace", _("replaced by a pseudonym")
    # The row exists only for this person and goes with them (e.g. a private note).
    DELETE_ROW = "delete_row", _("deleted")
    # Kept in the pseudonymous record for the statistics: a coarse value that identifies
    # nobody once names, contacts and free texts are gone (e.g. a region, a gender).
    KEEP = "keep", _("kept without the person's identity, for statistics")


@dataclass(frozen=True)
class PersonalField:
    """One field holding personal data, and what the platform does with it."""

    category: Category
    purpose: Purpose
    basis: Basis
    erasure: Erasure = Erasure.CLEAR
    # Lookup from the row to the user this value is about, when it differs from the
    # model's `subjects` (e.g. the mentor's reason on a pair: "mentor_application__user"),
    # or `TARGET`: the value is about the users of the row named by the model's
    # `generic_target` (e.g. the audit entry's `target_label`). None: about the model's
    # subjects and whoever its `email_fields` name; a model with a generic target gives
    # every field a subject, so that no reader has to guess.
    subject: str | None = None


# `PersonalField.subject` of a value about the row a generic target names.
TARGET = "@target"


def link(lookup: str, *, purpose: Purpose, basis: Basis) -> PersonalField:
    """A foreign key naming the person who did something (who decided, who wrote):
    about that person, kept on erasure since the account it points to is itself
    pseudonymised, so the record of what was done stays whole and names nobody."""
    return PersonalField(Category.IDENTITY, purpose, basis, Erasure.KEEP, subject=lookup)


@dataclass(frozen=True)
class ModelData:
    """The personal data of one model.

    `subjects` are lookups from a row to the users (`accounts.User`) it is about, such as
    `"user"` or `("mentor_application__user", "mentee_application__user")`; `""` for the
    user model itself; `()` when only `email_fields` or `generic_target` find the rows.
    `fields` declares each personal field; `not_personal` names the text-like fields
    that hold no personal data, with the reason, so the completeness test can tell an
    oversight from a decision."""

    model: str  # "app_label.ModelName"
    subjects: tuple[str, ...]
    fields: Mapping[str, PersonalField]
    not_personal: Mapping[str, str] = field(default_factory=dict)
    # Fields holding a person's email address (a string, or a JSON list of addresses):
    # rows no relation leads to the account (the delivery ledger, an invitation not yet
    # accepted, sign-in attempts) are found by the account's address, case-insensitively.
    email_fields: tuple[str, ...] = ()
    # (type field, id field) naming any row by its model label in lower case
    # ("applications.application") and primary key, as the audit entry's target: the row
    # is also about the subjects of the named row ("accounts.user": that user).
    generic_target: tuple[str, str] | None = None
