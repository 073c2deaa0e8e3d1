"""Template filters `number`, `percentage` and `elide`, built into every template
(settings `TEMPLATES` `builtins`): `{{ share|percentage:1 }}` shows "44,4 %" in French and
"44.4%" in English, `{{ hours|number:1 }}` "12,5" or "12.5", and `elide` turns "de Inès"
into "d'Inès" in French (see `mentorat.lib.formatting`)."""

from decimal import Decimal, InvalidOperation

from django import template

from mentorat.lib.formatting import EMPTY, format_number, format_percent
from mentorat.lib.formatting import elide as elide_text

register = template.Library()


def _as_number(value: object) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@register.filter
def percentage(value: object, places: int = 0) -> str:
    """A percentage (44.4 for 44.4 %) in the active language; "—" when not a number."""
    number = _as_number(value)
    return EMPTY if number is None else format_percent(number, int(places))


@register.filter
def number(value: object, places: int = 0) -> str:
    """A number in the active language (grouped thousands, decimal mark); "—" when not a
    number. Negative `places` drops trailing zeros, as `floatformat`."""
    found = _as_number(value)
    return EMPTY if found is None else format_number(found, int(places))


@register.filter(is_safe=True)
def elide(value: str) -> str:
    """French elision of "de"/"que" before a vowel ("d'Inès"), for a translated sentence
    that puts a name after "de": `{% filter elide %}{% blocktranslate %}…{% endfilter %}`."""
    return elide_text(str(value))
