"""Supervisor edit form of a resolution case: one line of text per symptom / check / action / example."""

from __future__ import annotations

from typing import Any

from django import forms

from .models import ResolutionCase

LIST_FIELDS = ("symptoms", "n1_checks", "n2_actions", "examples")


class CaseEditForm(forms.Form):
    title = forms.CharField(label="Titre", max_length=200)
    symptoms = forms.CharField(label="Symptômes fréquents", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    n1_checks = forms.CharField(label="Vérifications / actions N1", widget=forms.Textarea(attrs={"rows": 6}))
    n2_actions = forms.CharField(label="Actions / résolutions N2", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    examples = forms.CharField(label="Exemples (anonymisés)", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    is_active = forms.BooleanField(label="Cas actif (proposé à la qualification)", required=False)

    def __init__(self, *args: Any, case: ResolutionCase, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {"title": case.title, "is_active": case.is_active, **{f: "\n".join(getattr(case, f)) for f in LIST_FIELDS}},
        )
        super().__init__(*args, **kwargs)
        self.case = case
        for name, field in self.fields.items():
            if name == "is_active":
                field.widget.attrs["class"] = "form-check-input"
            else:
                field.widget.attrs["class"] = "form-control form-control-sm"
            if name in LIST_FIELDS:
                field.help_text = "Une ligne par élément."

    def changes(self) -> dict[str, Any]:
        """Only the fields that differ from the live case, as ``edit_case`` expects them."""
        out: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if name in LIST_FIELDS:
                value = [line.strip() for line in value.splitlines() if line.strip()]
            if getattr(self.case, name) != value:
                out[name] = value
        return out
