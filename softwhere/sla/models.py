"""SLA configuration (calendars, per-priority targets, carriers) and per-ticket clocks.

Clocks and carrier escalations are projections of the ticket timeline, written
only by ``sla.actions`` (see ``services/clocks.py`` for the rules).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from softwhere.core.scoping import OfTicketQuerySet
from softwhere.tickets.choices import Priority

from .choices import ClockKind, ClockState
from .services import calendar as cal

calendar_id_validator = RegexValidator(r"^[a-z0-9][a-z0-9-]*$", "Identifiant : minuscules, chiffres et tirets.")


class BusinessCalendar(models.Model):
    """A business calendar; the built-in ids are seeded by migration from ``services.calendar``."""

    id = models.CharField("identifiant", max_length=40, primary_key=True, validators=[calendar_id_validator])
    name = models.CharField("nom", max_length=120)
    weekly_hours = models.JSONField(
        "horaires hebdomadaires",
        default=dict,
        help_text='Par jour : {"mon": ["08:00-12:00", "14:00-18:00"], …} ; un jour absent est fermé.',
    )
    holiday_country = models.CharField(
        "pays des jours fériés", max_length=5, blank=True, default="FR", help_text="Vide : aucun jour férié."
    )
    holiday_subdivision = models.CharField(
        "subdivision", max_length=10, blank=True, help_text="Ex. 57 (Moselle), 67 / 68 (Alsace)."
    )
    extra_closed_days = models.JSONField("jours de fermeture supplémentaires", default=list, blank=True)
    is_builtin = models.BooleanField("intégré", default=False, editable=False)

    class Meta:
        verbose_name = "calendrier ouvré"
        verbose_name_plural = "calendriers ouvrés"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    def as_calendar(self) -> cal.Calendar:
        return cal.build_calendar(
            self.id,
            self.name,
            self.weekly_hours,
            holiday_country=self.holiday_country or None,
            holiday_subdivision=self.holiday_subdivision or None,
            extra_closed_days=self.extra_closed_days,
        )

    def clean(self) -> None:
        if not isinstance(self.weekly_hours, dict) or not isinstance(self.extra_closed_days, list):
            raise ValidationError({"weekly_hours": ["Format attendu : objet par jour, liste de dates."]})
        try:
            calendar = self.as_calendar()
            if calendar.holiday_country:
                cal.public_holidays(calendar.holiday_country, calendar.holiday_subdivision, 2026)
        except (cal.CalendarError, ValueError) as exc:
            raise ValidationError({"weekly_hours": [str(exc)]}) from exc
        if not any(calendar.weekly):
            raise ValidationError({"weekly_hours": ["Le calendrier doit ouvrir au moins un jour."]})


class SlaPolicy(models.Model):
    """First-response and resolution targets for one ticket priority."""

    priority = models.PositiveSmallIntegerField("priorité", choices=Priority.choices, unique=True)
    calendar = models.ForeignKey(
        BusinessCalendar, verbose_name="calendrier", on_delete=models.PROTECT, related_name="+"
    )
    first_response_minutes = models.PositiveIntegerField("première réponse (min)", validators=[MinValueValidator(1)])
    resolution_minutes = models.PositiveIntegerField("résolution (min)", validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = "objectif SLA"
        verbose_name_plural = "objectifs SLA"
        ordering = ["priority"]

    def __str__(self) -> str:
        return f"{self.get_priority_display()} : {self.first_response_minutes} / {self.resolution_minutes} min"


class Carrier(models.Model):
    """A third-party carrier and its response deadline once a ticket is opened with it (seed 001, IV)."""

    name = models.CharField("nom", max_length=60, unique=True)
    aliases = models.CharField(
        "autres noms", max_length=200, blank=True, help_text="Séparés par des virgules (ex. France Télécom, FT)."
    )
    response_hours = models.PositiveIntegerField("délai de réponse (h)", validators=[MinValueValidator(1)])
    calendar = models.ForeignKey(
        BusinessCalendar,
        verbose_name="calendrier du délai",
        on_delete=models.PROTECT,
        related_name="+",
        default="24x7",
    )

    class Meta:
        verbose_name = "opérateur tiers"
        verbose_name_plural = "opérateurs tiers"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.response_hours} h)"

    def names(self) -> list[str]:
        return [self.name, *(a.strip() for a in self.aliases.split(",") if a.strip())]


class SlaClock(models.Model):
    """One clock of a ticket: GTR (one per guaranteed access), first response or resolution."""

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="sla_clocks")
    kind = models.CharField("type", max_length=16, choices=ClockKind.choices)
    access = models.ForeignKey(
        "inventory.Access", verbose_name="accès", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    calendar = models.CharField("calendrier", max_length=40)
    target_minutes = models.PositiveIntegerField("objectif (min)")
    state = models.CharField("état", max_length=10, choices=ClockState.choices, default=ClockState.RUNNING)
    started_at = models.DateTimeField("démarré le")
    due_at = models.DateTimeField("échéance", null=True, blank=True, db_index=True)
    breached_at = models.DateTimeField("dépassé le", null=True, blank=True)
    paused_since = models.DateTimeField("en pause depuis", null=True, blank=True)
    pauses = models.JSONField("pauses", default=list, blank=True)
    stopped_at = models.DateTimeField("arrêté le", null=True, blank=True, db_index=True)
    consumed_minutes = models.FloatField("temps consommé (min)", default=0)
    computed_at = models.DateTimeField("calculé le", default=timezone.now)
    monthly_fee = models.DecimalField("redevance mensuelle (€)", max_digits=9, decimal_places=2, null=True, blank=True)
    penalty_percent = models.PositiveSmallIntegerField("pénalité (%)", default=0)
    penalty_amount = models.DecimalField("pénalité (€)", max_digits=9, decimal_places=2, default=Decimal("0"))

    objects = OfTicketQuerySet.as_manager()

    class Meta:
        verbose_name = "compteur SLA"
        verbose_name_plural = "compteurs SLA"
        ordering = ["ticket", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "kind"], condition=Q(access__isnull=True), name="sla_clock_unique_kind"
            ),
            models.UniqueConstraint(
                fields=["ticket", "kind", "access"], condition=Q(access__isnull=False), name="sla_clock_unique_access"
            ),
        ]
        indexes = [models.Index(fields=["state", "due_at"])]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind} {self.state}"

    @property
    def is_active(self) -> bool:
        return self.stopped_at is None

    @property
    def remaining_minutes(self) -> float:
        return self.target_minutes - self.consumed_minutes


class CarrierEscalation(models.Model):
    """A period in ``waiting_carrier``: the carrier's ticket and its response deadline."""

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="carrier_escalations")
    carrier = models.CharField("opérateur", max_length=60, blank=True)
    carrier_config = models.ForeignKey(
        Carrier, verbose_name="fiche opérateur", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    carrier_ticket_reference = models.CharField("référence ticket opérateur", max_length=60, blank=True)
    response_hours = models.PositiveIntegerField("délai de réponse (h)")
    started_at = models.DateTimeField("ouvert le")
    due_at = models.DateTimeField("réponse attendue avant", db_index=True)
    ended_at = models.DateTimeField("fin d'attente", null=True, blank=True)
    alerted_at = models.DateTimeField("alerte levée le", null=True, blank=True)

    objects = OfTicketQuerySet.as_manager()

    class Meta:
        verbose_name = "escalade opérateur"
        verbose_name_plural = "escalades opérateur"
        ordering = ["-started_at"]
        constraints = [models.UniqueConstraint(fields=["ticket", "started_at"], name="carrier_escalation_unique_start")]

    def __str__(self) -> str:
        return f"{self.carrier} {self.carrier_ticket_reference} ({self.started_at:%Y-%m-%d %H:%M})"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    def is_overdue(self, now: Any = None) -> bool:
        now = now or timezone.now()
        return (self.ended_at or now) > self.due_at
