"""The Python widget renderer writes exactly what Django's widget templates write."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.urls import reverse_lazy
from django.utils.safestring import mark_safe

from softwhere.core.form_renderer import FAST, DeskFormRenderer

GROUPED = [
    ("", "— choisir —"),
    ("Fibre / Accès", [("1", "1. Coupure <totale>"), ("2", 'Débit « dégradé » & "lent"')]),
    ("Voix", [(3, "3. Pas de tonalité")]),
]

WIDGETS: list[tuple[str, forms.Widget, Any]] = [
    ("text", forms.TextInput(attrs={"class": "form-control", "maxlength": 200, "required": True}), 'a "b" <c>'),
    ("text, no value", forms.TextInput(), None),
    ("text, empty", forms.TextInput(attrs={"disabled": False, "data-x": None}), ""),
    ("text, safe value", forms.TextInput(), mark_safe("<b>déjà sûr</b>")),
    ("number", forms.NumberInput(attrs={"step": 1, "min": 0}), 42),
    ("email", forms.EmailInput(), "jean@exemple.fr"),
    ("hidden", forms.HiddenInput(), "x&y"),
    ("date", forms.DateInput(attrs={"type": "date"}), "2026-12-04"),
    ("datetime-local", forms.DateTimeInput(attrs={"type": "datetime-local"}), "2026-12-04T10:00"),
    ("password", forms.PasswordInput(render_value=True), "secret"),
    ("textarea", forms.Textarea(attrs={"rows": 4}), "ligne 1\nligne <2>"),
    ("textarea, empty", forms.Textarea(), ""),
    ("select", forms.Select(choices=[("", "—"), ("a", "Alpha"), ("b", "Bêta <b>")]), "b"),
    ("select, none chosen", forms.Select(choices=[("a", "A")]), None),
    ("select, grouped", forms.Select(choices=GROUPED), "2"),
    ("select, lazy attribute", forms.Select(choices=[("1", "Un")], attrs={"hx-get": reverse_lazy("login")}), "1"),
    ("select, numeric labels", forms.Select(choices=[(1, 1000), (2, 2.5), (3, None)]), 2),
    ("select multiple", forms.SelectMultiple(choices=[("a", "A"), ("b", "B"), ("c", "C")]), ["a", "c"]),
    ("null boolean", forms.NullBooleanSelect(), True),
    ("radio (template engine)", forms.RadioSelect(choices=[("a", "A"), ("b", "B")]), "a"),
    ("checkbox", forms.CheckboxInput(), True),
]


@pytest.mark.parametrize(("label", "widget", "value"), WIDGETS, ids=[w[0] for w in WIDGETS])
def test_same_html_as_django_templates(label: str, widget: forms.Widget, value: Any) -> None:
    expected = widget.render("champ", value, attrs={"id": "id_champ"}, renderer=DjangoTemplates())
    assert widget.render("champ", value, attrs={"id": "id_champ"}, renderer=DeskFormRenderer()) == expected


@pytest.mark.parametrize(
    ("widget", "choices", "value"),
    [
        (forms.RadioSelect(), [("a", "A <a>"), ("b", "Bêta")], "a"),
        (forms.CheckboxSelectMultiple(), [("1", "Un"), ("2", 2.5)], ["1"]),
        (forms.RadioSelect(attrs={"class": "form-check-input", "required": True}), [("a", "A")], "b"),
    ],
    ids=["radio", "checkboxes", "radio with attributes"],
)
def test_each_choice_of_a_choice_field_renders_the_same(widget: forms.Widget, choices: Any, value: Any) -> None:
    """``{{ choice.tag }}`` and ``{{ choice }}`` (wrapped in its label), as ``tickets/_choices.html`` draws them."""
    field_class = forms.MultipleChoiceField if widget.allow_multiple_selected else forms.ChoiceField

    class Form(forms.Form):
        field = field_class(widget=widget, choices=choices)

    fast = list(Form({"field": value}, renderer=DeskFormRenderer())["field"])
    slow = list(Form({"field": value}, renderer=DjangoTemplates())["field"])
    assert len(fast) == len(choices)
    assert [c.tag() for c in fast] == [c.tag() for c in slow]
    assert [str(c) for c in fast] == [str(c) for c in slow]
    assert all(str(c).startswith("<label") and not c.tag().startswith("<label") for c in fast)


def test_the_common_widgets_skip_the_template_engine() -> None:
    for name in ("input", "text", "select", "select_option", "textarea", "number", "hidden", "radio_option"):
        assert f"django/forms/widgets/{name}.html" in FAST


def test_a_whole_form_renders_the_same(settings: Any) -> None:
    class Form(forms.Form):
        subject = forms.CharField(label="Objet", max_length=200, help_text="Court <svp>")
        state = forms.ChoiceField(choices=[("x", "Interrompu"), ("y", "Dégradé")], widget=forms.RadioSelect)
        case = forms.ChoiceField(choices=GROUPED, required=False)
        note = forms.CharField(widget=forms.Textarea, required=False)

    data = {"subject": "", "state": "z", "case": "1", "note": "<script>"}
    assert str(Form(data, renderer=DeskFormRenderer())) == str(Form(data, renderer=DjangoTemplates()))
    assert settings.FORM_RENDERER == "softwhere.core.form_renderer.DeskFormRenderer"
