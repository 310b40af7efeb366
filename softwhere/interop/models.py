"""Carrier gateway: peer operators, their FTTH signalisations, the message journal and TMF621 subscriptions."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from softwhere.diagnostics import crypto

from .choices import (
    Direction,
    HubApi,
    MessageKind,
    MessageStatus,
    Protocol,
    ResolutionState,
    Role,
    SignalisationStatus,
)

_CODE = RegexValidator(r"^[A-Z0-9]{4}$", "Code opérateur : 4 lettres majuscules ou chiffres.")


class InteropPeer(models.Model):
    """Another operator: an OI we signal faults to, or an OC that signals faults to us.

    ``peer_role`` is the peer's role; ours is the other one. ``local_code`` and
    ``local_mail_address`` are how this peer knows us, so one desk may appear under
    different codes to different peers (and talk to itself in the loopback tests).
    """

    name = models.CharField("opérateur", max_length=100)
    code = models.CharField("code opérateur", max_length=4, unique=True, validators=[_CODE])
    peer_role = models.CharField("rôle de l'opérateur", max_length=2, choices=Role.choices, default=Role.OI)
    protocol = models.CharField("protocole", max_length=16, choices=Protocol.choices, default=Protocol.V1)
    is_active = models.BooleanField("actif", default=True)
    local_code = models.CharField("notre code chez lui", max_length=4, validators=[_CODE])
    mail_address = models.EmailField("adresse SAV de l'opérateur", blank=True)
    local_mail_address = models.EmailField("notre adresse SAV pour lui", blank=True)
    smtp_host = models.CharField("relais SMTP", max_length=200, blank=True, help_text="Vide : EMAIL_HOST.")
    smtp_port = models.PositiveIntegerField("port SMTP", null=True, blank=True)
    endpoint_url = models.URLField("URL de ses web services", max_length=300, blank=True)
    callback_url = models.URLField(
        "notre URL de rappel pour lui", max_length=300, blank=True, help_text="v2.0 (rôle OC) et écouteur TMF621."
    )
    # The token we present to the peer, encrypted at rest with the diagnostics secret store
    # (a database dump alone reveals no credential); read and written through ``auth_token``.
    auth_token_encrypted = models.TextField("jeton envoyé (chiffré)", blank=True, editable=False)
    inbound_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="compte de ses appels entrants",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interop_peer",
    )
    remote_hub_id = models.CharField("abonnement chez lui (hub)", max_length=100, blank=True)
    auto_accept_resolution = models.BooleanField(
        "accepter sa résolution automatiquement", default=True, help_text="Profil Interop : resolved → closed."
    )
    accesses: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "inventory.Access", through="ServedAccess", related_name="interop_peers", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "opérateur interop"
        verbose_name_plural = "opérateurs interop"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def __repr__(self) -> str:  # never show the credential
        return f"<InteropPeer {self.code} {self.protocol}>"

    @property
    def auth_token(self) -> str:
        """The plain token sent in « Authorization: Token … » ('' when none is configured)."""
        return crypto.decrypt(self.auth_token_encrypted) if self.auth_token_encrypted else ""

    @auth_token.setter
    def auth_token(self, plain: str) -> None:
        self.auth_token_encrypted = crypto.encrypt(plain) if plain else ""

    @property
    def has_auth_token(self) -> bool:
        return bool(self.auth_token_encrypted)

    @property
    def our_role(self) -> str:
        return Role.OC if self.peer_role == Role.OI else Role.OI

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        self.code = (self.code or "").upper()
        self.local_code = (self.local_code or "").upper()
        if self.protocol == Protocol.V1 and not self.mail_address:
            errors["mail_address"] = ["Adresse mail requise pour le protocole v1.0a."]
        if self.protocol in (Protocol.V2, Protocol.INTEROP_TMF) and not self.endpoint_url and self.peer_role == Role.OI:
            errors["endpoint_url"] = ["URL des web services de l'OI requise."]
        if errors:
            raise ValidationError(errors)


class ServedAccess(models.Model):
    """One of our fibre accesses on this OI's network, with the identifiers the protocol uses."""

    peer = models.ForeignKey(InteropPeer, on_delete=models.CASCADE, related_name="served_accesses")
    access = models.ForeignKey("inventory.Access", on_delete=models.CASCADE, related_name="served_by")
    reference_prestation = models.CharField("référence de prestation", max_length=50, blank=True)
    reference_prise = models.CharField("référence de prise (PTO)", max_length=20, blank=True)

    class Meta:
        verbose_name = "accès desservi"
        constraints = [models.UniqueConstraint(fields=["peer", "access"], name="interop_served_access_unique")]

    def __str__(self) -> str:
        return f"{self.peer.code} {self.reference_prise or self.reference_prestation}"


