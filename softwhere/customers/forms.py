"""Forms shared by the pages that filter by client company."""

from __future__ import annotations

from typing import Any

from django import forms

from softwhere.core.widgets import SearchableSelect

from .choices import OrganisationKind
from .models import Organisation


class CompanyFilterForm(forms.Form):
    """The « Raison sociale » filter of a list page: the user's client companies, searchable when they are many."""

    organisation = forms.ModelChoiceField(
        label="Raison sociale",
        required=False,
        queryset=Organisation.objects.none(),
        empty_label="Toutes",
        widget=SearchableSelect(attrs={"class": "form-select form-select-sm", "id": "f-organisation"}),
    )

    def __init__(self, user: Any, selected: Organisation | None = None) -> None:
        super().__init__(initial={"organisation": selected.pk if selected else None})
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.visible_to(user).exclude(kind=OrganisationKind.OPERATOR).order_by("name")
