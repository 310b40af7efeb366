"""Serializers of the telephony API: thin views of the models; writes go through actions.py."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from ..choices import LineKind
from ..models import Calendar, CallGroup, Line


@extend_schema_serializer(
    description="Ligne de téléphonie ; « services » et « hardware » sont les blocs du document JSON (fusion partielle en modification)."
)
class LineSerializer(serializers.ModelSerializer[Line]):
    """A telephony line; ``services`` and ``hardware`` are the JSON document's blocks (partial updates are merged)."""

    site = serializers.CharField(source="site.name", read_only=True)
    plan = serializers.CharField(source="get_kind_display", read_only=True)
    line_kind = serializers.CharField(source="kind", read_only=True)
    services = serializers.JSONField(required=False, help_text="Bloc « services » du document JSON (fusion partielle).")
    hardware = serializers.JSONField(required=False)
    collaboration = serializers.CharField(read_only=True, help_text="aucune, collaboration ou collaboration_premium.")

    class Meta:
        model = Line
        fields = (
            "id",
            "number",
            "line_kind",
            "plan",
            "site",
            "first_name",
            "last_name",
            "email",
            "name",
            "short_number",
            "associated_mobile",
            "collaboration",
            "hardware",
            "services",
        )
        read_only_fields = ("id", "number", "collaboration")


@extend_schema_serializer(
    description=(
        "Nouvelle ligne : le forfait consommé, l'unicité du numéro et de l'e-mail et les règles des services "
        "sont ceux de la page « Ajouter une ligne ». Une ligne mobile va sur le pseudo-site des lignes mobiles."
    )
)
class LineCreateSerializer(serializers.Serializer[Any]):
    """Input of « Ajouter une ligne »; every rule (plans left, identity, services) is ``actions.create_line``'s."""

    organisation = serializers.IntegerField(help_text="Entreprise.")
    site = serializers.IntegerField(
        required=False, allow_null=True, help_text="Site de téléphonie ; obligatoire sauf pour une ligne mobile."
    )
    kind = serializers.ChoiceField(choices=LineKind.choices, help_text="Forfait de la ligne.")
    number = serializers.CharField(help_text="Numéro, sous toute forme usuelle (01 87 04 40 01, +33 1 87…).")
    first_name = serializers.CharField(required=False, allow_blank=True)
    last_name = serializers.CharField(required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    name = serializers.CharField(required=False, allow_blank=True, help_text="Nom d'une ligne sans utilisateur.")
    short_number = serializers.CharField(required=False, allow_blank=True)
    associated_mobile = serializers.CharField(required=False, allow_blank=True)
    hardware = serializers.JSONField(required=False, help_text="Bloc « hardware » du document JSON.")
    services = serializers.JSONField(
        required=False, help_text="Bloc « services » du document JSON, fusionné avec les valeurs par défaut."
    )


@extend_schema_serializer(
    description="Membre d'un groupement d'appels, dans l'ordre de distribution, avec son statut présent/sorti."
)
class CallGroupMemberSerializer(serializers.Serializer[Any]):
    """A member of a call group, in distribution order, with its présent/sorti status."""

    number = serializers.CharField(source="line.number")
    name = serializers.CharField(source="line.display_name")
    present = serializers.BooleanField()


@extend_schema_serializer(description="Groupement d'appels : distribution, critères d'attente, débordement et membres.")
class CallGroupSerializer(serializers.ModelSerializer[CallGroup]):
    """A call group (groupement d'appels): distribution, waiting criteria, overflow and members."""

    site = serializers.CharField(source="site.name", read_only=True)
    members = CallGroupMemberSerializer(many=True, read_only=True)
    distribution = serializers.CharField(required=False, help_text="lineaire, poste_libre, cyclique ou parallele.")

    class Meta:
        model = CallGroup
        fields = (
            "id",
            "name",
            "number",
            "site",
            "distribution",
            "max_rings",
            "inter_call_delay_enabled",
            "inter_call_delay_seconds",
            "max_waiting_calls",
            "max_wait_seconds",
            "overflow_mode",
            "overflow_number",
            "members",
        )
        read_only_fields = ("id", "number", "members")


@extend_schema_serializer(
    description="Calendrier : types d'horaire (jours, heures, pause déjeuner), périodes et jours de fermeture."
)
class CalendarSerializer(serializers.ModelSerializer[Calendar]):
    """A calendar: schedule types (days, hours, optional lunch break), closure periods and days."""

    schedules = serializers.JSONField()
    closure_periods = serializers.JSONField(required=False)
    closure_days = serializers.JSONField(required=False)

    class Meta:
        model = Calendar
        fields = ("id", "name", "schedules", "closure_periods", "closure_days")
        read_only_fields = ("id",)


@extend_schema_serializer(description="Appel à simuler sur la configuration enregistrée de l'entreprise.")
class SimulateRequestSerializer(serializers.Serializer[Any]):
    """A call to simulate on the company's stored configuration."""

    to = serializers.CharField(help_text="Numéro appelé.")
    at = serializers.DateTimeField(help_text="Date et heure de l'appel (heure de Paris si sans fuseau).")
    caller = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, help_text="Numéro appelant ; absent : numéro masqué."
    )
    state = serializers.JSONField(required=False, help_text="État des lignes (voir $defs/state du schéma).")


@extend_schema_serializer(description="Une étape du parcours de l'appel.")
class StepSerializer(serializers.Serializer[Any]):
    """One step of the call's route."""

    kind = serializers.CharField(help_text="Type d'étape, lisible par une machine.")
    text = serializers.CharField(help_text="Explication en français.")
    at = serializers.IntegerField(help_text="Secondes depuis l'arrivée de l'appel.")
    number = serializers.CharField(required=False)
    numbers = serializers.ListField(child=serializers.CharField(), required=False)


@extend_schema_serializer(description="Issue de l'appel (une seule par appel).")
class OutcomeSerializer(serializers.Serializer[Any]):
    """How the call ends (exactly one outcome per call)."""

    kind = serializers.CharField()
    text = serializers.CharField()
    at = serializers.IntegerField()
    number = serializers.CharField(required=False)


@extend_schema_serializer(description="Trace de « où va cet appel ? » et son issue.")
class SimulationSerializer(serializers.Serializer[Any]):
    """The trace of « où va cet appel ? » and its outcome."""

    steps = StepSerializer(many=True)
    outcome = OutcomeSerializer()