class Signalisation(models.Model):
    """A SAV FTTH signalisation, on either side: ours to an OI (role OC) or an OC's to us (role OI)."""

    peer = models.ForeignKey(InteropPeer, on_delete=models.PROTECT, related_name="signalisations")
    role = models.CharField("notre rôle", max_length=2, choices=Role.choices)
    protocol = models.CharField("protocole", max_length=16, choices=Protocol.choices)
    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="signalisations"
    )
    access = models.ForeignKey(
        "inventory.Access", null=True, blank=True, on_delete=models.SET_NULL, related_name="signalisations"
    )
    status = models.CharField(
        "état", max_length=24, choices=SignalisationStatus.choices, default=SignalisationStatus.SUBMITTED
    )
    resolution_state = models.CharField(
        "état de résolution", max_length=30, choices=ResolutionState.choices, blank=True
    )
    oc_reference = models.CharField("référence OC", max_length=50)
    oi_reference = models.CharField("référence OI", max_length=50, blank=True, db_index=True)
    reference_prestation = models.CharField("référence de prestation", max_length=50, blank=True)
    reference_prise = models.CharField("référence de prise", max_length=20, blank=True)
    incident_date = models.DateField("date de l'incident client")
    nature = models.CharField("nature du défaut", max_length=20)
    preloc = models.CharField("pré-localisation", max_length=20)
    client_last_name = models.CharField("nom du client", max_length=60)
    client_first_name = models.CharField("prénom du client", max_length=60, blank=True)
    contact1 = models.CharField("contact 1", max_length=20)
    contact2 = models.CharField("contact 2", max_length=20, blank=True)
    appointment_id = models.CharField("identifiant de RDV", max_length=50, blank=True)
    proposals = models.JSONField("propositions de RDV", default=list, blank=True)
    appointment = models.JSONField("RDV retenu", null=True, blank=True)
    comment = models.TextField("commentaire", blank=True)
    acknowledged_at = models.DateTimeField("prise en compte le", null=True, blank=True)
    rejection_reason = models.TextField("motif de refus", blank=True)
    closure_code = models.CharField("code de clôture", max_length=5, blank=True)
    responsibility = models.CharField("responsabilité", max_length=5, blank=True)
    defect_location = models.CharField("localisation du défaut", max_length=20, blank=True)
    closure_comment = models.TextField("commentaire de clôture", blank=True)
    closed_at = models.DateTimeField("clôturée le", null=True, blank=True)
    extra = models.JSONField("données protocole", default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "signalisation SAV"
        ordering = ["-created_at", "-id"]
        constraints = [
            # Idempotency: the same deposit twice makes one signalisation.
            models.UniqueConstraint(fields=["peer", "role", "oc_reference"], name="interop_signalisation_unique_oc_ref")
        ]

    def __str__(self) -> str:
        return f"{self.oc_reference} ({self.get_status_display()})"

    @property
    def is_final(self) -> bool:
        from .services.lifecycle import FINAL

        return self.status in FINAL


class InteropMessage(models.Model):
    """The journal: every message in and out, its payload kept whole, what we understood and did."""

    direction = models.CharField("sens", max_length=3, choices=Direction.choices)
    protocol = models.CharField("protocole", max_length=16, choices=Protocol.choices)
    kind = models.CharField("type", max_length=16, choices=MessageKind.choices, default=MessageKind.UNKNOWN)
    peer = models.ForeignKey(InteropPeer, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages")
    signalisation = models.ForeignKey(
        Signalisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="interop_messages"
    )
    status = models.CharField("statut", max_length=10, choices=MessageStatus.choices)
    reason = models.TextField("motif", blank=True)
    filename = models.CharField("fichier", max_length=200, blank=True)
    subject = models.CharField("objet", max_length=300, blank=True)
    raw = models.TextField("message brut", blank=True)
    parsed = models.JSONField("contenu interprété", default=dict, blank=True)
    response = models.TextField("réponse", blank=True)
    dedupe_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    attempts = models.PositiveIntegerField("tentatives", default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)

    class Meta:
        verbose_name = "message interop"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["signalisation", "created_at"]), models.Index(fields=["ticket", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.get_kind_display()} {self.filename or self.pk}"


class Notice(models.Model):
    """A v1.0a « prévenance »: planned works (OI → OC, one line per address) or damage seen by an OC (OC → OI)."""

    peer = models.ForeignKey(InteropPeer, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField("type", max_length=16, choices=MessageKind.choices)
    direction = models.CharField("sens", max_length=3, choices=Direction.choices)
    reference = models.CharField("référence", max_length=50)
    pm_reference = models.CharField("référence PM", max_length=50)
    starts_at = models.DateTimeField("début prévu", null=True, blank=True)
    ends_at = models.DateTimeField("fin prévue", null=True, blank=True)
    lines = models.JSONField("lignes", default=list)
    status = models.CharField("statut", max_length=10, choices=MessageStatus.choices, default=MessageStatus.PROCESSED)
    peer_reference = models.CharField("référence chez l'opérateur", max_length=50, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "prévenance"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["peer", "kind", "direction", "reference"], name="interop_notice_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"


class Hub(models.Model):
    """A TMF621 event subscription (« hub ») on one of our APIs; events go to ``callback`` via the job queue."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    api = models.CharField(max_length=16, choices=HubApi.choices)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tmf_hubs")
    callback = models.URLField(max_length=2048)
    query = models.CharField(max_length=2048, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "abonnement TMF621"
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.api} → {self.callback}"

    def wants(self, event_type: str, values: dict[str, Any] | None = None) -> bool:
        """TMF query filter: ``eventType=A,B`` (and optional ``field=value`` pairs on the event's ticket)."""
        from .services.tmf import query_matches

        return query_matches(self.query, event_type, values or {})


class TmfTicketData(models.Model):
    """What TMF621 clients send that a desk ticket has no column for, echoed back as they sent it."""

    ticket = models.OneToOneField("tickets.Ticket", on_delete=models.CASCADE, related_name="tmf")
    ticket_type = models.CharField(max_length=255, blank=True)
    severity = models.CharField(max_length=50, blank=True)
    name = models.CharField(max_length=255, blank=True)
    external_identifiers = models.JSONField(default=list, blank=True)
    note_ids = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"TMF {self.ticket_id}"
