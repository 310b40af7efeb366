"""Desk API serializers (read-only journal and signalisations, escalation request)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from ..models import InteropMessage, Signalisation


@extend_schema_serializer(description="Un message échangé avec un autre opérateur (journal interop), contenu brut conservé.")
class InteropMessageSerializer(serializers.ModelSerializer[InteropMessage]):
    """Un message échangé avec un autre opérateur (journal interop), contenu brut conservé."""

    direction = serializers.CharField(read_only=True)
    protocol = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    peer: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    ticket: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    parsed = serializers.DictField(read_only=True, help_text="Contenu interprété (selon le protocole).")

    class Meta:
        model = InteropMessage
        fields = [
            "id", "direction", "protocol", "kind", "status", "reason", "peer", "signalisation", "ticket",
            "filename", "subject", "raw", "parsed", "response", "created_at", "sent_at",
        ]
        read_only_fields = fields


@extend_schema_serializer(description="Une signalisation SAV FTTH, déposée auprès d'un OI (rôle OC) ou reçue d'un OC (rôle OI).")
class SignalisationSerializer(serializers.ModelSerializer[Signalisation]):
    """Une signalisation SAV FTTH, déposée auprès d'un OI (rôle OC) ou reçue d'un OC (rôle OI)."""

    role = serializers.CharField(read_only=True)
    protocol = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    resolution_state = serializers.CharField(read_only=True)
    peer: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    ticket: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    appointment = serializers.DictField(child=serializers.CharField(), read_only=True, allow_null=True,
                                        help_text="RDV retenu : start, end (ISO 8601).")
    proposals = serializers.ListField(child=serializers.DictField(child=serializers.CharField()), read_only=True,
                                      help_text="Créneaux proposés : start, end (ISO 8601).")

    class Meta:
        model = Signalisation
        fields = [
            "id", "peer", "role", "protocol", "status", "resolution_state", "ticket", "oc_reference", "oi_reference",
            "reference_prestation", "reference_prise", "incident_date", "nature", "preloc", "appointment",
            "proposals", "closure_code", "responsibility", "defect_location", "rejection_reason", "created_at",
            "closed_at",
        ]
        read_only_fields = fields


@extend_schema_serializer(description="Signaler à l'OI le défaut fibre d'un ticket (nature, pré-localisation, commentaire).")
class OiEscalationSerializer(serializers.Serializer[dict[str, str]]):
    """Signaler à l'OI le défaut fibre d'un ticket (nature, pré-localisation, commentaire)."""

    ticket = serializers.CharField(help_text="Référence du ticket desk.")
    nature = serializers.CharField(required=False, allow_blank=True, help_text="COUPURE ou AFFAIBLISSEMENT.")
    preloc = serializers.CharField(required=False, default="PTO", help_text="PTO, RACCO PALIER, PBO, COL MONTANTE…")
    comment = serializers.CharField(required=False, allow_blank=True, default="")
