"""Trained model versions, the prediction stored on each ticket, and the agents' choices."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone

from softwhere.catalogue.choices import CaseDomain
from softwhere.core.scoping import OfTicketQuerySet
from softwhere.tickets.choices import ServiceState

from .choices import AgentChoiceKind


class TriageModel(models.Model):
    """One trained classifier: its artefact file (var/triage/models/<version>.joblib) and its metrics."""

    version = models.CharField("version", max_length=40, unique=True)
    trained_at = models.DateTimeField("entraîné le", default=timezone.now)
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    path = models.CharField("fichier", max_length=500)
    metrics = models.JSONField("métriques", default=dict, blank=True)
    n_samples = models.PositiveIntegerField("exemples", default=0)
    n_corrections = models.PositiveIntegerField("corrections d'agents", default=0)
    threshold = models.FloatField("seuil de confiance")
    is_active = models.BooleanField("actif", default=False)

    class Meta:
        verbose_name = "modèle de triage"
        ordering = ["-trained_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=models.Q(is_active=True), name="triage_one_active_model"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version}{' (actif)' if self.is_active else ''}"

    @property
    def artefact(self) -> Path:
        return Path(self.path)


class TriagePrediction(models.Model):
    """What triage proposed for a ticket, with the model version that proposed it."""

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="triage_predictions")
    text = models.TextField("texte analysé")
    model_version = models.CharField("version du modèle", max_length=40)
    case = models.ForeignKey(
        "catalogue.ResolutionCase",
        verbose_name="cas proposé",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Vide sous le seuil de confiance : « à qualifier ».",
    )
    confidence = models.FloatField("confiance")
    threshold = models.FloatField("seuil")
    top = models.JSONField("trois meilleurs cas", default=list)
    state = models.CharField("état du service proposé", max_length=20, choices=ServiceState.choices)
    domain = models.CharField("domaine proposé", max_length=16, choices=CaseDomain.choices, blank=True)
    entities = models.JSONField("faits extraits", default=dict)
    applied = models.BooleanField("qualification appliquée", default=False)
    created_at = models.DateTimeField("créée le", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = OfTicketQuerySet.as_manager()

    class Meta:
        verbose_name = "prédiction de triage"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["ticket", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.case_id or 'à qualifier'} ({self.confidence:.2f})"


class TriageCorrection(models.Model):
    """An agent's choice of case for a ticket; the next ``softwhere triage train`` learns from it."""

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="triage_corrections")
    prediction = models.ForeignKey(
        TriagePrediction, null=True, blank=True, on_delete=models.SET_NULL, related_name="corrections"
    )
    text = models.TextField("texte")
    proposed_case = models.ForeignKey(
        "catalogue.ResolutionCase", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    chosen_case = models.ForeignKey("catalogue.ResolutionCase", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=AgentChoiceKind.choices)
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = OfTicketQuerySet.as_manager()

    class Meta:
        verbose_name = "choix d'agent (triage)"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.proposed_case_id} → {self.chosen_case_id}"
