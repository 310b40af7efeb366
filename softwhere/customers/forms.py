"""Forms shared by the pages that filter by client company."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from softwhere.core.widgets import SearchableSelect

from .choices import OrganisationKind
from .models import Organisation


def client_companies(user: Any) -> QuerySet[Organisation]:
    """The companies a « Raison sociale » filter offers: the user's clients, operators excluded, by name."""
    return Organisation.objects.visible_to(user).exclude(kind=OrganisationKind.OPERATOR).only("id", "name")


class CompanyFilterField(forms.ModelChoiceField):
    """« Raison sociale » filter: « Toutes » or one client company, searchable when there are many.

    The queryset is the user's, set by the form with ``client_companies(user)``.
    """

    def __init__(self, *, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            label="Raison sociale",
            required=False,
            queryset=Organisation.objects.none(),
            empty_label="Toutes",
            widget=SearchableSelect(attrs=attrs),
        )


class CompanyFilterForm(forms.Form):
    """The « Raison sociale » filter of a list page (SLA lists)."""

    organisation = CompanyFilterField(attrs={"class": "form-select form-select-sm", "id": "f-organisation"})

    def __init__(self, user: Any, selected: Organisation | None = None) -> None:
        super().__init__(initial={"organisation": selected.pk if selected else None})
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = client_companies(user)
