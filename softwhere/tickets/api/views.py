"""Tickets: thin views that parse input, check the role and call one function of ``tickets.actions``.

Tickets are looked up by reference in the user's scope (another company's
ticket is a 404). Refused lifecycle operations raise ``TicketError``, which the
exception handler turns into 409 ``{code, detail}`` (403 for role refusals).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from softwhere.core.api.schema import CONFLICT
from softwhere.core.api.viewsets import ScopedQuerySetMixin

from .. import actions
from ..choices import Visibility
from ..models import ChecklistItem, LedReading, Ticket, TimelineEntry
from .filters import TicketFilter
from .pagination import TicketCursorPagination
from .serializers import (
    AssignRequestSerializer,
    ChecklistItemSerializer,
    ChecklistUpdateSerializer,
    CommentRequestSerializer,
    LedReadingRequestSerializer,
    LedReadingSerializer,
    QualifyRequestSerializer,
    TicketCreateSerializer,
    TicketDetailSerializer,
    TicketListSerializer,
    TicketUpdateSerializer,
    TimelineEntrySerializer,
    TransitionRequestSerializer,
)


def _ticket_response(ticket: Ticket, request: Request, code: int = status.HTTP_200_OK, *, fresh: bool = False) -> Response:
    """The ticket as the detail serializer shows it; ``fresh``: the action just built it, related rows included."""
    if not fresh:
        ticket = (
            Ticket.objects.select_related(*TicketViewSet.related)
            .prefetch_related("services", "equipment")
            .get(pk=ticket.pk)
        )
    return Response(TicketDetailSerializer(ticket, context={"request": request}).data, status=code)


@extend_schema_view(
    list=extend_schema(
        summary="Tickets visibles",
        description="Pagination par curseur (lien next) : le coût d'une page ne dépend pas de sa profondeur.",
    ),
    retrieve=extend_schema(summary="Détail d'un ticket, avec les transitions possibles pour l'utilisateur"),
    create=extend_schema(
        summary="Ouvrir un ticket",
        request=TicketCreateSerializer,
        responses={201: TicketDetailSerializer},
    ),
    partial_update=extend_schema(
        summary="Modifier l'en-tête d'un ticket (agents)",
        request=TicketUpdateSerializer,
        responses={200: TicketDetailSerializer},
    ),
)
class TicketViewSet(
    ScopedQuerySetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    related = ("organisation", "site", "assignee", "case", "reporter", "created_by")
    queryset = Ticket.objects.select_related(*related)
    # What TicketListSerializer shows: a page of the list leaves descriptions, the cases' checklists
    # and the users' passwords in the database.
    list_related = ("organisation", "site", "assignee", "case")
    list_columns = (
        "reference", "subject", "status", "level", "priority", "service_state", "channel",
        "carrier_ticket_reference", "client_reference", "created_at", "updated_at",
        "organisation__name", "organisation__kind", "site__name", "site__city",
        "case__number", "case__family", "case__domain", "case__heading",
        "assignee__username", "assignee__first_name", "assignee__last_name", "assignee__role",
        "assignee__is_superuser",
    )  # fmt: skip
    lookup_field = "reference"
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_class = TicketFilter
    pagination_class = TicketCursorPagination
    ordering_fields = ("created_at", "updated_at", "priority", "status", "level", "reference")
    ordering = ("-created_at", "-id")

    def get_queryset(self) -> QuerySet[Ticket]:
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("services", "equipment")
        elif self.action == "list":
            queryset = queryset.select_related(None).select_related(*self.list_related).only(*self.list_columns)
        return queryset

    def get_serializer_class(self) -> type[Any]:
        return TicketListSerializer if self.action == "list" else TicketDetailSerializer

    def _ticket(self, require: str | None = None) -> Ticket:
        """The ticket of the URL (404 out of scope), then the role check (403)."""
        ticket = self.get_object()
        if require == "agent" and not self.request.user.is_agent:  # type: ignore[union-attr]
            raise PermissionDenied("Action réservée aux agents du support.")
        if require == "staff" and not self.request.user.is_desk_staff:  # type: ignore[union-attr]
            raise PermissionDenied("Réservé aux équipes du support.")
        return ticket

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = TicketCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        ticket = actions.create_ticket(actor=request.user, **serializer.validated_data)
        return _ticket_response(ticket, request, status.HTTP_201_CREATED, fresh=True)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ticket = self._ticket(require="agent")
        serializer = TicketUpdateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        ticket = actions.update_ticket(ticket, actor=request.user, **serializer.validated_data)
        return _ticket_response(ticket, request)

    @extend_schema(
        summary="Appliquer une transition du cycle de vie",
        request=TransitionRequestSerializer,
        responses={200: TicketDetailSerializer, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def transitions(self, request: Request, reference: str) -> Response:
        ticket = self.get_object()  # role rules are part of the transition table
        serializer = TransitionRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        params = dict(serializer.validated_data)
        name = params.pop("transition")
        ticket = actions.transition_ticket(ticket, name, actor=request.user, **params)
        return _ticket_response(ticket, request)

    @extend_schema(
        summary="Qualifier : choisir le cas de résolution (instancie la checklist)",
        request=QualifyRequestSerializer,
        responses={200: TicketDetailSerializer, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def qualify(self, request: Request, reference: str) -> Response:
        ticket = self._ticket(require="agent")
        serializer = QualifyRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ticket = actions.qualify_ticket(ticket, actor=request.user, case=serializer.validated_data["case"])
        return _ticket_response(ticket, request)

    @extend_schema(
        summary="Affecter le ticket à un agent (ou le désaffecter)",
        request=AssignRequestSerializer,
        responses={200: TicketDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, reference: str) -> Response:
        ticket = self._ticket(require="agent")
        serializer = AssignRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ticket = actions.assign_ticket(ticket, actor=request.user, assignee=serializer.validated_data["assignee"])
        return _ticket_response(ticket, request)

    def _visible_entries(self, ticket: Ticket) -> QuerySet[TimelineEntry]:
        entries = ticket.timeline.select_related("author")
        if not self.request.user.is_desk_staff:  # type: ignore[union-attr]
            entries = entries.filter(visibility=Visibility.PUBLIC)
        return entries

    @extend_schema(summary="Commentaires (publics seulement pour les clients)", responses=TimelineEntrySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def comments(self, request: Request, reference: str) -> Response:
        entries = self._visible_entries(self.get_object()).filter(kind="comment")
        return Response(TimelineEntrySerializer(entries, many=True, context={"request": request}).data)

    @extend_schema(
        summary="Ajouter un commentaire",
        request=CommentRequestSerializer,
        responses={201: TimelineEntrySerializer, 409: CONFLICT},
    )
    @comments.mapping.post
    def add_comment(self, request: Request, reference: str) -> Response:
        ticket = self.get_object()
        serializer = CommentRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = actions.add_comment(ticket, actor=request.user, **serializer.validated_data)
        return Response(TimelineEntrySerializer(entry, context={"request": request}).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Historique du ticket (entrées publiques seulement pour les clients)",
                   responses=TimelineEntrySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def timeline(self, request: Request, reference: str) -> Response:
        entries = self._visible_entries(self.get_object())
        return Response(TimelineEntrySerializer(entries, many=True, context={"request": request}).data)

    @extend_schema(summary="Checklist N1 / actions N2 (équipes du support)", responses=ChecklistItemSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def checklist(self, request: Request, reference: str) -> Response:
        ticket = self._ticket(require="staff")
        items = ticket.checklist_items.select_related("done_by").order_by("level", "position")
        return Response(ChecklistItemSerializer(items, many=True, context={"request": request}).data)

    @extend_schema(
        summary="Cocher / décocher un point de la checklist",
        parameters=[OpenApiParameter("item_id", int, OpenApiParameter.PATH, description="Identifiant du point.")],
        request=ChecklistUpdateSerializer,
        responses={200: ChecklistItemSerializer, 409: CONFLICT},
    )
    @action(detail=True, methods=["patch"], url_path=r"checklist/(?P<item_id>\d+)")
    def checklist_item(self, request: Request, reference: str, item_id: str) -> Response:
        ticket = self._ticket(require="agent")
        item = get_object_or_404(ChecklistItem.objects.filter(ticket=ticket), pk=item_id)
        serializer = ChecklistUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = actions.set_checklist_item(item, actor=request.user, **serializer.validated_data)
        return Response(ChecklistItemSerializer(item, context={"request": request}).data)

    @extend_schema(summary="Relevés des voyants ONT / routeur", responses=LedReadingSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="led-readings", pagination_class=None, filter_backends=[])
    def led_readings(self, request: Request, reference: str) -> Response:
        ticket = self._ticket(require="staff")
        readings = LedReading.objects.filter(ticket=ticket).select_related("recorded_by")
        return Response(LedReadingSerializer(readings, many=True, context={"request": request}).data)

    @extend_schema(
        summary="Enregistrer un relevé des voyants (libellé de compte rendu ajouté à l'historique)",
        request=LedReadingRequestSerializer,
        responses={201: LedReadingSerializer, 409: CONFLICT},
    )
    @led_readings.mapping.post
    def add_led_reading(self, request: Request, reference: str) -> Response:
        ticket = self._ticket(require="agent")
        serializer = LedReadingRequestSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        reading = actions.record_led_reading(ticket, actor=request.user, **serializer.validated_data)
        return Response(LedReadingSerializer(reading, context={"request": request}).data, status=status.HTTP_201_CREATED)

