from __future__ import annotations

from django.db.models import Q, QuerySet
from django_filters import rest_framework as filters

from ..choices import OrganisationKind
from ..models import Contact, Organisation, Site


class OrganisationFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=OrganisationKind.choices)
    partner = filters.NumberFilter(field_name="partner_id")
    is_active = filters.BooleanFilter()
    search = filters.CharFilter(method="filter_search", label="Recherche (raison sociale, SIRET, commune)")

    class Meta:
        model = Organisation
        fields = ("kind", "partner", "is_active")

    def filter_search(self, queryset: QuerySet[Organisation], name: str, value: str) -> QuerySet[Organisation]:
        return queryset.filter(
            Q(name__icontains=value) | Q(siret__contains=value.replace(" ", "")) | Q(city__icontains=value)
        )


class SiteFilter(filters.FilterSet):
    organisation = filters.NumberFilter(field_name="organisation_id")
    search = filters.CharFilter(method="filter_search", label="Recherche (nom, adresse, code postal, commune)")

    class Meta:
        model = Site
        fields = ("organisation",)

    def filter_search(self, queryset: QuerySet[Site], name: str, value: str) -> QuerySet[Site]:
        return queryset.filter(
            Q(name__icontains=value)
            | Q(address_line1__icontains=value)
            | Q(postal_code__startswith=value)
            | Q(city__icontains=value)
        )


class ContactFilter(filters.FilterSet):
    organisation = filters.NumberFilter(field_name="organisation_id")
    site = filters.NumberFilter(field_name="site_id")
    search = filters.CharFilter(method="filter_search", label="Recherche (nom, e-mail, téléphone)")

    class Meta:
        model = Contact
        fields = ("organisation", "site")

    def filter_search(self, queryset: QuerySet[Contact], name: str, value: str) -> QuerySet[Contact]:
        digits = value.replace(" ", "")
        return queryset.filter(
            Q(last_name__icontains=value)
            | Q(first_name__icontains=value)
            | Q(email__icontains=value)
            | Q(phone__contains=digits[1:] if digits.startswith("0") else digits)
            | Q(mobile__contains=digits[1:] if digits.startswith("0") else digits)
        )
