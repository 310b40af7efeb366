"""Desk API serializers (read-only journal and signalisations, escalation request)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from ..choices import ResolutionState, SignalisationStatus
from ..models import InteropMessage, Signalisation


@extend_schema_serializer(
    description="Un message échangé avec un autre opérateur (journal interop), contenu brut conservé."
)
class InteropMessageSerializer(serializers.ModelSerializer[InteropMessage]):
    """Un message échangé avec un autre opérateur (journal interop), contenu brut conservé."""

    direction = serializers.CharField(read_only=True)
    protocol = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    peer: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    ticket: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="reference", read_only=True, allow_null=True
    )
    parsed = serializers.DictField(read_only=True, help_text="Contenu interprété (selon le protocole).")

    class Meta:
        model = InteropMessage
        fields = [
            "id",
            "direction",
            "protocol",
            "kind",
            "status",
            "reason",
            "peer",
            "signalisation",
            "ticket",
            "filename",
            "subject",
            "raw",
            "parsed",
            "response",
            "created_at",
            "sent_at",
        ]
        read_only_fields = fields


@extend_schema_serializer(
    description="Une signalisation SAV FTTH, déposée auprès d'un OI (rôle OC) ou reçue d'un OC (rôle OI)."
)
class SignalisationSerializer(serializers.ModelSerializer[Signalisation]):
    """Une signalisation SAV FTTH, déposée auprès d'un OI (rôle OC) ou reçue d'un OC (rôle OI)."""

    role = serializers.CharField(read_only=True)
    protocol = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    resolution_state = serializers.CharField(read_only=True)
    peer: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    ticket: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="reference", read_only=True, allow_null=True
    )
    appointment = serializers.DictField(
        child=serializers.CharField(), read_only=True, allow_null=True, help_text="RDV retenu : start, end (ISO 8601)."
    )
    proposals = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField()),
        read_only=True,
        help_text="Créneaux proposés : start, end (ISO 8601).",
    )

    class Meta:
        model = Signalisation
        fields = [
            "id",
            "peer",
            "role",
            "protocol",
            "status",
            "resolution_state",
            "ticket",
            "oc_reference",
            "oi_reference",
            "reference_prestation",
            "reference_prise",
            "incident_date",
            "nature",
            "preloc",
            "appointment",
            "proposals",
            "closure_code",
            "responsibility",
            "defect_location",
            "rejection_reason",
            "created_at",
            "closed_at",
        ]
        read_only_fields = fields


@extend_schema_serializer(
    description="Signaler à l'OI le défaut fibre d'un ticket (nature, pré-localisation, commentaire)."
)
class OiEscalationSerializer(serializers.Serializer[dict[str, str]]):
    """Signaler à l'OI le défaut fibre d'un ticket (nature, pré-localisation, commentaire)."""

    ticket = serializers.CharField(help_text="Référence du ticket desk.")
    nature = serializers.CharField(required=False, allow_blank=True, help_text="COUPURE ou AFFAIBLISSEMENT.")
    preloc = serializers.CharField(required=False, default="PTO", help_text="PTO, RACCO PALIER, PBO, COL MONTANTE…")
    comment = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_serializer(description="Un créneau de rendez-vous (début et fin, ISO 8601 avec fuseau).")
class SlotSerializer(serializers.Serializer[Any]):
    """Un créneau de rendez-vous (début et fin, ISO 8601 avec fuseau)."""

    start = serializers.DateTimeField()
    end = serializers.DateTimeField()

    def validate(self, attrs: dict[str, Any]) -> Any:
        from ..services.formats import Slot

        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError({"end": ["La fin du créneau doit suivre son début."]})
        return Slot(attrs["start"], attrs["end"])


@extend_schema_serializer(
    description="Un message de suivi à l'autre opérateur : texte, créneaux, RDV retenu (OI), état de résolution (OI)."
)
class InformationSerializer(serializers.Serializer[Any]):
    """Un message de suivi à l'autre opérateur : texte, créneaux, RDV retenu (OI), état de résolution (OI)."""

    info_type = serializers.CharField(
        default="INFORMATION", help_text="INFORMATION, DEMANDE_INFO, DEMANDE_RDV, REPONSE_RDV, PROPOSITION_RDV…"
    )
    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    proposals = SlotSerializer(many=True, required=False, help_text="Trois créneaux au plus.")
    appointment = SlotSerializer(required=False, allow_null=True, default=None, help_text="OI : RDV retenu.")
    appointment_id = serializers.CharField(required=False, allow_blank=True, default="", max_length=50)
    resolution_state = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="OI : ACTION_A_DEFINIR, ACTION_PREVUE, ACTION_PLANIFIEE…",
    )
    status = serializers.CharField(
        required=False,
        allow_null=True,
        default=None,
        help_text="OI : passage en attente / suspendu / en cours.",
    )

    def validate_info_type(self, value: str) -> str:
        from ..services.codes import parse_info_type

        parsed = parse_info_type(value)
        if parsed is None:
            raise serializers.ValidationError("Type de message hors liste.")
        return parsed

    def validate_resolution_state(self, value: str) -> str:
        if value and value not in ResolutionState.values:
            raise serializers.ValidationError("État de résolution hors liste.")
        return value

    def validate_status(self, value: str | None) -> str | None:
        allowed = (SignalisationStatus.PENDING, SignalisationStatus.HELD, SignalisationStatus.IN_PROGRESS)
        if value and value not in allowed:
            raise serializers.ValidationError("pending, held ou in_progress.")
        return value or None

    def validate_proposals(self, value: list[Any]) -> list[Any]:
        if len(value) > 3:
            raise serializers.ValidationError("Trois créneaux au plus.")
        return value


