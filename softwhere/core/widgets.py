"""Form widgets shared by the apps."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.forms.models import ModelChoiceIterator
from django.urls import reverse
from django.utils.html import format_html


class SearchableSelect(forms.Select):
    """A company ``<select>`` that stays light when there are ten thousand companies.

    Up to ``limit`` choices it is a plain select. Beyond, rendering every option would
    cost hundreds of milliseconds and megabytes on every page view (the ticket grid's
    filter, the new-ticket form), so it holds only the empty and the selected option,
    and a search box under it fetches the matching options (``customers:options``) into
    the select. The submitted value and its validation are the field's own either way.
    """

    limit = 200

    def __init__(self, *, active_only: bool = False, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.active_only = active_only

    def _is_large(self) -> bool:
        choices = self.choices
        if not isinstance(choices, ModelChoiceIterator):
            return False
        return len(choices.queryset.values_list("pk", flat=True)[: self.limit + 1]) > self.limit

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        large = self._is_large()
        if large:
            full, self.choices = self.choices, self._selected_only(value)
        try:
            context = super().get_context(name, value, attrs)
        finally:
            if large:
                self.choices = full
        context["widget"]["searchable"] = large
        self._last_context = context
        return context

    def _selected_only(self, value: Any) -> list[tuple[Any, str]]:
        iterator = self.choices
        assert isinstance(iterator, ModelChoiceIterator)
        field = iterator.field
        wanted = [v for v in (value if isinstance(value, (list, tuple)) else [value]) if v not in (None, "")]
        options: list[tuple[Any, str]] = []
        if field.empty_label is not None:
            options.append(("", str(field.empty_label)))
        if wanted:
            try:
                selected = list(iterator.queryset.filter(pk__in=wanted))
            except (TypeError, ValueError):
                selected = []
            options.extend(iterator.choice(obj) for obj in selected)
        return options

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> Any:
        html = super().render(name, value, attrs, renderer)
        context = self._last_context
        if not context["widget"]["searchable"]:
            return html
        iterator = self.choices
        assert isinstance(iterator, ModelChoiceIterator)
        query = {"champ": name, "vide": str(iterator.field.empty_label or "")}
        if self.active_only:
            query["actifs"] = "1"
        select_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        return format_html(
            '{}<input type="search" name="{}_recherche" class="form-control form-control-sm mt-1" autocomplete="off"'
            ' placeholder="Rechercher (nom, SIRET, ville)…" aria-label="Rechercher dans la liste"'
            ' hx-get="{}?{}" hx-trigger="input changed delay:300ms, search" hx-target="#{}" hx-swap="innerHTML"'
            ' data-searchable-for="{}">',
            html,
            name,
            reverse("customers:options"),
            urlencode(query),
            select_id,
            select_id,
        )
