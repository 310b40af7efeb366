"""Request and response of the classification endpoint (the same JSON as ``softwhere triage classify``)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from softwhere.catalogue.choices import CaseDomain
from softwhere.tickets.choices import ServiceState


@extend_schema_serializer(description="Texte libre à classer.")
class TriageClassifyRequestSerializer(serializers.Serializer):
    """A free-text request to classify."""

    text = serializers.CharField(max_length=20_000, trim_whitespace=True, help_text="Texte libre de la demande.")
    at = serializers.DateTimeField(
        required=False, help_text="Date du message, pour situer « hier soir », « lundi 14h30 »… (défaut : maintenant)."
    )


@extend_schema_serializer(description="Un des trois cas de résolution les plus probables.")
class TriageRankedCaseSerializer(serializers.Serializer):
    """One of the three most probable resolution cases."""

    case = serializers.CharField(help_text="Identifiant du cas de résolution.")
    score = serializers.FloatField(help_text="Probabilité calibrée (0 à 1).")


@extend_schema_serializer(description="Plage de numéros (SDA/NDI) écrite dans le texte.")
class TriageNumberRangeSerializer(serializers.Serializer):
    """A range of numbers (SDA/NDI) written in the text."""

    start = serializers.CharField(help_text="Premier numéro (E.164).")
    end = serializers.CharField(help_text="Dernier numéro (E.164).")
    count = serializers.IntegerField()
    text = serializers.CharField(help_text="Écriture trouvée dans le texte.")


@extend_schema_serializer(description="Référence de ticket : la nôtre (AAMM + 6 chiffres) ou celle d'un opérateur.")
class TriageTicketRefSerializer(serializers.Serializer):
    """A ticket reference: ours (YYMM + 6 digits) or a carrier's."""

    reference = serializers.CharField()
    issuer = serializers.CharField(help_text="« softwhere », le nom de l'opérateur, ou « operateur » si inconnu.")


@extend_schema_serializer(description="Marque d'équipement citée, avec son modèle s'il est écrit.")
class TriageEquipmentSerializer(serializers.Serializer):
    """An equipment brand, with its model when written."""

    brand = serializers.CharField()
    model = serializers.CharField(allow_null=True)
    kind = serializers.CharField(
        help_text="ip_phone, dect, headset, firewall, ipbx, router, switch, ont, nte, wifi, box, mobile"
    )


@extend_schema_serializer(description="Voyant et sa couleur/son état tels que décrits.")
class TriageLedSerializer(serializers.Serializer):
    """A LED and its colour/state as described in the text."""

    led = serializers.CharField(
        allow_null=True, help_text="pon, los, power, lan, wan, internet, wifi, 4g, link ; vide si « la box »."
    )
    device = serializers.CharField(allow_null=True, help_text="ont ou router, si on le sait.")
    state = serializers.CharField(
        help_text="Valeur de LedState (rouge_fixe, rouge_clignotant…), ou orange_fixe, orange_clignotant, allume."
    )
    text = serializers.CharField()


@extend_schema_serializer(description="Heure ou date citée, résolue par rapport à l'heure du message (heure de Paris).")
class TriageTimeSerializer(serializers.Serializer):
    """A time or date of the text, resolved against the message time (Paris)."""

    text = serializers.CharField()
    at = serializers.DateTimeField(help_text="Instant résolu, heure de Paris.")
    precision = serializers.CharField(help_text="minute, hour, part_of_day (matin, soir…) ou day.")
    since = serializers.BooleanField(help_text="« depuis … » : début de la panne.")


@extend_schema_serializer(description="Faits extraits du texte ; les identifiants sont validés et normalisés.")
class TriageEntitiesSerializer(serializers.Serializer):
    """Facts extracted from the text; identifiers are validated and normalised."""

    phones = serializers.ListField(child=serializers.CharField(), help_text="Numéros au format E.164.")
    number_ranges = TriageNumberRangeSerializer(many=True)
    ipv4 = serializers.ListField(child=serializers.CharField())
    ipv6 = serializers.ListField(child=serializers.CharField())
    macs = serializers.ListField(child=serializers.CharField(), help_text="aa:bb:cc:dd:ee:ff")
    sirets = serializers.ListField(child=serializers.CharField(), help_text="SIRET valides uniquement.")
    ticket_refs = TriageTicketRefSerializer(many=True)
    carriers = serializers.ListField(child=serializers.CharField())
    equipment = TriageEquipmentSerializer(many=True)
    leds = TriageLedSerializer(many=True)
    times = TriageTimeSerializer(many=True)


@extend_schema_serializer(
    description="Triage d'un texte : cas proposé, top 3, état du service, domaine et faits extraits."
)
class TriageClassificationSerializer(serializers.Serializer):
    """Triage of a text: proposed case, top 3, service state, domain and facts."""

    case = serializers.CharField(allow_null=True, help_text="Cas proposé ; vide sous le seuil (« à qualifier »).")
    confidence = serializers.FloatField(help_text="Probabilité calibrée du premier cas.")
    top = TriageRankedCaseSerializer(many=True, help_text="Les trois cas les plus probables.")
    state = serializers.ChoiceField(choices=ServiceState.choices, help_text="État du service proposé.")
    domain = serializers.ChoiceField(choices=CaseDomain.choices, allow_null=True)
    threshold = serializers.FloatField(help_text="Seuil de confiance appliqué.")
    model_version = serializers.CharField()
    entities = TriageEntitiesSerializer()
