from __future__ import annotations

from django.db.models import Q, QuerySet
from django_filters import rest_framework as filters

from ..choices import OPEN_STATUSES, Channel, Level, Priority, ServiceState, TicketStatus
from ..models import Ticket


class TicketFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(
        choices=TicketStatus.choices, label="État (répétable : ?status=new&status=in_progress)"
    )
    is_open = filters.BooleanFilter(method="filter_open", label="Ticket ouvert (nouveau, en cours, escaladé, en attente)")
    level = filters.ChoiceFilter(choices=Level.choices)
    organisation = filters.NumberFilter(field_name="organisation_id")
    site = filters.NumberFilter(field_name="site_id")
    assignee = filters.NumberFilter(field_name="assignee_id")
    unassigned = filters.BooleanFilter(field_name="assignee", lookup_expr="isnull", label="Sans affectation")
    case = filters.CharFilter(field_name="case_id", label="Identifiant du cas de résolution")
    service_state = filters.MultipleChoiceFilter(choices=ServiceState.choices, label="État du service (répétable)")
    priority = filters.TypedMultipleChoiceFilter(choices=Priority.choices, coerce=int, label="Priorité (répétable)")
    channel = filters.ChoiceFilter(choices=Channel.choices)
    created_after = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte", label="Créé à partir de")
    created_before = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt", label="Créé avant")
    q = filters.CharFilter(
        method="filter_q", label="Recherche : référence, objet, raison sociale, référence opérateur"
    )

    class Meta:
        model = Ticket
        fields = ("status", "level", "organisation", "site", "assignee", "case", "service_state", "priority",
                  "channel")

    def filter_open(self, queryset: QuerySet[Ticket], name: str, value: bool | None) -> QuerySet[Ticket]:
        if value is None:
            return queryset
        return queryset.filter(status__in=OPEN_STATUSES) if value else queryset.exclude(status__in=OPEN_STATUSES)

    def filter_q(self, queryset: QuerySet[Ticket], name: str, value: str) -> QuerySet[Ticket]:
        value = value.strip()
        if not value:
            return queryset
        by_service = Ticket.services.through.objects.filter(service__carrier_reference__icontains=value)
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(subject__icontains=value)
            | Q(organisation__name__icontains=value)
            | Q(carrier_ticket_reference__icontains=value)
            | Q(pk__in=by_service.values("ticket_id"))
        )