@extend_schema_serializer(description="Un motif (annulation, refus de résolution).")
class ReasonSerializer(serializers.Serializer[Any]):
    """Un motif (annulation, refus de résolution)."""

    reason = serializers.CharField(max_length=255)


@extend_schema_serializer(description="Relance de l'OI (texte facultatif).")
class RelaunchSerializer(serializers.Serializer[Any]):
    """Relance de l'OI (texte facultatif)."""

    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


@extend_schema_serializer(
    description="Réponse au RDV proposé par l'OI : accepté (un créneau) ou refusé avec de nouveaux créneaux."
)
class AppointmentAnswerSerializer(serializers.Serializer[Any]):
    """Réponse au RDV proposé par l'OI : accepté (un créneau) ou refusé avec de nouveaux créneaux."""

    accept = serializers.BooleanField()
    slot = SlotSerializer(required=False, allow_null=True, default=None)
    proposals = SlotSerializer(many=True, required=False)
    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


@extend_schema_serializer(description="Prise en charge par l'OI, avec l'état de résolution.")
class TakeChargeSerializer(serializers.Serializer[Any]):
    """Prise en charge par l'OI, avec l'état de résolution."""

    def validate_resolution_state(self, value: str) -> str:
        if value not in ResolutionState.values:
            raise serializers.ValidationError("État de résolution hors liste.")
        return value

    resolution_state = serializers.CharField(
        default=ResolutionState.TO_DEFINE, help_text="ACTION_A_DEFINIR, ACTION_PREVUE, ACTION_PLANIFIEE…"
    )


@extend_schema_serializer(
    description="Clôture par l'OI : code RET/ABS/STT/ERR (+ sous-code), responsabilité, localisation (RET seulement)."
)
class ClosureSerializer(serializers.Serializer[Any]):
    """Clôture par l'OI : code RET/ABS/STT/ERR (+ sous-code), responsabilité, localisation (RET seulement)."""

    code = serializers.CharField(max_length=10, help_text="RET01, ABS01, STT01, ERR01…")
    responsibility = serializers.CharField(max_length=10, help_text="OI, OC ou TIERS.")
    location = serializers.CharField(required=False, allow_blank=True, default="", help_text="Obligatoire avec RET.")
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


@extend_schema_serializer(description="Action refusée par l'état de la signalisation ou par le protocole.")
class InteropErrorSerializer(serializers.Serializer[Any]):
    """Action refusée par l'état de la signalisation ou par le protocole."""

    code = serializers.CharField(help_text="Code de motif (ETAT_INCOMPATIBLE, CODE_CLOTURE…).")
    detail = serializers.CharField()
