from __future__ import annotations

from django.db.models import Q, QuerySet
from django_filters import rest_framework as filters

from ..choices import CaseDomain, CaseFamily
from ..models import ResolutionCase


class ResolutionCaseFilter(filters.FilterSet):
    family = filters.ChoiceFilter(choices=CaseFamily.choices)
    domain = filters.ChoiceFilter(choices=CaseDomain.choices)
    is_active = filters.BooleanFilter()
    search = filters.CharFilter(method="filter_search", label="Recherche (identifiant, intitulé, symptômes)")

    class Meta:
        model = ResolutionCase
        fields = ("family", "domain", "is_active")

    def filter_search(
        self, queryset: QuerySet[ResolutionCase], name: str, value: str
    ) -> QuerySet[ResolutionCase]:
        q = Q(id__icontains=value) | Q(heading__icontains=value) | Q(title__icontains=value)
        q |= Q(symptoms__icontains=value)
        if value.isdigit():
            q |= Q(number=int(value))
        return queryset.filter(q)
