"""A form renderer that writes the most common widgets in Python.

Django renders every widget, and every ``<option>`` of a select, through the template
engine: the ticket page (about forty widgets, a hundred and fifty options and the LED readings'
radio buttons: transitions, qualification, assignment) spent a third of its time there. The widgets
below produce byte for byte what Django's own templates produce
(``core/tests/test_form_renderer.py`` compares them); any other template, or a project
override of one of them, goes through the template engine as usual.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.template.base import localize, template_localtime  # type: ignore[attr-defined]
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

WIDGETS = "django/forms/widgets/"


def _text(value: Any) -> str:
    """``{{ value }}`` / ``{{ value|stringformat:'s' }}`` with autoescape: safe strings stay as they are."""
    return str(conditional_escape(value if hasattr(value, "__html__") else str(value)))


def _shown(value: Any) -> str:
    """``{{ value }}`` without a filter: localized (numbers, dates) before escaping, as the template engine does."""
    if isinstance(value, str):
        return _text(value)
    return _text(localize(template_localtime(value)))


def _attrs(attrs: dict[str, Any]) -> str:
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_text(name)}" if value is True else f' {_text(name)}="{_text(value)}"')
    return "".join(parts)


def _input(widget: dict[str, Any]) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{_text(value)}"'
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'


def _input_option(widget: dict[str, Any]) -> str:
    """One radio button or checkbox of a choice field (``{{ choice.tag }}``, or ``{{ choice }}`` wrapped in its label)."""
    html = _input(widget)
    if not widget.get("wrap_label"):
        return html
    ident = widget["attrs"].get("id")
    for_attr = f' for="{_shown(ident)}"' if ident else ""
    return f"<label{for_attr}>{html}\n {_shown(widget['label'])}</label>"  # input.html's final newline


def _option(option: dict[str, Any]) -> str:
    return f'<option value="{_text(option["value"])}"{_attrs(option["attrs"])}>{_shown(option["label"])}</option>'


def _select(widget: dict[str, Any]) -> str:
    out = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in group_choices:
            if option["template_name"] != WIDGETS + "select_option.html":
                raise _Fallback
            out.append(f"\n  {_option(option)}\n")
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


def _textarea(widget: dict[str, Any]) -> str:
    value = widget["value"]
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{_shown(value) if value else ""}</textarea>'


class _Fallback(Exception):
    """A context this module does not reproduce: let the template engine render it."""


# Django's templates that are only ``{% include "django/forms/widgets/input.html" %}``.
_INPUT_TEMPLATES = [
    "checkbox",
    "color",
    "date",
    "datetime",
    "email",
    "hidden",
    "number",
    "password",
    "search",
    "tel",
    "text",
    "time",
    "url",
]
FAST: dict[str, Callable[[dict[str, Any]], str]] = {
    WIDGETS + "input.html": _input,
    **{f"{WIDGETS}{name}.html": _input for name in _INPUT_TEMPLATES},
    WIDGETS + "input_option.html": _input_option,
    WIDGETS + "radio_option.html": _input_option,
    WIDGETS + "checkbox_option.html": _input_option,
    WIDGETS + "select.html": _select,
    WIDGETS + "select_option.html": _option,
    WIDGETS + "textarea.html": _textarea,
}


class DeskFormRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> SafeString:
        fast = FAST.get(template_name)
        if fast is not None and "widget" in context:
            try:
                return mark_safe(fast(context["widget"]))
            except _Fallback:
                pass
        return mark_safe(super().render(template_name, context, request))
