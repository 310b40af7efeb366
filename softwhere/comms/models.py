"""Message templates (seed 004's CLT/INT/EDS rows), sent and received messages, the inbound archive
and the automatic follow-ups of seed 001 VII."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from softwhere.core.scoping import OfTicketQuerySet

from .choices import (
    Audience,
    ChannelMode,
    CommunicationContext,
    Direction,
    FollowUpKind,
    FollowUpState,
    InboundOutcome,
    MessageChannel,
    MessageStatus,
    TemplateFamily,
    TemplatePurpose,
)
from .services.recipients import parse_recipients
from .services.rendering import RenderError, check_template


class MessageTemplate(models.Model):
    """One button of seed 004's template bar, with the parameters of its form as defaults."""

    code = models.CharField("code", max_length=12, unique=True, help_text="Par ex. CLT5, INT-A0, EDS-E0.")
    family = models.CharField("famille", max_length=3, choices=TemplateFamily.choices)
    number = models.CharField("numéro", max_length=6)
    name = models.CharField("nom", max_length=120)
    purpose = models.CharField("usage", max_length=24, choices=TemplatePurpose.choices, default=TemplatePurpose.OTHER)
    audience = models.CharField("destinataires", max_length=8, choices=Audience.choices, default=Audience.CLIENT)
    context = models.CharField(
        "contexte de la communication",
        max_length=8,
        choices=CommunicationContext.choices,
        default=CommunicationContext.FREE,
    )
    channels = models.CharField("mode de communication", max_length=4, choices=ChannelMode.choices, default="mail")
    grouped_outage = models.BooleanField("incident panne groupée", default=False)
    chain_to_closure = models.BooleanField("enchaînement vers le modèle de clôture", default=False)
    default_recipients = models.TextField(
        "destinataires par défaut",
        blank=True,
        help_text="Équipes : « NOM,06…,mail@…; » (un destinataire par ligne). "
        "Vide pour un modèle client : les contacts du ticket, selon leur canal préféré.",
    )
    subject_template = models.CharField("objet", max_length=300, default="{{ header }}")
    body_template = models.TextField("texte du mail")
    sms_template = models.TextField("texte du SMS", blank=True, help_text="Vide : l'en-tête SMS et l'information.")
    instructions = models.TextField("consignes pour le technicien", blank=True)
    is_active = models.BooleanField("actif", default=True)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "modèle de message"
        verbose_name_plural = "modèles de messages"
        ordering = ["family", "position", "code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        for field in ("subject_template", "body_template", "sms_template"):
            try:
                check_template(getattr(self, field))
            except RenderError as exc:
                errors[field] = [str(exc)]
        if self.default_recipients.strip():
            _, problems = parse_recipients(self.default_recipients)
            if problems:
                errors["default_recipients"] = problems
        if self.audience == Audience.TEAM and self.context == CommunicationContext.FREEZE:
            errors["context"] = ["Seul un message au client peut geler le ticket."]
        if errors:
            raise ValidationError(errors)


class Message(models.Model):
    """A mail or an SMS, sent or received, as stored in the ticket's exchange.

    Outbound rows are written in the sender's transaction and delivered after commit,
    so a rolled-back action sends nothing; ``status`` records what happened.
    """

    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    direction = models.CharField("sens", max_length=3, choices=Direction.choices)
    channel = models.CharField("canal", max_length=4, choices=MessageChannel.choices)
    template = models.ForeignKey(
        MessageTemplate, verbose_name="modèle", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    purpose = models.CharField("usage", max_length=24, choices=TemplatePurpose.choices, blank=True)
    audience = models.CharField(max_length=8, choices=Audience.choices, default=Audience.CLIENT)
    sender = models.CharField("expéditeur", max_length=254)
    recipients = models.JSONField("destinataires", default=list, help_text='[{"name": …, "address": …}]')
    subject = models.CharField("objet", max_length=300, blank=True)
    body = models.TextField("texte")
    status = models.CharField("statut", max_length=8, choices=MessageStatus.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    automatic = models.BooleanField("envoi automatique", default=False)
    contact = models.ForeignKey(
        "customers.Contact", verbose_name="contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message_id = models.CharField("Message-ID", max_length=255, blank=True, db_index=True)
    in_reply_to = models.CharField("en réponse à", max_length=255, blank=True)
    delivered_to = models.JSONField("remis à", default=list, blank=True)
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    last_error = models.TextField("dernière erreur", blank=True)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)

    objects = OfTicketQuerySet.as_manager()

    class Meta:
        verbose_name = "message"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["ticket", "-created_at"]), models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.get_channel_display()} – {self.subject or self.body[:40]}"

    def recipients_text(self) -> str:
        return ", ".join(f"{r.get('name') or ''} <{r['address']}>".strip() for r in self.recipients)

    def visible_to_client(self) -> bool:
        return self.audience == Audience.CLIENT


def _attachment_path(instance: Attachment, filename: str) -> str:
    return timezone.now().strftime("comms/attachments/%Y/%m/") + filename


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("fichier", upload_to=_attachment_path, max_length=255)
    filename = models.CharField("nom", max_length=200)
    content_type = models.CharField("type", max_length=120)
    size = models.PositiveIntegerField("taille")

    objects = models.Manager()

    class Meta:
        verbose_name = "pièce jointe"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename


def _inbound_path(instance: InboundMail, filename: str) -> str:
    return timezone.now().strftime("comms/inbound/%Y/%m/") + filename


class InboundMail(models.Model):
    """Every mail the receiver accepted, raw bytes first: nothing received is ever lost.

    The outcome says what was done with it; a rejected mail keeps its reason.
    """

    raw = models.FileField("message brut", upload_to=_inbound_path, max_length=255)
    received_at = models.DateTimeField("reçu le", default=timezone.now)
    sender = models.CharField("expéditeur", max_length=254, blank=True)
    subject = models.CharField("objet", max_length=300, blank=True)
    message_id = models.CharField("Message-ID", max_length=255, blank=True, db_index=True)
    outcome = models.CharField("traitement", max_length=14, choices=InboundOutcome.choices, default="pending")
    reason = models.TextField("motif", blank=True)
    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="inbound_mails"
    )
    stored_message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = OfTicketQuerySet.as_manager()

    class Meta:
        verbose_name = "mail reçu"
        verbose_name_plural = "mails reçus"
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.received_at:%Y-%m-%d %H:%M} {self.sender} – {self.subject}"


class FollowUp(models.Model):
    """One automatic follow-up cycle of a ticket (seed 001 VII); its timers are softwhere.jobs rows."""

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="followups")
    kind = models.CharField("type", max_length=14, choices=FollowUpKind.choices)
    state = models.CharField("état", max_length=10, choices=FollowUpState.choices, default=FollowUpState.ACTIVE)
    started_at = models.DateTimeField("démarrée le", default=timezone.now)
    reminders_sent = models.PositiveSmallIntegerField("relances envoyées", default=0)
    notice_sent_at = models.DateTimeField("préavis envoyé le", null=True, blank=True)
    ended_at = models.DateTimeField("terminée le", null=True, blank=True)
    end_reason = models.CharField("fin", max_length=200, blank=True)
    request_message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="demande"
    )

    objects = OfTicketQuerySet.as_manager()

    class Meta:
        verbose_name = "relance automatique"
        verbose_name_plural = "relances automatiques"
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "kind"], condition=Q(state="active"), name="comms_one_active_followup_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_state_display()})"

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "state": self.state, "reminders_sent": self.reminders_sent}
