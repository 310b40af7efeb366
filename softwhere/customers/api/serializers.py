"""Organisations, sites and contacts over the API.

Serializers only check types and scope; normalisation (SIRET, E.164 phones,
AFNOR addresses) and business rules live in the models' ``clean()``, run by
the actions. DRF's own uniqueness validators are removed for the same reason:
uniqueness is checked on the normalised value by ``full_clean()``.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from softwhere.core.api.fields import ScopedPrimaryKeyRelatedField
from softwhere.core.api.serializers import RefSerializer

from ..choices import ContactRole, OrganisationKind
from ..models import Contact, Organisation, Site

ADDRESS_FIELDS = ("address_line1", "address_line2", "postal_code", "city")
# Raw input may be longer than the stored, normalised form (spaces, punctuation, accents).
ADDRESS_KWARGS = {
    "address_line1": {"max_length": 80, "help_text": "Normalisée (majuscules sans accents, 38 caractères au plus)."},
    "address_line2": {"max_length": 80},
    "postal_code": {"max_length": 10},
}
PHONE_KWARGS = {"max_length": 30, "help_text": "Toute écriture française ; renvoyé au format E.164 (+33…)."}


@extend_schema_serializer(description="Organisation (forme courte).")
class OrganisationRefSerializer(RefSerializer):
    """Short form embedded in other resources."""

    class Meta:
        model = Organisation
        fields = ("id", "name", "kind")
        read_only_fields = fields


@extend_schema_serializer(description="Site (forme courte).")
class SiteRefSerializer(RefSerializer):
    class Meta:
        model = Site
        fields = ("id", "name", "city")
        read_only_fields = fields


@extend_schema_serializer(description="Contact (forme courte).")
class ContactRefSerializer(RefSerializer):
    class Meta:
        model = Contact
        fields = ("id", "first_name", "last_name", "email", "phone", "mobile")
        read_only_fields = fields


@extend_schema_serializer(description="Organisation : opérateur, partenaire intégrateur ou entreprise cliente. SIRET et adresse sont normalisés.")
class OrganisationSerializer(serializers.ModelSerializer):
    siret = serializers.CharField(
        max_length=20,
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="14 chiffres, espaces acceptés ; obligatoire pour un partenaire ou un client.",
    )
    partner = ScopedPrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(kind=OrganisationKind.PARTNER), required=False, allow_null=True
    )

    class Meta:
        model = Organisation
        fields = ("id", "kind", "name", "siret", *ADDRESS_FIELDS, "partner", "is_active", "created_at", "updated_at")
        read_only_fields = ("id", "created_at", "updated_at")
        extra_kwargs = ADDRESS_KWARGS

    def validate_siret(self, value: str | None) -> str | None:
        return value or None  # "" would collide with other empty SIRETs on the unique column


@extend_schema_serializer(description="Site d'une organisation : adresse normalisée, horaires d'ouverture, consignes d'accès.")
class SiteSerializer(serializers.ModelSerializer):
    organisation = ScopedPrimaryKeyRelatedField(queryset=Organisation.objects.all())
    opening_hours = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text='Par jour (lun…dim), des plages "HH:MM-HH:MM" : {"lun": ["08:00-12:00", "14:00-18:00"]}.',
    )

    class Meta:
        model = Site
        fields = ("id", "organisation", "name", *ADDRESS_FIELDS, "opening_hours", "access_notes",
                  "created_at", "updated_at")
        read_only_fields = ("id", "created_at", "updated_at")
        extra_kwargs = ADDRESS_KWARGS
        validators: list[object] = []  # the (organisation, name) constraint is checked by full_clean()


@extend_schema_serializer(description="Contact d'une organisation : téléphones au format E.164, rôles, canal préféré.")
class ContactSerializer(serializers.ModelSerializer):
    organisation = ScopedPrimaryKeyRelatedField(queryset=Organisation.objects.all())
    site = ScopedPrimaryKeyRelatedField(queryset=Site.objects.all(), required=False, allow_null=True)
    roles = serializers.ListField(child=serializers.ChoiceField(choices=ContactRole.choices), required=False)

    class Meta:
        model = Contact
        fields = ("id", "organisation", "site", "first_name", "last_name", "email", "phone", "mobile", "roles",
                  "preferred_channel", "created_at", "updated_at")
        read_only_fields = ("id", "created_at", "updated_at")
        extra_kwargs = {"phone": PHONE_KWARGS, "mobile": PHONE_KWARGS}
