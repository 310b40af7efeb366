from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django_filters import rest_framework as filters

from softwhere.sla.choices import ClockState
from softwhere.sla.models import SlaClock

from .. import search
from ..choices import OPEN_STATUSES, Channel, Level, Priority, ServiceState, TicketStatus
from ..models import Ticket


class TicketFilter(filters.FilterSet):
    # distinct=False: django-filter's default SELECT DISTINCT over every column defeats the ordered
    # indexes (25 000 escalated tickets sorted on disk at 1 M); these filters never join a to-many table.
    status = filters.MultipleChoiceFilter(
        distinct=False,
        choices=TicketStatus.choices, label="État (répétable : ?status=new&status=in_progress)"
    )
    is_open = filters.BooleanFilter(
        method="filter_open", label="Ticket ouvert (nouveau, en cours, escaladé, en attente)"
    )
    level = filters.ChoiceFilter(choices=Level.choices)
    organisation = filters.NumberFilter(field_name="organisation_id")
    site = filters.NumberFilter(field_name="site_id")
    assignee = filters.NumberFilter(field_name="assignee_id")
    unassigned = filters.BooleanFilter(field_name="assignee", lookup_expr="isnull", label="Sans affectation")
    case = filters.CharFilter(field_name="case_id", label="Identifiant du cas de résolution")
    service_state = filters.MultipleChoiceFilter(distinct=False, choices=ServiceState.choices, label="État du service (répétable)")
    priority = filters.TypedMultipleChoiceFilter(distinct=False, choices=Priority.choices, coerce=int, label="Priorité (répétable)")
    channel = filters.ChoiceFilter(choices=Channel.choices)
    created_after = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte", label="Créé à partir de")
    created_before = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt", label="Créé avant")
    q = filters.CharFilter(
        method="filter_q",
        label="Recherche : mots en français (objet, description, commentaires), référence, raison sociale, "
        "référence opérateur, n° de série, n° de téléphone",
    )
    sla_at_risk_minutes = filters.NumberFilter(
        method="filter_sla", label="Compteur SLA en cours dont l'échéance tombe dans N minutes"
    )

    class Meta:
        model = Ticket
        fields = ("status", "level", "organisation", "site", "assignee", "case", "service_state", "priority", "channel")

    def filter_open(self, queryset: QuerySet[Ticket], name: str, value: bool | None) -> QuerySet[Ticket]:
        if value is None:
            return queryset
        return queryset.filter(status__in=OPEN_STATUSES) if value else queryset.exclude(status__in=OPEN_STATUSES)

    def filter_q(self, queryset: QuerySet[Ticket], name: str, value: str) -> QuerySet[Ticket]:
        user = getattr(self.request, "user", None)
        return search.filter_tickets(queryset, value, header_only=not getattr(user, "is_desk_staff", False))

    def filter_sla(self, queryset: QuerySet[Ticket], name: str, value: Any) -> QuerySet[Ticket]:
        if value is None:
            return queryset
        now = timezone.now()
        clocks = SlaClock.objects.filter(
            state=ClockState.RUNNING,
            stopped_at__isnull=True,
            due_at__gt=now,
            due_at__lte=now + timedelta(minutes=int(value)),
        )
        return queryset.filter(pk__in=clocks.values("ticket_id"))
