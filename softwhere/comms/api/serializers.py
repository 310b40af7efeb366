"""Communications API bodies. Choice fields are plain strings with their values in the help text,
so the published enum components stay those of ENUM_NAME_OVERRIDES."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from softwhere.comms.choices import ChannelMode, CommunicationContext
from softwhere.comms.models import Attachment, Message, MessageTemplate


def _values(choices: Any) -> str:
    return ", ".join(f"{value} ({label})" for value, label in choices)


@extend_schema_serializer(
    description="Modèle de message (lignes CLT, INT et EDS du seed 004) et ses paramètres par défaut."
)
class MessageTemplateSerializer(serializers.ModelSerializer[MessageTemplate]):
    family = serializers.CharField(help_text="clt, int ou eds.")
    purpose = serializers.CharField(help_text="Usage du modèle (acknowledgement, information_request, reminder…).")
    audience = serializers.CharField(help_text="client (client et partenaire) ou team (équipe).")
    # DRF's metaclass moves declared fields off the class: "context" does not shadow Serializer.context.
    context = serializers.CharField(help_text=f"Contexte : {_values(CommunicationContext.choices)}.")  # type: ignore[assignment]
    channels = serializers.CharField(help_text=f"Mode : {_values(ChannelMode.choices)}.")

    class Meta:
        model = MessageTemplate
        fields = [
            "code",
            "family",
            "number",
            "name",
            "purpose",
            "audience",
            "context",
            "channels",
            "grouped_outage",
            "chain_to_closure",
            "instructions",
        ]


@extend_schema_serializer(description="Pièce jointe d'un mail reçu.")
class AttachmentSerializer(serializers.ModelSerializer[Attachment]):
    class Meta:
        model = Attachment
        fields = ["id", "filename", "content_type", "size"]


@extend_schema_serializer(description="Destinataire : nom et adresse (mail ou numéro).")
class RecipientSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(allow_blank=True)
    address = serializers.CharField(help_text="Adresse mail, ou numéro au format E.164 pour un SMS.")


@extend_schema_serializer(description="Mail ou SMS du ticket, envoyé ou reçu.")
class MessageSerializer(serializers.ModelSerializer[Message]):
    direction = serializers.CharField(help_text="out (envoyé) ou in (reçu).")
    channel = serializers.CharField(help_text="mail ou sms.")
    status = serializers.CharField(help_text="pending (en cours d'envoi), sent, failed ou received.")
    template = serializers.SerializerMethodField(help_text="Code du modèle utilisé.")
    purpose = serializers.CharField(help_text="Usage (acknowledgement, reminder…) ; vide pour un mail reçu.")
    author = serializers.SerializerMethodField(
        help_text="Agent auteur ; null pour un envoi automatique ou un mail reçu."
    )
    recipients = RecipientSerializer(many=True)
    attachments = AttachmentSerializer(many=True)

    class Meta:
        model = Message
        fields = [
            "id",
            "direction",
            "channel",
            "template",
            "purpose",
            "sender",
            "recipients",
            "subject",
            "body",
            "status",
            "automatic",
            "author",
            "created_at",
            "sent_at",
            "attachments",
        ]

    def get_template(self, obj: Message) -> str | None:
        return obj.template.code if obj.template else None

    def get_author(self, obj: Message) -> str | None:
        return obj.author.get_username() if obj.author else None


@extend_schema_serializer(description="Paramètres du modèle (formulaire du seed 004).")
class SendMessageRequestSerializer(serializers.Serializer[Any]):
    """Seed 004's template form."""

    template = serializers.CharField(help_text="Code du modèle (CLT5, INT-A0…).")
    information = serializers.CharField(required=False, allow_blank=True, default="", help_text="Information donnée.")
    recipients = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="« NOM,06…,mail@…; » un destinataire par ligne. Absent : les contacts du ticket selon leur canal préféré.",
    )
    channels = serializers.ChoiceField(choices=ChannelMode.choices, required=False, help_text="Mode de communication.")
    grouped_outage = serializers.BooleanField(required=False, allow_null=True, default=None)
    context = serializers.ChoiceField(  # type: ignore[assignment]
        choices=CommunicationContext.choices, required=False, help_text="gel : le ticket passe en attente client."
    )
    chain_to_closure = serializers.BooleanField(required=False, allow_null=True, default=None)


@extend_schema_serializer(description="Aperçu du message tel qu'il serait envoyé.")
class PreviewSerializer(serializers.Serializer[Any]):
    subject = serializers.CharField()
    body = serializers.CharField()
    sms = serializers.CharField(allow_blank=True)
    recipients = serializers.CharField(allow_blank=True, help_text="Destinataires par défaut, notation du seed 004.")
