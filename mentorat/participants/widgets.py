"""Choice widgets that write their options in Python, not through one template each.

The profile form shows five lists of checkboxes and three selects, dozens of options in
all; Django renders every option through three nested templates, about 70 % of the
profile page's time (docs/benchmarks.md, "Pages under load"). These widgets write the
very same HTML, byte for byte (tests/participants/test_widgets.py compares them with
Django's), from the same `get_context`.
"""

from typing import Any

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe


def _text(value: Any) -> str:
    """What `{{ value|stringformat:'s' }}` writes: escaped unless already safe."""
    return str(conditional_escape(value if hasattr(value, "__html__") else f"{value}"))


def _attrs(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {name}" if value is True else f' {name}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict[str, Any]) -> str:
    """django/forms/widgets/input.html (with its final line break)."""
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"'
        f"{value}{_attrs(widget['attrs'])}>\n"
    )


def _input_option(option: dict[str, Any]) -> str:
    """django/forms/widgets/input_option.html."""
    if not option["wrap_label"]:
        return _input(option) + "\n"
    option_id = option["attrs"].get("id")
    label_for = f' for="{_text(option_id)}"' if option_id else ""
    return f"<label{label_for}>{_input(option)} {_text(option['label'])}</label>\n"


class CheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """django/forms/widgets/checkbox_select.html, written in Python."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        del renderer  # written here, not by a template renderer
        widget = self.get_context(name, value, attrs)["widget"]
        widget_id = widget["attrs"].get("id")
        css = widget["attrs"].get("class")
        parts = [
            "<div",
            f' id="{_text(widget_id)}"' if widget_id else "",
            f' class="{_text(css)}"' if css else "",
            ">",
        ]
        for group, options, _index in widget["optgroups"]:
            if group:
                parts.append(f"\n  <div><label>{_text(group)}</label>")
            # checkbox_option.html includes input_option.html, each ending a line.
            parts.extend(f"<div>\n    {_input_option(option)}\n</div>" for option in options)
            if group:
                parts.append("\n  </div>")
        parts.append("\n</div>")  # the form renderer strips the template's last line break
        return mark_safe("".join(parts))  # noqa: S308 (every value above is escaped)


class Select(forms.Select):
    """django/forms/widgets/select.html, written in Python."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        del renderer  # written here, not by a template renderer
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group, options, _index in widget["optgroups"]:
            if group:
                parts.append(f'\n  <optgroup label="{_text(group)}">')
            parts.extend(
                f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"
                for option in options
            )
            if group:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")  # the form renderer strips the template's last line break
        return mark_safe("".join(parts))  # noqa: S308 (every value above is escaped)
