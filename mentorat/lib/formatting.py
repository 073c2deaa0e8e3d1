"""Numbers and percentages written for the active language, the same everywhere.

French: decimal comma, narrow no-break space before `%` and between thousands
(`44,4 %`, `1 234`); English: decimal point, no space before `%` (`44.4%`, `1,234`). The
percent sign's place comes from the catalogue (msgid "%(percent)s%%"), so a page, an
email and an export agree. Halves are rounded up (12.5 % shows as 13 %)."""

import re
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

EMPTY = "—"


def rounded(value: float | Decimal, places: int = 0) -> Decimal:
    """`value` rounded half up to `places` decimals."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_number(value: float | Decimal | None, places: int = 0) -> str:
    """`value` with `places` decimals (no trailing zeros when `places` is negative, as
    `floatformat:"-1"`), grouped by thousands, in the active language; "—" for none."""
    if value is None:
        return EMPTY
    shown = rounded(value, abs(places))
    if places < 0 and shown == shown.to_integral_value():
        places = 0
    return str(formats.number_format(shown, abs(places), use_l10n=True, force_grouping=True))


def format_percent(value: float | Decimal | None, places: int = 0) -> str:
    """`value` (already a percentage: 44.4 for 44.4 %) as "44,4 %" in French and "44.4%"
    in English; "—" for none."""
    if value is None:
        return EMPTY
    return _("%(percent)s%%") % {"percent": format_number(value, places)}


# "de Inès" → "d'Inès", "que Emma" → "qu'Emma": French elides before a vowel; a name put
# into a translated sentence ("Programmes de %(name)s") cannot know it in advance.
_ELISION = re.compile(r"\b([Dd]e|[Qq]ue) (?=[AEIOUYÀÂÉÈÊËÎÏÔÛÜaeiouyàâéèêëîïôûü])")


def elide(text: str) -> str:
    """`text` with "de"/"que" elided before a word starting with a vowel, when the active
    language is French (other languages: unchanged)."""
    if not (get_language() or "fr").startswith("fr"):
        return text
    return _ELISION.sub(lambda match: f"{match.group(1)[:-1]}'", text)
