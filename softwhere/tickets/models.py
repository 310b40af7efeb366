"""Tickets, their guided checklist, LED readings and append-only timeline."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from softwhere.core.scoping import OfTicketQuerySet, OwnedByOrganisationQuerySet

from .choices import (
    OPEN_STATUSES,
    Channel,
    LedPhase,
    Level,
    Priority,
    ServiceState,
    TicketStatus,
    TimelineKind,
    Visibility,
)

#: Sorted once so the partial indexes' SQL (and their migration) is stable.
OPEN = sorted(OPEN_STATUSES)


class TicketSequence(models.Model):
    """Per-month counter behind references like the seed's "2505057242" (YYMM + 6 digits)."""

    period = models.CharField(max_length=4, primary_key=True)
    last_value = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.period}:{self.last_value}"


class Ticket(models.Model):
    reference = models.CharField("référence", max_length=20, unique=True)
    organisation = models.ForeignKey(
        "customers.Organisation", verbose_name="raison sociale", on_delete=models.PROTECT, related_name="tickets"
    )
    site = models.ForeignKey(
        "customers.Site", verbose_name="site", null=True, blank=True, on_delete=models.PROTECT, related_name="tickets"
    )
    services = models.ManyToManyField("inventory.Service", verbose_name="services concernés", blank=True, related_name="tickets")
    equipment = models.ManyToManyField(
        "inventory.Equipment", verbose_name="équipements concernés", blank=True, related_name="tickets"
    )
    case = models.ForeignKey(
        "catalogue.ResolutionCase",
        verbose_name="cas de résolution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    subject = models.CharField("objet", max_length=200)
    description = models.TextField("description", blank=True)
    service_state = models.CharField("état du service", max_length=20, choices=ServiceState.choices)
    priority = models.PositiveSmallIntegerField("priorité", choices=Priority.choices, default=Priority.P3)
    channel = models.CharField("canal", max_length=12, choices=Channel.choices, default=Channel.PHONE)
    reporter = models.ForeignKey(
        "customers.Contact",
        verbose_name="signaleur",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_tickets",
    )
    level = models.CharField("niveau", max_length=2, choices=Level.choices, default=Level.N1)
    status = models.CharField("état", max_length=20, choices=TicketStatus.choices, default=TicketStatus.NEW)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="affecté à",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tickets",
    )
    carrier = models.CharField("opérateur tiers", max_length=60, blank=True)
    carrier_ticket_reference = models.CharField("référence ticket opérateur", max_length=60, blank=True)
    # The customer's own reference for the incident (their ticket or order number): « Votre référence » in the
    # mail header of seed 004. db_default: the bulk generator and raw loaders insert without it.
    client_reference = models.CharField("votre référence", max_length=60, blank=True, default="", db_default="")
    complementary_data = models.TextField("données complémentaires", blank=True)
    alerts = models.TextField("alertes", blank=True)
    resolution = models.TextField("résolution", blank=True)

    created_at = models.DateTimeField("créé le", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="auteur", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    resolved_at = models.DateTimeField("rétabli le", null=True, blank=True)
    closed_at = models.DateTimeField("clôturé le", null=True, blank=True)
    observation_until = models.DateTimeField("fin d'observation", null=True, blank=True)

    objects = OwnedByOrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = "ticket"
        ordering = ["-created_at", "-id"]
        # Composite indexes follow the grid's sorts (priority then age, id as tie-break) so a page of
        # 50 is read in index order and never sorts the table; the partial ones cover the default
        # "open tickets" view, filtered by team (level), company or assignee (docs/performance.md).
        indexes = [
            models.Index(fields=["status", "-created_at"]),
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["assignee", "status"]),
            models.Index(fields=["level", "status"]),
            models.Index(fields=["created_at", "id"], name="ticket_age"),
            models.Index(fields=["status", "priority", "created_at", "id"], name="ticket_status_prio"),
            models.Index(
                fields=["priority", "created_at", "id"], name="ticket_open_prio", condition=models.Q(status__in=OPEN)
            ),
            models.Index(fields=["created_at", "id"], name="ticket_open_age", condition=models.Q(status__in=OPEN)),
            models.Index(
                fields=["level", "priority", "created_at", "id"],
                name="ticket_open_level_prio",
                condition=models.Q(status__in=OPEN),
            ),
            models.Index(
                fields=["organisation", "priority", "created_at", "id"],
                name="ticket_open_org_prio",
                condition=models.Q(status__in=OPEN),
            ),
            models.Index(
                fields=["assignee", "priority", "created_at", "id"],
                name="ticket_open_assignee_prio",
                condition=models.Q(status__in=OPEN),
            ),
            models.Index(fields=["organisation", "created_at", "id"], name="ticket_org_age"),
            # « Tous les états » keeps the priority sort: a busy company has tens of thousands of tickets.
            models.Index(fields=["priority", "created_at", "id"], name="ticket_prio"),
            models.Index(fields=["organisation", "priority", "created_at", "id"], name="ticket_org_prio"),
            # Open tickets per site (company page): counted from the index, not from thousands of rows.
            models.Index(fields=["site"], name="ticket_open_site", condition=models.Q(status__in=OPEN)),
        ]

    def __str__(self) -> str:
        return f"{self.reference} – {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def n1_checklist_complete(self) -> bool:
        if "checklist_items" in getattr(self, "_prefetched_objects_cache", {}):
            n1 = [item for item in self.checklist_items.all() if item.level == Level.N1]
            return bool(n1) and all(item.done for item in n1)
        items = self.checklist_items.filter(level=Level.N1)
        return items.exists() and not items.filter(done=False).exists()

    def age(self) -> Any:
        return timezone.now() - self.created_at


class ChecklistItem(models.Model):
    """One N1 check or N2 action copied from the case when the ticket is qualified."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="checklist_items")
    level = models.CharField(max_length=2, choices=Level.choices)
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    case = models.ForeignKey("catalogue.ResolutionCase", on_delete=models.PROTECT, related_name="+")
    done = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = OfTicketQuerySet.as_manager()

    class Meta:
        ordering = ["ticket", "level", "position"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "level", "position"], name="checklist_unique_position")
        ]

    def __str__(self) -> str:
        return f"[{'x' if self.done else ' '}] {self.text}"


class LedReading(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="led_readings")
    equipment = models.ForeignKey("inventory.Equipment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    device = models.CharField(max_length=10)  # catalogue.choices.LedDevice
    phase = models.CharField(max_length=6, choices=LedPhase.choices)
    states = models.JSONField()
    label = models.CharField(max_length=200)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return self.label


class AppendOnlyError(Exception):
    pass


class TimelineEntry(models.Model):
    """Append-only history of a ticket: nothing here is ever updated or deleted."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(max_length=16, choices=TimelineKind.choices)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    body = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.kind}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Timeline entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("Timeline entries are append-only.")
