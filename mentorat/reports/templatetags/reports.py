from django import template

from mentorat.reports.figures import Figure

register = template.Library()


@register.filter
def cell(value: object) -> str:
    """A table cell as shown: figures through their own display (small groups hidden)."""
    if isinstance(value, Figure):
        return value.display()
    return str(value)


@register.filter
def is_hidden(value: object) -> bool:
    return isinstance(value, Figure) and value.suppressed
