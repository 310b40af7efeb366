"""Tickets over the API.

Output serializers embed short forms of related objects; input serializers take
ids restricted to the user's scope and hand the cleaned values to one function of
``tickets.actions``. Lifecycle rules (who may do what, when) live in
``transitions.py`` and the actions, never here.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from softwhere.accounts.api.serializers import PeerUserRefSerializer
from softwhere.accounts.choices import STAFF_ROLES, Role
from softwhere.accounts.models import User
from softwhere.catalogue import leds
from softwhere.catalogue.api.serializers import CaseRefSerializer
from softwhere.catalogue.choices import LedDevice, LedState
from softwhere.catalogue.models import ResolutionCase
from softwhere.core.api.fields import PrimaryKeyField, ScopedPrimaryKeyRelatedField
from softwhere.core.api.serializers import CachedFieldsMixin
from softwhere.customers.api.serializers import ContactRefSerializer, OrganisationRefSerializer, SiteRefSerializer
from softwhere.customers.models import Contact, Organisation, Site
from softwhere.inventory.api.serializers import EquipmentRefSerializer, ServiceRefSerializer
from softwhere.inventory.models import Equipment, Service

from ..choices import Channel, LedPhase, Priority, ServiceState, Visibility
from ..models import ChecklistItem, LedReading, Ticket, TimelineEntry
from ..transitions import TRANSITIONS, Transition, available_transitions

TRANSITION_CHOICES = [(t.name, t.label) for t in TRANSITIONS.values()]

# Which request parameters each guard of transitions.TRANSITIONS asks for.
_GUARD_PARAMETERS = {
    "reason": "reason",
    "n1_done_or_reason": "reason",
    "resolution": "resolution",
    "carrier_reference": "carrier_ticket_reference",
}


@extend_schema_serializer(description="Transition que l'utilisateur peut demander.")
class AvailableTransitionSerializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=TRANSITION_CHOICES)
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    parameters = serializers.ListField(
        child=serializers.CharField(),
        help_text="Paramètres à fournir (reason : obligatoire, ou pour l'escalade si la checklist N1 "
        "n'est pas terminée ; resolution ; carrier_ticket_reference si le ticket n'en a pas).",
    )

    @staticmethod
    def describe(transition: Transition) -> dict[str, Any]:
        params = [_GUARD_PARAMETERS[r] for r in transition.requires if r in _GUARD_PARAMETERS]
        return {"name": transition.name, "label": transition.label, "parameters": list(dict.fromkeys(params))}


@extend_schema_serializer(description="Ticket (ligne de la grille).")
class TicketListSerializer(CachedFieldsMixin, serializers.ModelSerializer):
    organisation = OrganisationRefSerializer(read_only=True)
    site = SiteRefSerializer(read_only=True, allow_null=True)
    assignee = PeerUserRefSerializer(read_only=True, allow_null=True)
    case = CaseRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Ticket
        fields: tuple[str, ...] = (
            "reference", "subject", "organisation", "site", "status", "level", "priority", "service_state",
            "channel", "assignee", "case", "carrier_ticket_reference", "client_reference", "created_at",
            "updated_at",
        )
        read_only_fields: tuple[str, ...] = fields


#: Desk-only notes of the ticket header: sent to operator staff, never to client or partner users.
INTERNAL_FIELDS = ("complementary_data", "alerts")


@extend_schema_serializer(description="Ticket complet, avec les transitions possibles pour l'utilisateur.")
class TicketDetailSerializer(TicketListSerializer):
    # Declared (not read-only) only so the schema marks them optional: this serializer is never used for input.
    complementary_data = serializers.CharField(
        required=False, help_text="Données complémentaires (équipes du support seulement ; absent sinon)."
    )
    alerts = serializers.CharField(required=False, help_text="Alertes (équipes du support seulement ; absent sinon).")
    services = ServiceRefSerializer(many=True, read_only=True)
    equipment = EquipmentRefSerializer(many=True, read_only=True)
    reporter = ContactRefSerializer(read_only=True, allow_null=True)
    created_by = PeerUserRefSerializer(read_only=True, allow_null=True)
    n1_checklist_complete = serializers.BooleanField(read_only=True)
    available_transitions = serializers.SerializerMethodField(
        help_text="Transitions que l'utilisateur peut demander dans l'état actuel "
        "(les paramètres sont vérifiés à l'envoi)."
    )

    class Meta(TicketListSerializer.Meta):
        fields = (*TicketListSerializer.Meta.fields, "description", "services", "equipment", "reporter", "carrier",
                  "complementary_data", "alerts", "resolution", "created_by", "resolved_at", "closed_at",
                  "observation_until", "n1_checklist_complete", "available_transitions")
        read_only_fields = fields

    @extend_schema_field(AvailableTransitionSerializer(many=True))
    def get_available_transitions(self, ticket: Ticket) -> list[dict[str, Any]]:
        user = self.context["request"].user
        return [AvailableTransitionSerializer.describe(t) for t in available_transitions(ticket, user)]

    def to_representation(self, instance: Ticket) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        if not self.context["request"].user.is_desk_staff:
            for name in INTERNAL_FIELDS:
                data.pop(name, None)
        return data


@extend_schema_serializer(description="Ouverture d'un ticket. Client : l'organisation est la sienne ; partenaire : un de ses clients.")
class TicketCreateSerializer(serializers.Serializer):
    """Open a ticket. Client users: the organisation is theirs whatever is sent; partners: one of their clients."""

    organisation = ScopedPrimaryKeyRelatedField(
        queryset=Organisation.objects.all(),
        required=False,
        help_text="Obligatoire pour les équipes du support et les partenaires ; imposé pour un client.",
    )
    site = ScopedPrimaryKeyRelatedField(queryset=Site.objects.all(), required=False, allow_null=True)
    services = ScopedPrimaryKeyRelatedField(queryset=Service.objects.all(), many=True, required=False)
    equipment = ScopedPrimaryKeyRelatedField(queryset=Equipment.objects.all(), many=True, required=False)
    reporter = ScopedPrimaryKeyRelatedField(queryset=Contact.objects.all(), required=False, allow_null=True)
    case = PrimaryKeyField(
        queryset=ResolutionCase.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="Identifiant du cas de résolution (agents seulement).",
    )
    subject = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    service_state = serializers.ChoiceField(choices=ServiceState.choices)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False, default=Priority.P3)
    channel = serializers.ChoiceField(
        choices=Channel.choices, required=False, help_text="Par défaut téléphone (support) ou web (portail)."
    )
    complementary_data = serializers.CharField(required=False, allow_blank=True, default="")
    alerts = serializers.CharField(required=False, allow_blank=True, default="")
    carrier_ticket_reference = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    client_reference = serializers.CharField(
        max_length=60,
        required=False,
        allow_blank=True,
        default="",
        help_text="Référence du client pour cet incident (son numéro de ticket ou de commande) : « Votre référence ».",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        user = self.context["request"].user
        if not user.is_desk_staff and user.role == Role.CLIENT:
            attrs["organisation"] = user.organisation
        elif "organisation" not in attrs:
            raise serializers.ValidationError({"organisation": ["Ce champ est obligatoire."]})
        elif not user.is_desk_staff and attrs["organisation"].partner_id != user.organisation_id:
            raise serializers.ValidationError(
                {"organisation": ["Un partenaire ouvre des tickets pour ses clients uniquement."]}
            )
        if not user.is_agent and attrs.get("case") is not None:
            raise serializers.ValidationError({"case": ["Seul un agent peut qualifier un ticket."]})
        if not user.is_desk_staff:
            attrs["channel"] = Channel.WEB  # clients and partners write through the portal or the API
        attrs.setdefault("channel", Channel.PHONE)
        return attrs


@extend_schema_serializer(description="Champs d'en-tête modifiables par un agent.")
class TicketUpdateSerializer(serializers.Serializer):
    """Header fields an agent may correct (tickets.actions.UPDATABLE_FIELDS)."""

    subject = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    service_state = serializers.ChoiceField(choices=ServiceState.choices, required=False)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    site = ScopedPrimaryKeyRelatedField(queryset=Site.objects.all(), required=False, allow_null=True)
    reporter = ScopedPrimaryKeyRelatedField(queryset=Contact.objects.all(), required=False, allow_null=True)
    carrier = serializers.CharField(max_length=60, required=False, allow_blank=True)
    carrier_ticket_reference = serializers.CharField(max_length=60, required=False, allow_blank=True)
    client_reference = serializers.CharField(max_length=60, required=False, allow_blank=True)
    complementary_data = serializers.CharField(required=False, allow_blank=True)
    alerts = serializers.CharField(required=False, allow_blank=True)


@extend_schema_serializer(description="Demande de transition et ses paramètres.")
class TransitionRequestSerializer(serializers.Serializer):
    transition = serializers.ChoiceField(choices=TRANSITION_CHOICES)
    reason = serializers.CharField(required=False, allow_blank=True, help_text="Motif (attente client, annulation…).")
    resolution = serializers.CharField(required=False, allow_blank=True, help_text="Résolution apportée (rétablir).")
    carrier = serializers.CharField(max_length=60, required=False, allow_blank=True)
    carrier_ticket_reference = serializers.CharField(max_length=60, required=False, allow_blank=True)
    observation_until = serializers.DateTimeField(
        required=False, allow_null=True, help_text="Fin d'observation (mise en observation), dans le futur."
    )


@extend_schema_serializer(description="Qualification : cas de résolution choisi.")
class QualifyRequestSerializer(serializers.Serializer):
    case = serializers.PrimaryKeyRelatedField(
        queryset=ResolutionCase.objects.all(), help_text="Identifiant du cas, par ex. incident_internet_perte_wan."
    )


@extend_schema_serializer(description="Affectation à un agent (null pour désaffecter).")
class AssignRequestSerializer(serializers.Serializer):
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True, role__in=STAFF_ROLES),
        allow_null=True,
        help_text="Identifiant de l'agent, ou null pour désaffecter.",
    )


@extend_schema_serializer(description="Entrée de l'historique du ticket (jamais modifiée ni supprimée).")
class TimelineEntrySerializer(serializers.ModelSerializer):
    author = PeerUserRefSerializer(read_only=True, allow_null=True)
    data = serializers.DictField(  # type: ignore[assignment]  # the entry's "data" column, not Serializer.data
        read_only=True, help_text="Détails structurés selon le type d'entrée."
    )

    class Meta:
        model = TimelineEntry
        fields = ("id", "kind", "visibility", "author", "created_at", "body", "data")
        read_only_fields = fields


@extend_schema_serializer(description="Nouveau commentaire.")
class CommentRequestSerializer(serializers.Serializer):
    body = serializers.CharField()
    visibility = serializers.ChoiceField(
        choices=Visibility.choices,
        default=Visibility.INTERNAL,
        help_text="Ignoré pour les clients et partenaires : leurs commentaires sont toujours publics.",
    )


@extend_schema_serializer(description="Point de checklist N1 ou action N2 issu du cas de résolution.")
class ChecklistItemSerializer(serializers.ModelSerializer):
    done_by = PeerUserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ChecklistItem
        fields = ("id", "level", "position", "text", "case", "done", "note", "done_at", "done_by")
        read_only_fields = fields


@extend_schema_serializer(description="Cocher ou décocher un point, avec une note.")
class ChecklistUpdateSerializer(serializers.Serializer):
    done = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_serializer(description="Relevé des voyants et son libellé de compte rendu.")
class LedReadingSerializer(serializers.ModelSerializer):
    device = serializers.ChoiceField(choices=LedDevice.choices, read_only=True)
    states = serializers.DictField(child=serializers.ChoiceField(choices=LedState.choices), read_only=True)

    class Meta:
        model = LedReading
        fields = ("id", "device", "phase", "states", "label", "equipment", "recorded_at", "recorded_by")
        read_only_fields = fields

    recorded_by = PeerUserRefSerializer(read_only=True, allow_null=True)


@extend_schema_serializer(description="Nouveau relevé : un état par voyant du mémo de l'équipement.")
class LedReadingRequestSerializer(serializers.Serializer):
    device = serializers.ChoiceField(choices=LedDevice.choices)
    phase = serializers.ChoiceField(choices=LedPhase.choices)
    states = serializers.DictField(
        child=serializers.ChoiceField(choices=LedState.choices),
        help_text="Un état par voyant du mémo, par ex. {\"power\": \"vert_fixe\", \"pon\": \"rouge_fixe\", …} "
        "(voir /catalogue/leds/).",
    )
    equipment = ScopedPrimaryKeyRelatedField(queryset=Equipment.objects.all(), required=False, allow_null=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors = leds.validate_reading(attrs["device"], attrs["states"])
        if errors:
            raise serializers.ValidationError({"states": {code: [message] for code, message in errors.items()}})
        return attrs
