"""The texts people agree to when they give sensitive data, each with a version id that
is stored with the consent (`SensitiveDataConsent.text_version`).

A text is never edited once published: a change is a new version added to `TEXTS`, and
`CURRENT` points to it. Earlier versions stay so that anyone can read what a person
agreed to (profile page, "my data" page, export)."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from mentorat.participants.models import SensitiveDataKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class ConsentText:
    """One published version of a consent text."""

    kind: str
    version: str
    label: "StrOrPromise"  # the checkbox's label
    text: "StrOrPromise"  # what the person agrees to, shown next to the checkbox


TEXTS: dict[tuple[str, str], ConsentText] = {
    (SensitiveDataKind.DISABILITY, "1"): ConsentText(
        kind=SensitiveDataKind.DISABILITY,
        version="1",
        label=_(
            "I explicitly consent to the processing of the information that I have a "
            "recognised disability"
        ),
        text=_(
            "This is health data. It is used only so that programs which give priority to "
            "people with a disability can take it into account when selecting and matching "
            "participants; only the coordinators of the programs you apply to see it, "
            "never mentors or partners. Giving it is optional and separate from your "
            "application. You can withdraw this consent at any time on your profile page: "
            "the information is then removed at once."
        ),
    ),
}

# The version new consents are given to, by kind.
CURRENT: dict[str, str] = {SensitiveDataKind.DISABILITY: "1"}


def current_text(kind: str) -> ConsentText:
    """The version of `kind`'s consent text that people agree to today."""
    return TEXTS[(kind, CURRENT[kind])]


def text_for(kind: str, version: str) -> ConsentText | None:
    """The text of a given version (None for a version this code does not know)."""
    return TEXTS.get((kind, version))
