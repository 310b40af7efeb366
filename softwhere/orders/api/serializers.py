"""Orders, portability and desk calculators over the API.

Serializers check types and scope only; business rules (IBAN/BIC, SIRET, numbers, operator
table, fees) live in ``services/`` and the models' ``clean()``, run by the actions.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from softwhere.core.api.fields import ScopedPrimaryKeyRelatedField
from softwhere.customers.models import Organisation, Site

from ..choices import (
    DESATURATION_CHOICES,
    DIRECTION_CHOICES,
    HINT_LEVEL_CHOICES,
    LINK_TECHNOLOGY_CHOICES,
    ORDER_ERROR_CODES,
    STEP_MOVE_CHOICES,
    FeeKind,
    ItemKind,
)
from ..models import CommissionInvoice, CommissionStatement, Order, OrderItem, OrderStep, PortabilityRequest
from ..services.flow import StepCode

FILE_FIELDS = (
    "quote_signed_on",
    "contracts_signed_on",
    "direct_debit_signed_on",
    "iban",
    "bic",
    "pages_jaunes_form_on",
    "billing_address",
    "client_phone",
    "numbers_postal_code",
    "installation_siret",
    "notes",
)


@extend_schema_serializer(
    description="Opération refusée par le déroulement de la commande (dossier incomplet, étape hors ordre…) ; rien n'a été modifié."
)
class OrderErrorSerializer(serializers.Serializer):
    """An order move refused by the flow (incomplete file, step out of order…); nothing was changed."""

    code = serializers.ChoiceField(choices=ORDER_ERROR_CODES)
    detail = serializers.CharField(help_text="Message en français destiné à l'utilisateur.")
    missing = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Pièces ou informations manquantes au dossier."
    )
    field = serializers.CharField(required=False)


@extend_schema_serializer(description="Un élément commandé (Data ou Voix) et ses paramètres.")
class OrderItemSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=ItemKind.choices)
    quantity = serializers.IntegerField(min_value=1, required=False, default=1)
    parameters = serializers.DictField(
        required=False,
        default=dict,
        help_text="Selon le type : carrier, pairs, commitment_months, "
        "eligibility_number, lan_data/lan_voice, simultaneous_calls, "
        "seats, email…",
    )

    class Meta:
        model = OrderItem
        fields = ("id", "kind", "quantity", "parameters")
        read_only_fields = ("id",)


@extend_schema_serializer(description="Une des 11 étapes de la commande : état, dates, intervenant.")
class OrderStepSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]
    owner = serializers.StringRelatedField(allow_null=True)  # type: ignore[var-annotated]

    class Meta:
        model = OrderStep
        fields = (
            "number",
            "code",
            "label",
            "state",
            "owner",
            "owner_label",
            "started_at",
            "done_at",
            "due_at",
            "data",
            "note",
        )
        read_only_fields = fields


@extend_schema_serializer(
    description="Mandat de portabilité (NDI et SDA de la facture de l'opérateur cédant) et son devis."
)
class PortabilityRequestSerializer(serializers.ModelSerializer):
    quote = serializers.DictField(read_only=True)

    class Meta:
        model = PortabilityRequest
        fields = (
            "id",
            "order",
            "operator",
            "numbers",
            "analog_lines",
            "invoice_numbers",
            "mandate_signed_on",
            "mandate_stamped",
            "carrier_invoice_date",
            "status",
            "quote",
            "total_eur",
            "validated_on",
            "planned_date",
            "ported_on",
            "ported_at",
            "postponements",
            "cancelled_at",
        )
        read_only_fields = fields


@extend_schema_serializer(description="Pièce ou information manquante au dossier.")
class MissingSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]


@extend_schema_serializer(
    description="Jalon prévu d'après le tableau des délais : date prévue et date au-delà de laquelle la commande est en retard."
)
class MilestoneSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    expected = serializers.DateField()
    deadline = serializers.DateField()
    lead_time = serializers.CharField()


@extend_schema_serializer(description="Une commande : dossier, éléments, étapes, portabilité, dates prévues et retard.")
class OrderSerializer(serializers.ModelSerializer):
    items = OrderItemSerializer(many=True, read_only=True)
    steps = OrderStepSerializer(many=True, read_only=True)
    portability_requests = PortabilityRequestSerializer(many=True, read_only=True)
    missing = serializers.SerializerMethodField(help_text="Ce qui manque au dossier (vide : dossier complet).")
    milestones = serializers.SerializerMethodField()
    is_late = serializers.SerializerMethodField()
    ack_is_late = serializers.SerializerMethodField()
    billing_starts_on = serializers.SerializerMethodField()

    class Meta:
        model = Order
        fields = (
            "id",
            "reference",
            "organisation",
            "partner",
            "site",
            "status",
            "received_at",
            "ack_due_at",
            "acknowledged_at",
            "ack_is_late",
            "processing_started_at",
            *FILE_FIELDS,
            "link_delivered_on",
            "delivery_note_sent_on",
            "contest_deadline",
            "link_contested_at",
            "voice_go_ahead_on",
            "expected_delivery_on",
            "delivery_deadline_on",
            "delivered_on",
            "is_late",
            "billing_starts_on",
            "missing",
            "milestones",
            "items",
            "steps",
            "portability_requests",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields

    def _today(self) -> date:
        return timezone.localdate()

    @extend_schema_field(MissingSerializer(many=True))
    def get_missing(self, obj: Order) -> list[dict[str, str]]:
        return MissingSerializer([m.__dict__ for m in obj.missing_items(self._today())], many=True).data  # type: ignore[return-value]

    @extend_schema_field(MilestoneSerializer(many=True))
    def get_milestones(self, obj: Order) -> list[dict[str, Any]]:
        return MilestoneSerializer([m.__dict__ for m in obj.milestones()], many=True).data  # type: ignore[return-value]

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_is_late(self, obj: Order) -> bool:
        return obj.is_late(self._today())

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_ack_is_late(self, obj: Order) -> bool:
        return obj.ack_is_late(timezone.now())

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_billing_starts_on(self, obj: Order) -> date | None:
        return obj.billing_starts_on(self._today())


@extend_schema_serializer(description="Pièces et informations du dossier.")
class FileFieldsMixin(serializers.Serializer):
    """File fields typed as users write them; the model's ``clean()`` normalises and validates them."""

    iban = serializers.CharField(
        max_length=50, required=False, allow_blank=True, help_text="IBAN (espaces acceptés), contrôlé."
    )
    bic = serializers.CharField(
        max_length=20, required=False, allow_blank=True, help_text="BIC de 8 ou 11 caractères, contrôlé."
    )
    installation_siret = serializers.CharField(
        max_length=20, required=False, allow_blank=True, help_text="14 chiffres, espaces acceptés."
    )
    client_phone = serializers.CharField(
        max_length=30, required=False, allow_blank=True, help_text="Toute écriture française ; stocké au format E.164."
    )
    numbers_postal_code = serializers.CharField(max_length=10, required=False, allow_blank=True)


