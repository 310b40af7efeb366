"""Services, number ranges and equipment: read in scope, written by inventory editors through actions."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from softwhere.core.api.viewsets import ScopedActionViewSet, ScopedQuerySetMixin

from .. import actions
from ..models import Access, Equipment, MobileLine, NumberRange, Service, VoiceService
from .filters import (
    AccessFilter,
    EquipmentFilter,
    MobileLineFilter,
    NumberRangeFilter,
    ServiceFilter,
    VoiceServiceFilter,
)
from .serializers import (
    AccessSerializer,
    EquipmentSerializer,
    MobileLineSerializer,
    NumberRangeSerializer,
    ServiceSerializer,
    VoiceServiceSerializer,
)

SERVICE_ORDERING = ("label", "carrier_reference", "created_at", "monthly_fee")


def _crud_docs(noun: str) -> dict[str, object]:
    return {
        "list": extend_schema(summary=f"{noun} visibles"),
        "retrieve": extend_schema(summary=f"Détail : {noun.lower()}"),
        "create": extend_schema(summary=f"Créer : {noun.lower()}"),
        "partial_update": extend_schema(summary=f"Modifier : {noun.lower()}"),
    }


@extend_schema_view(
    list=extend_schema(summary="Tous les services visibles, quel que soit leur type"),
    retrieve=extend_schema(summary="Détail d'un service (champs communs)"),
)
class ServiceViewSet(ScopedQuerySetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Service.objects.select_related("site")
    serializer_class = ServiceSerializer
    filterset_class = ServiceFilter
    ordering_fields = SERVICE_ORDERING
    ordering = ("site__name", "kind", "label")


@extend_schema_view(**_crud_docs("Accès internet"))
class AccessViewSet(ScopedActionViewSet):
    queryset = Access.objects.select_related("site")
    serializer_class = AccessSerializer
    filterset_class = AccessFilter
    ordering_fields = SERVICE_ORDERING
    ordering = ("site__name", "label")
    create_action = actions.create_access
    update_action = actions.update_access


@extend_schema_view(**_crud_docs("Services voix"))
class VoiceServiceViewSet(ScopedActionViewSet):
    queryset = VoiceService.objects.select_related("site").prefetch_related(
        Prefetch("number_ranges", queryset=NumberRange.objects.order_by("first_number"))
    )
    serializer_class = VoiceServiceSerializer
    filterset_class = VoiceServiceFilter
    ordering_fields = SERVICE_ORDERING
    ordering = ("site__name", "label")
    create_action = actions.create_voice_service
    update_action = actions.update_voice_service


@extend_schema_view(**_crud_docs("Plages de numéros"))
class NumberRangeViewSet(ScopedActionViewSet):
    queryset = NumberRange.objects.select_related("voice_service__site")
    serializer_class = NumberRangeSerializer
    filterset_class = NumberRangeFilter
    ordering_fields = ("first_number",)
    ordering = ("first_number",)
    create_action = actions.create_number_range
    update_action = actions.update_number_range


@extend_schema_view(**_crud_docs("Lignes mobiles"))
class MobileLineViewSet(ScopedActionViewSet):
    queryset = MobileLine.objects.select_related("site")
    serializer_class = MobileLineSerializer
    filterset_class = MobileLineFilter
    ordering_fields = (*SERVICE_ORDERING, "msisdn")
    ordering = ("site__name", "msisdn")
    create_action = actions.create_mobile_line
    update_action = actions.update_mobile_line


@extend_schema_view(**_crud_docs("Équipements"))
class EquipmentViewSet(ScopedActionViewSet):
    queryset = Equipment.objects.select_related("site")
    serializer_class = EquipmentSerializer
    filterset_class = EquipmentFilter
    ordering_fields = ("kind", "brand", "serial_number", "warranty_end", "created_at")
    ordering = ("site__name", "kind", "brand", "model")
    create_action = actions.create_equipment
    update_action = actions.update_equipment
