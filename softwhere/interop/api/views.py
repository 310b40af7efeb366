"""Desk API of the gateway: the message journal and signalisations (staff), escalation of a ticket to its OI."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from softwhere.core.api.permissions import IsDeskStaff
from softwhere.tickets.models import Ticket

from .. import actions
from ..models import InteropMessage, Signalisation
from .serializers import InteropMessageSerializer, OiEscalationSerializer, SignalisationSerializer

TICKET_PARAM = OpenApiParameter("ticket", str, description="Référence du ticket desk.")


class InteropMessageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Every message exchanged with other operators (payload kept whole), oldest first."""

    serializer_class = InteropMessageSerializer
    permission_classes = [IsDeskStaff]
    queryset = InteropMessage.objects.select_related("peer", "ticket").order_by("created_at", "id")

    @extend_schema(parameters=[TICKET_PARAM], summary="Journal interop (filtrable par ticket)")
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        ticket = self.request.query_params.get("ticket")
        return qs.filter(ticket__reference=ticket) if ticket else qs


class SignalisationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """SAV FTTH signalisations, ours to OIs and OCs' to us."""

    serializer_class = SignalisationSerializer
    permission_classes = [IsDeskStaff]
    queryset = Signalisation.objects.select_related("peer", "ticket").order_by("-created_at", "-id")

    @extend_schema(parameters=[TICKET_PARAM], summary="Signalisations SAV FTTH")
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        ticket = self.request.query_params.get("ticket")
        return qs.filter(ticket__reference=ticket) if ticket else qs

    @extend_schema(request=OiEscalationSerializer, responses={201: SignalisationSerializer},
                   summary="Signaler le défaut fibre d'un ticket à son OI")
    def create(self, request: Request) -> Response:
        data = OiEscalationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ticket = get_object_or_404(Ticket.objects.visible_to(request.user), reference=data.validated_data["ticket"])
        try:
            sig = actions.escalate_to_oi(
                ticket, actor=request.user, nature=data.validated_data.get("nature") or None,
                preloc=data.validated_data["preloc"], comment=data.validated_data["comment"],
            )
        except actions.InteropError as exc:
            raise ValidationError({"ticket": [exc.message]}) from exc
        return Response(SignalisationSerializer(sig).data, status=status.HTTP_201_CREATED)