@extend_schema_serializer(
    description="Commande reçue par l'ADV : client, site d'installation, éléments et pièces du dossier."
)
class OrderCreateSerializer(FileFieldsMixin, serializers.ModelSerializer):
    organisation = ScopedPrimaryKeyRelatedField(queryset=Organisation.objects.all())
    site = ScopedPrimaryKeyRelatedField(queryset=Site.objects.all(), required=False, allow_null=True)
    received_at = serializers.DateTimeField(required=False, help_text="Par défaut : maintenant.")
    items = OrderItemSerializer(many=True, help_text="Éléments Data et Voix commandés.")

    class Meta:
        model = Order
        fields = ("organisation", "site", "received_at", "items", *FILE_FIELDS)


@extend_schema_serializer(
    description="Compléments au dossier (pièces signées, RIB, informations d'ouverture de compte)."
)
class OrderUpdateSerializer(FileFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = Order
        fields = FILE_FIELDS


@extend_schema_serializer(
    description="Faire avancer une étape : démarrer, terminer ou passer, avec les données propres à l'étape."
)
class StepMoveSerializer(serializers.Serializer):
    move = serializers.ChoiceField(choices=STEP_MOVE_CHOICES, help_text="start, complete ou skip.")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    at = serializers.DateTimeField(required=False, help_text="Date de l'événement ; par défaut maintenant.")
    data = serializers.DictField(  # type: ignore[assignment]
        required=False,
        default=dict,
        help_text="Selon l'étape : findings/approved (4), orange_at/sfr_at (5), delivered_on/"
        "delivery_note_sent_on (6), go_ahead_on (7), validated_on (9), planned_date puis ported_at (10).",
    )


STEP_CODES = [c.value for c in StepCode]


@extend_schema_serializer(description="Contestation du lien livré par le client.")
class ContestSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    at = serializers.DateTimeField(required=False)


@extend_schema_serializer(description="Mandat de portabilité : opérateur cédant, numéros, pièces.")
class PortabilityCreateSerializer(serializers.Serializer):
    operator = serializers.CharField(help_text="Opérateur cédant, tel qu'au tableau des conventions.")
    numbers = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        default=list,
        help_text="NDI et SDA ; « 0176710500-0176710509 » pour une plage.",
    )
    analog_lines = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    invoice_numbers = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        allow_null=True,
        help_text="Tous les numéros rattachés au NDI sur la facture de "
        "l'opérateur cédant (portabilité partielle refusée).",
    )
    mandate_signed_on = serializers.DateField(required=False, allow_null=True)
    mandate_stamped = serializers.BooleanField(required=False, default=False)
    carrier_invoice_date = serializers.DateField(required=False, allow_null=True)


