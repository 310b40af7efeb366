"""Services (accesses, voice, mobile lines), number ranges and equipment over the API.

As for customers, identifiers (MAC, E.164 numbers, ICCID) are normalised and
checked by the models' ``clean()`` through the actions; serializers only check
types and that related objects are in the user's scope.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from softwhere.core.api.fields import ScopedPrimaryKeyRelatedField
from softwhere.core.api.serializers import RefSerializer
from softwhere.customers.models import Site

from ..models import Access, Equipment, MobileLine, NumberRange, Service, VoiceService

SERVICE_FIELDS = (
    "id",
    "kind",
    "site",
    "organisation",
    "label",
    "status",
    "carrier",
    "carrier_reference",
    "commitment_months",
    "commitment_start",
    "monthly_fee",
    "created_at",
    "updated_at",
)
SERVICE_READ_ONLY = ("id", "kind", "organisation", "created_at", "updated_at")
# Raw input may be longer than the stored, normalised form.
PHONE_KWARGS = {"max_length": 30, "help_text": "Toute écriture française ; renvoyé au format E.164 (+33…)."}


@extend_schema_serializer(description="Service (forme courte).")
class ServiceRefSerializer(RefSerializer):
    """Short form embedded in tickets."""

    class Meta:
        model = Service
        fields = ("id", "kind", "label", "carrier", "carrier_reference")
        read_only_fields = fields


@extend_schema_serializer(description="Équipement (forme courte).")
class EquipmentRefSerializer(RefSerializer):
    class Meta:
        model = Equipment
        fields = ("id", "kind", "brand", "model", "serial_number")
        read_only_fields = fields


class BaseServiceSerializer(serializers.ModelSerializer):
    site = ScopedPrimaryKeyRelatedField(queryset=Site.objects.all())
    organisation = serializers.IntegerField(
        source="site.organisation_id", read_only=True, help_text="Organisation du site (lecture seule)."
    )


@extend_schema_serializer(description="Service, quel que soit son type (champs communs, lecture seule).")
class ServiceSerializer(BaseServiceSerializer):
    """Any service, whatever its kind (read only: write through the typed endpoints)."""

    class Meta:
        model = Service
        fields = SERVICE_FIELDS
        read_only_fields = SERVICE_FIELDS


@extend_schema_serializer(description="Accès internet : technologie, paires, débits, option GTR, opérateur de collecte, engagement.")
class AccessSerializer(BaseServiceSerializer):
    class Meta:
        model = Access
        fields = (*SERVICE_FIELDS, "technology", "pairs", "bandwidth_down_mbps", "bandwidth_up_mbps", "gtr_option")
        read_only_fields = SERVICE_READ_ONLY


@extend_schema_serializer(description="Plage de numéros d'un service voix : NDI ou plage SDA, au format E.164.")
class NumberRangeSerializer(serializers.ModelSerializer):
    voice_service = ScopedPrimaryKeyRelatedField(queryset=VoiceService.objects.all())
    organisation = serializers.IntegerField(source="voice_service.site.organisation_id", read_only=True)
    size = serializers.IntegerField(read_only=True, help_text="Nombre de numéros de la plage.")

    class Meta:
        model = NumberRange
        fields = ("id", "voice_service", "organisation", "kind", "first_number", "last_number", "size")
        read_only_fields = ("id",)
        extra_kwargs = {"first_number": PHONE_KWARGS, "last_number": PHONE_KWARGS}


@extend_schema_serializer(description="Plage de numéros (dans un service voix).")
class NumberRangeInVoiceSerializer(serializers.ModelSerializer):
    size = serializers.IntegerField(read_only=True)

    class Meta:
        model = NumberRange
        fields = ("id", "kind", "first_number", "last_number", "size")
        read_only_fields = fields


@extend_schema_serializer(description="Service voix (trunk SIP, Centrex, fax to mail) et ses plages de numéros.")
class VoiceServiceSerializer(BaseServiceSerializer):
    number_ranges = NumberRangeInVoiceSerializer(
        many=True, read_only=True, help_text="NDI et plages SDA (modifiables via /number-ranges/)."
    )

    class Meta:
        model = VoiceService
        fields = (*SERVICE_FIELDS, "voice_kind", "simultaneous_calls", "seats", "fax_email", "number_ranges")
        read_only_fields = SERVICE_READ_ONLY


@extend_schema_serializer(description="Ligne mobile : MSISDN (E.164), SIM ou eSIM, ICCID, APN.")
class MobileLineSerializer(BaseServiceSerializer):
    class Meta:
        model = MobileLine
        fields = (*SERVICE_FIELDS, "msisdn", "sim_kind", "iccid", "apn", "roaming_enabled", "fleet")
        read_only_fields = SERVICE_READ_ONLY
        extra_kwargs = {
            "msisdn": {**PHONE_KWARGS, "validators": []},  # uniqueness checked on the E.164 form by full_clean()
            "iccid": {"max_length": 30, "help_text": "19 ou 20 chiffres commençant par 89, espaces acceptés."},
        }


@extend_schema_serializer(description="Équipement d'un site : type, marque, modèle, série, firmware, MAC, IP d'administration, garantie.")
class EquipmentSerializer(serializers.ModelSerializer):
    site = ScopedPrimaryKeyRelatedField(queryset=Site.objects.all())
    service = ScopedPrimaryKeyRelatedField(queryset=Service.objects.all(), required=False, allow_null=True)
    organisation = serializers.IntegerField(source="site.organisation_id", read_only=True)

    class Meta:
        model = Equipment
        fields = ("id", "site", "organisation", "service", "kind", "brand", "model", "serial_number", "firmware",
                  "mac_address", "management_ip", "warranty_end", "hostname", "created_at", "updated_at")
        read_only_fields = ("id", "created_at", "updated_at")
        extra_kwargs = {
            "mac_address": {
                "max_length": 30,
                "help_text": "Toute écriture (: - . ou sans séparateur) ; renvoyée en aa:bb:cc:dd:ee:ff.",
            },
        }
