"""SLA API bodies. Kinds and states are plain strings (values listed in each field's help) so the
published enum components stay those named in ENUM_NAME_OVERRIDES."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from softwhere.sla.choices import ClockKind, ClockState
from softwhere.sla.models import CarrierEscalation, SlaClock


def _values(choices: Any) -> str:
    return ", ".join(f"{value} ({label})" for value, label in choices)


KIND_HELP = f"Type de compteur : {_values(ClockKind.choices)}."
STATE_HELP = f"État du compteur : {_values(ClockState.choices)}."


@extend_schema_serializer(description="Intervalle pendant lequel un compteur ne tourne pas.")
class PauseSerializer(serializers.Serializer[Any]):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField(allow_null=True, help_text="null : pause en cours.")
    reason = serializers.CharField(
        help_text="waiting_client (attente client) ou stopped (arrêté puis repris après réouverture)."
    )


@extend_schema_serializer(description="Accès internet couvert par la GTR.")
class AccessRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="Libellé de l'accès.")
    technology = serializers.CharField(help_text="sdsl ou fibre.")
    gtr_option = serializers.CharField(help_text="standard (heures ouvrées) ou extended (24 h/24, 7 j/7).")
    carrier_reference = serializers.CharField()


@extend_schema_serializer(description="Pénalité GTR : palier atteint et montant dû sur la redevance mensuelle.")
class PenaltySerializer(serializers.Serializer[Any]):
    percent = serializers.IntegerField(help_text="Palier de pénalité atteint : 0, 20, 40, 60 ou 100.")
    amount_eur = serializers.DecimalField(max_digits=9, decimal_places=2)
    monthly_fee_eur = serializers.DecimalField(max_digits=9, decimal_places=2)


@extend_schema_serializer(description="Un compteur SLA du ticket, calculé au moment de la requête.")
class LiveClockSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField(help_text=KIND_HELP)
    kind_label = serializers.CharField()
    access = AccessRefSerializer(allow_null=True, help_text="GTR uniquement : l'accès concerné.")
    calendar = serializers.CharField(help_text="Identifiant du calendrier (business-hours, business-hours-sat, 24x7…).")
    target_minutes = serializers.IntegerField()
    state = serializers.CharField(help_text=STATE_HELP)
    state_label = serializers.CharField()
    started_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True, help_text="Échéance ; null tant que le compteur est en pause.")
    breached_at = serializers.DateTimeField(allow_null=True)
    paused_since = serializers.DateTimeField(allow_null=True)
    stopped_at = serializers.DateTimeField(allow_null=True)
    consumed_minutes = serializers.FloatField(help_text="Temps consommé, mesuré dans le calendrier du compteur.")
    remaining_minutes = serializers.FloatField(help_text="Objectif moins temps consommé (négatif si dépassé).")
    pauses = PauseSerializer(many=True)
    penalty = PenaltySerializer(allow_null=True, help_text="GTR uniquement.")


@extend_schema_serializer(description="Attente d'un opérateur tiers et son délai de réponse.")
class CarrierEscalationSerializer(serializers.ModelSerializer[CarrierEscalation]):
    overdue = serializers.SerializerMethodField(help_text="Délai de réponse dépassé.")

    class Meta:
        model = CarrierEscalation
        fields = [
            "carrier",
            "carrier_ticket_reference",
            "response_hours",
            "started_at",
            "due_at",
            "ended_at",
            "alerted_at",
            "overdue",
        ]

    def get_overdue(self, obj: CarrierEscalation) -> bool:
        return obj.is_overdue(self.context.get("now"))


@extend_schema_serializer(description="Engagements de service d'un ticket : compteurs, pénalité GTR, délais opérateur.")
class TicketSlaSerializer(serializers.Serializer[Any]):
    reference = serializers.CharField()
    computed_at = serializers.DateTimeField()
    clocks = LiveClockSerializer(many=True)
    penalty_total_eur = serializers.DecimalField(max_digits=9, decimal_places=2)
    carrier_escalations = CarrierEscalationSerializer(many=True)
    auto_close_at = serializers.DateTimeField(
        allow_null=True, help_text="Clôture automatique programmée (fin d'observation), s'il y en a une."
    )


@extend_schema_serializer(description="Compteur SLA enregistré, tel que calculé lors de son dernier recalcul.")
class SlaClockSerializer(serializers.ModelSerializer[SlaClock]):
    ticket = serializers.CharField(source="ticket.reference")
    organisation = serializers.CharField(source="ticket.organisation.name")
    kind = serializers.CharField(help_text=KIND_HELP)
    state = serializers.CharField(help_text=STATE_HELP)

    class Meta:
        model = SlaClock
        fields = [
            "id",
            "ticket",
            "organisation",
            "kind",
            "access",
            "calendar",
            "target_minutes",
            "state",
            "started_at",
            "due_at",
            "breached_at",
            "paused_since",
            "stopped_at",
            "consumed_minutes",
            "computed_at",
            "penalty_percent",
            "penalty_amount",
        ]