@extend_schema_serializer(description="Report de la portabilité à une nouvelle date.")
class PostponeSerializer(serializers.Serializer):
    new_date = serializers.DateField(help_text="Date de report souhaitée (obligatoire).")
    at = serializers.DateTimeField(required=False)


@extend_schema_serializer(description="Annulation de la portabilité.")
class CancelSerializer(serializers.Serializer):
    at = serializers.DateTimeField(required=False)


@extend_schema_serializer(description="Demande de devis de portabilité.")
class PortabilityQuoteSerializer(serializers.Serializer):
    operator = serializers.CharField(allow_blank=True)
    numbers = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    analog_lines = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    postpone = serializers.BooleanField(required=False, default=False)
    cancel = serializers.BooleanField(required=False, default=False)
    invoice_numbers = serializers.ListField(child=serializers.CharField(), required=False, allow_null=True)
    confirmed_date = serializers.DateField(required=False, allow_null=True)
    requested_at = serializers.DateTimeField(required=False, allow_null=True)


@extend_schema_serializer(description="Une ligne de devis en € HT.")
class QuoteLineSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    amount_eur = serializers.FloatField()
    source = serializers.CharField(required=False)  # type: ignore[assignment]
    numbers = serializers.ListField(child=serializers.CharField(), required=False)
    unit_eur = serializers.FloatField(required=False)
    category = serializers.CharField(required=False)
    months = serializers.IntegerField(required=False)
    hours = serializers.FloatField(required=False)


@extend_schema_serializer(description="Devis : total et lignes en € HT.")
class PortabilityQuoteResultSerializer(serializers.Serializer):
    total_eur = serializers.FloatField()
    lines = QuoteLineSerializer(many=True)


@extend_schema_serializer(description="Un opérateur du tableau des conventions de portabilité et ses prix en € HT.")
class OperatorSerializer(serializers.Serializer):
    name = serializers.CharField()
    geographic_eur = serializers.FloatField()
    special_08_eur = serializers.FloatField()
    special_09_eur = serializers.FloatField(allow_null=True, help_text="null : portabilité des 09 impossible.")


@extend_schema_serializer(
    description="Demande de calcul de frais du handbook ; les paramètres utiles dépendent du type de frais."
)
class FeeQuoteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FeeKind.choices)
    technology = serializers.ChoiceField(choices=LINK_TECHNOLOGY_CHOICES, required=False)
    commitment_months = serializers.IntegerField(required=False, allow_null=True)
    months_elapsed = serializers.IntegerField(required=False, default=0)
    months_active = serializers.IntegerField(required=False, default=0)
    recommit_months = serializers.IntegerField(required=False, allow_null=True)
    monthly_fee = serializers.DecimalField(
        max_digits=9, decimal_places=2, required=False, default=Decimal(0), coerce_to_string=False
    )
    carrier = serializers.CharField(required=False, allow_blank=True, default="")
    setup_fee = serializers.DecimalField(
        max_digits=9, decimal_places=2, required=False, allow_null=True, coerce_to_string=False
    )
    pairs = serializers.IntegerField(required=False, allow_null=True)
    desaturation = serializers.ChoiceField(choices=DESATURATION_CHOICES, required=False, allow_null=True, default=None)
    desaturation_found_after_orange_check = serializers.BooleanField(required=False, default=False)
    feasibility_done = serializers.BooleanField(required=False, default=True)
    internal_wiring = serializers.BooleanField(required=False, default=False)
    direction = serializers.ChoiceField(choices=DIRECTION_CHOICES, required=False)
    pairs_change = serializers.BooleanField(required=False, default=False)
    hours = serializers.DecimalField(max_digits=6, decimal_places=2, required=False, coerce_to_string=False)
    price = serializers.DecimalField(
        max_digits=9, decimal_places=2, required=False, allow_null=True, coerce_to_string=False
    )


