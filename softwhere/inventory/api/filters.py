from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django_filters import rest_framework as filters

from softwhere.core.validators import normalize_phone

from ..choices import AccessTechnology, EquipmentKind, ServiceKind, ServiceStatus, SimKind, VoiceKind
from ..models import Access, Equipment, MobileLine, NumberRange, Service, VoiceService


class ServiceFilter(filters.FilterSet):
    organisation = filters.NumberFilter(field_name="site__organisation_id")
    site = filters.NumberFilter(field_name="site_id")
    kind = filters.ChoiceFilter(choices=ServiceKind.choices)
    status = filters.ChoiceFilter(choices=ServiceStatus.choices)
    search = filters.CharFilter(method="filter_search", label="Recherche (libellé, référence opérateur, site)")

    class Meta:
        model = Service
        fields = ("organisation", "site", "kind", "status")

    def search_q(self, value: str) -> Q:
        return (
            Q(label__icontains=value)
            | Q(carrier_reference__icontains=value)
            | Q(carrier__icontains=value)
            | Q(site__name__icontains=value)
            | Q(site__organisation__name__icontains=value)
        )

    def filter_search(self, queryset: QuerySet[Service], name: str, value: str) -> QuerySet[Service]:
        return queryset.filter(self.search_q(value))


class AccessFilter(ServiceFilter):
    technology = filters.ChoiceFilter(choices=AccessTechnology.choices)

    class Meta:
        model = Access
        fields = ("organisation", "site", "kind", "status", "technology")


class VoiceServiceFilter(ServiceFilter):
    voice_kind = filters.ChoiceFilter(choices=VoiceKind.choices)
    number = filters.CharFilter(method="filter_number", label="Numéro E.164 porté par une plage du service")

    class Meta:
        model = VoiceService
        fields = ("organisation", "site", "kind", "status", "voice_kind")

    def filter_number(self, queryset: QuerySet[VoiceService], name: str, value: str) -> QuerySet[VoiceService]:
        try:
            number = normalize_phone(value)
        except ValidationError:
            return queryset.none()
        # Ranges stay inside one block of 10 000 numbers, so E.164 strings compare like numbers.
        return queryset.filter(
            number_ranges__first_number__lte=number, number_ranges__last_number__gte=number
        ).distinct()


class MobileLineFilter(ServiceFilter):
    sim_kind = filters.ChoiceFilter(choices=SimKind.choices)

    class Meta:
        model = MobileLine
        fields = ("organisation", "site", "kind", "status", "sim_kind")

    def search_q(self, value: str) -> Q:
        digits = value.replace(" ", "")
        national = digits[1:] if digits.startswith("0") else digits
        return super().search_q(value) | Q(msisdn__contains=national) | Q(iccid__contains=digits)


class NumberRangeFilter(filters.FilterSet):
    organisation = filters.NumberFilter(field_name="voice_service__site__organisation_id")
    voice_service = filters.NumberFilter(field_name="voice_service_id")

    class Meta:
        model = NumberRange
        fields = ("organisation", "voice_service", "kind")


class EquipmentFilter(filters.FilterSet):
    organisation = filters.NumberFilter(field_name="site__organisation_id")
    site = filters.NumberFilter(field_name="site_id")
    service = filters.NumberFilter(field_name="service_id")
    kind = filters.ChoiceFilter(choices=EquipmentKind.choices)
    search = filters.CharFilter(method="filter_search", label="Recherche (marque, modèle, série, MAC, nom d'hôte)")

    class Meta:
        model = Equipment
        fields = ("organisation", "site", "service", "kind")

    def filter_search(self, queryset: QuerySet[Equipment], name: str, value: str) -> QuerySet[Equipment]:
        return queryset.filter(
            Q(brand__icontains=value)
            | Q(model__icontains=value)
            | Q(serial_number__icontains=value)
            | Q(mac_address__icontains=value)
            | Q(hostname__icontains=value)
        )
