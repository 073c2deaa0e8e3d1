"""A form renderer that writes Django's common widget templates in Python.

Django renders every widget, label and error list through templates, and every option of
a select or of a list of checkboxes through two or three nested ones: on the profile and
the applications list, most of the page's time (docs/benchmarks.md, "Pages under
load"). `PythonFormRenderer` writes the very same HTML, byte for byte, from the same
context, for the templates below, and leaves any other template (custom widgets, the
admin's, whole forms) to Django's templates. tests/lib/test_form_rendering.py compares
both renderers on every widget of Django and every form of the project.
"""

from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

_CONTEXT = Context()  # autoescape on, as in the form renderer's templates; never written


def _show(value: Any) -> str:
    """What `{{ value }}` writes (localized, escaped unless safe)."""
    return str(render_value_in_context(value, _CONTEXT))


def _string(value: Any) -> str:
    """What `{{ value|stringformat:'s' }}` writes."""
    if isinstance(value, tuple):
        value = str(value)
    text = "%s" % value  # noqa: UP031 (the filter's own formatting)
    return text if isinstance(value, SafeData) else str(conditional_escape(text))


def _attrs(attrs: Mapping[str, Any]) -> str:
    """django/forms/widgets/attrs.html (and django/forms/attrs.html)."""
    return "".join(
        f" {_show(name)}" if value is True else f' {_show(name)}="{_string(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: Mapping[str, Any]) -> str:
    """django/forms/widgets/input.html."""
    value = "" if widget["value"] is None else f' value="{_string(widget["value"])}"'
    return (
        f'<input type="{_show(widget["type"])}" name="{_show(widget["name"])}"'
        f"{value}{_attrs(widget['attrs'])}>\n"
    )


def _input_option(option: Mapping[str, Any]) -> str:
    """django/forms/widgets/input_option.html."""
    if not option["wrap_label"]:
        return _input(option) + "\n"
    option_id = option["attrs"].get("id")
    label_for = f' for="{_show(option_id)}"' if option_id else ""
    return f"<label{label_for}>{_input(option)} {_show(option['label'])}</label>\n"


def _choice_option(option: Mapping[str, Any]) -> str:
    """django/forms/widgets/radio_option.html and checkbox_option.html."""
    return _input_option(option) + "\n"


def _select_option(option: Mapping[str, Any]) -> str:
    """django/forms/widgets/select_option.html."""
    return (
        f'<option value="{_string(option["value"])}"{_attrs(option["attrs"])}>'
        f"{_show(option['label'])}</option>\n"
    )


# Each option's template, as the widget names it (`option_template_name`).
_OPTIONS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "django/forms/widgets/select_option.html": _select_option,
    "django/forms/widgets/radio_option.html": _choice_option,
    "django/forms/widgets/checkbox_option.html": _choice_option,
    "django/forms/widgets/input_option.html": _input_option,
}


def _options_known(widget: Mapping[str, Any]) -> bool:
    return all(
        option["template_name"] in _OPTIONS
        for _group, options, _index in widget["optgroups"]
        for option in options
    )


def _select(context: Mapping[str, Any]) -> str | None:
    widget = context["widget"]
    if not _options_known(widget):
        return None
    parts = [f'<select name="{_show(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f'\n  <optgroup label="{_show(group)}">')
        parts.extend(f"\n  {_OPTIONS[option['template_name']](option)}" for option in options)
        if group:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _multiple_input(context: Mapping[str, Any]) -> str | None:
    widget = context["widget"]
    if not _options_known(widget):
        return None
    widget_id = widget["attrs"].get("id")
    css = widget["attrs"].get("class")
    parts = [
        "<div",
        f' id="{_show(widget_id)}"' if widget_id else "",
        f' class="{_show(css)}"' if css else "",
        ">",
    ]
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{_show(group)}</label>")
        parts.extend(
            f"<div>\n    {_OPTIONS[option['template_name']](option)}</div>" for option in options
        )
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return "".join(parts)


def _textarea(context: Mapping[str, Any]) -> str:
    widget = context["widget"]
    value = _show(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_show(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _label(context: Mapping[str, Any]) -> str:
    if not context["use_tag"]:
        return _show(context["label"])
    tag = _show(context["tag"])
    return f"<{tag}{_attrs(context['attrs'] or {})}>{_show(context['label'])}</{tag}>"


def _errors(context: Mapping[str, Any]) -> str:
    errors = context["errors"]
    if not errors:
        return ""
    field_id = getattr(errors, "field_id", None)
    error_id = f' id="{_show(field_id)}_error"' if field_id else ""
    items = "".join(f"<li>{_show(error)}</li>" for error in errors)
    return f'<ul class="{_show(context["error_class"])}"{error_id}>{items}</ul>'


def _input_widget(context: Mapping[str, Any]) -> str:
    return _input(context["widget"])


_WIDGETS = "django/forms/widgets/"
_TEMPLATES: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    **{
        f"{_WIDGETS}{name}.html": _input_widget
        for name in (
            "input",
            "text",
            "email",
            "url",
            "number",
            "password",
            "hidden",
            "date",
            "datetime",
            "time",
            "checkbox",
            "search",
            "tel",
            "color",
        )
    },
    f"{_WIDGETS}textarea.html": _textarea,
    f"{_WIDGETS}select.html": _select,
    f"{_WIDGETS}radio.html": _multiple_input,
    f"{_WIDGETS}checkbox_select.html": _multiple_input,
    f"{_WIDGETS}multiple_input.html": _multiple_input,
    "django/forms/label.html": _label,
    "django/forms/errors/list/default.html": _errors,
    "django/forms/errors/list/ul.html": _errors,
}


class PythonFormRenderer(DjangoTemplates):
    """Django's template form renderer, with its common templates written in Python."""

    def render(self, template_name: str, context: Any, request: Any = None) -> str:
        write = _TEMPLATES.get(template_name)
        if write is not None and isinstance(context, Mapping):
            html = write(context)
            if html is not None:
                return mark_safe(html.strip())  # noqa: S308 (every value above is escaped)
        return super().render(template_name, context, request=request)