@extend_schema_serializer(description="Frais calculés : total, lignes en € HT et remarques.")
class FeeQuoteResultSerializer(PortabilityQuoteResultSerializer):
    notes = serializers.ListField(child=serializers.CharField())


@extend_schema_serializer(
    description="Dimensionnement des appels simultanés : nombre de postes et/ou trafic pour Erlang B."
)
class SizingSerializer(serializers.Serializer):
    stations = serializers.IntegerField(required=False, min_value=1, help_text="Nombre de postes (règle du tiers).")
    call_centre = serializers.BooleanField(required=False, default=False)
    traffic_erlangs = serializers.FloatField(required=False, min_value=0)
    calls_per_hour = serializers.FloatField(required=False, min_value=0)
    mean_duration_seconds = serializers.FloatField(required=False, min_value=0)
    blocking = serializers.FloatField(required=False, default=0.01, help_text="Taux de blocage visé (0,01 = 1 %).")
    lines = serializers.IntegerField(required=False, min_value=0, help_text="Lignes pour calculer le blocage.")


@extend_schema_serializer(description="Appels simultanés estimés (règle du tiers) et lignes nécessaires (Erlang B).")
class SizingResultSerializer(serializers.Serializer):
    low = serializers.IntegerField(required=False)
    high = serializers.IntegerField(required=False)
    traffic_erlangs = serializers.FloatField(required=False)
    lines_needed = serializers.IntegerField(required=False)
    blocking = serializers.FloatField(required=False)
    blocking_with_lines = serializers.FloatField(required=False)


@extend_schema_serializer(description="Éligibilité d'un lien : type, distance au répartiteur et atténuation.")
class EligibilitySerializer(serializers.Serializer):
    technology = serializers.ChoiceField(choices=LINK_TECHNOLOGY_CHOICES)
    distance_m = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    attenuation_db = serializers.FloatField(required=False, allow_null=True, min_value=0)
    with_voice = serializers.BooleanField(required=False, default=True)


@extend_schema_serializer(description="Avertissement ou information d'éligibilité.")
class HintSerializer(serializers.Serializer):
    code = serializers.CharField()
    level = serializers.ChoiceField(choices=HINT_LEVEL_CHOICES)
    message = serializers.CharField()


@extend_schema_serializer(description="Commissions d'un partenaire pour un mois, en € HT.")
class CommissionStatementSerializer(serializers.ModelSerializer):
    class Meta:
        model = CommissionStatement
        fields = ("id", "partner", "month", "amount", "detail")
        read_only_fields = fields


@extend_schema_serializer(description="Une ligne de facture de commissions : le mois et son montant.")
class CommissionInvoiceLineSerializer(serializers.Serializer):
    month = serializers.DateField()
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)


@extend_schema_serializer(description="Facture trimestrielle de commissions et le résultat de son contrôle.")
class CommissionInvoiceSerializer(serializers.ModelSerializer):
    partner = ScopedPrimaryKeyRelatedField(queryset=Organisation.objects.filter(kind="partner"))
    lines = CommissionInvoiceLineSerializer(many=True)

    class Meta:
        model = CommissionInvoice
        fields = (
            "id",
            "partner",
            "year",
            "quarter",
            "invoice_number",
            "invoice_date",
            "lines",
            "status",
            "problems",
            "created_at",
        )
        read_only_fields = ("id", "status", "problems", "created_at")
