"""The 14 domains of France Travail's ROME classification of occupations.

The list itself lives in the matching engine (``matching_engine.rome.DOMAINS``, French and
English labels); this module turns it into Django choices whose label follows the active
language.
"""

from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from matching_engine.rome import DOMAIN_LETTERS, domain_label


def _label(letter: str) -> str:
    # French when the active language is French, English otherwise (also when translation is
    # deactivated, so migrations keep the English labels they were written with).
    return domain_label(letter, "fr" if (get_language() or "").startswith("fr") else "en")


_lazy_label = lazy(_label, str)

ROME_DOMAINS = [(letter, _lazy_label(letter)) for letter in DOMAIN_LETTERS]
ROME_DOMAIN_CHOICES = [("", _("Not specified")), *ROME_DOMAINS]
