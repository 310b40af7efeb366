"""Desk API of the gateway: the message journal and signalisations (staff), escalation of a ticket to its OI."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, ErrorDetail, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from softwhere.core.api.permissions import IsDeskStaff
from softwhere.tickets.models import Ticket

from .. import actions
from ..choices import Role
from ..models import InteropMessage, Signalisation
from .serializers import (
    AppointmentAnswerSerializer,
    ClosureSerializer,
    InformationSerializer,
    InteropErrorSerializer,
    InteropMessageSerializer,
    OiEscalationSerializer,
    ReasonSerializer,
    RelaunchSerializer,
    SignalisationSerializer,
    TakeChargeSerializer,
)

TICKET_PARAM = OpenApiParameter("ticket", str, description="Référence du ticket desk.")
ROLE_PARAM = OpenApiParameter(
    "role", str, enum=["oc", "oi"], description="Notre rôle : oc (nos signalisations aux OI), oi (reçues des OC)."
)
STATUS_PARAM = OpenApiParameter("status", str, description="État de la signalisation (submitted, in_progress…).")


class InteropConflict(APIException):
    """A move the signalisation's state or the protocol refuses: 409 ``{code, detail}``."""

    status_code = status.HTTP_409_CONFLICT

    def __init__(self, exc: actions.InteropError) -> None:
        super().__init__()
        self.detail = {"code": ErrorDetail(exc.code), "detail": ErrorDetail(exc.message)}


def _run(move: Callable[[], Any]) -> Any:
    from ..services.formats import FormatError

    try:
        return move()
    except actions.InteropError as exc:
        raise InteropConflict(exc) from exc
    except FormatError as exc:
        raise ValidationError({"non_field_errors": [str(exc)]}) from exc


def _action_schema(summary: str, request: Any = None) -> Any:
    return extend_schema(
        summary=summary, request=request, responses={200: SignalisationSerializer, 409: InteropErrorSerializer}
    )


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

    @extend_schema(parameters=[TICKET_PARAM, ROLE_PARAM, STATUS_PARAM], summary="Signalisations SAV FTTH")
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        params = self.request.query_params
        if params.get("ticket"):
            qs = qs.filter(ticket__reference=params["ticket"])
        if params.get("role"):
            qs = qs.filter(role=params["role"])
        if params.get("status"):
            qs = qs.filter(status=params["status"])
        return qs

    def _sig(self, request: Request, role: str | None = None) -> Any:
        """The signalisation of the URL, for an agent; a move reserved to the other role is a 409."""
        if not getattr(request.user, "is_agent", False):
            raise PermissionDenied("Réservé aux agents du support.")
        sig = self.get_object()
        if role is not None and sig.role != role:
            side = "OC" if role == Role.OC else "OI"
            raise InteropConflict(actions.InteropError("ETAT_INCOMPATIBLE", f"action réservée au rôle {side}"))
        return sig

    def _done(self, sig: Any) -> Response:
        sig.refresh_from_db()
        return Response(SignalisationSerializer(sig).data)

    @_action_schema("Message de suivi à l'autre opérateur (information, RDV)", InformationSerializer)
    @action(detail=True, methods=["post"])
    def information(self, request: Request, pk: str) -> Response:
        sig = self._sig(request)
        data = InformationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        if sig.role == Role.OC:
            _run(
                lambda: actions.oc_send_information(
                    sig, actor=request.user, info_type=v["info_type"], text=v["text"], proposals=v.get("proposals")
                )
            )
        else:
            _run(
                lambda: actions.oi_send_information(
                    sig,
                    actor=request.user,
                    info_type=v["info_type"],
                    text=v["text"],
                    proposals=v.get("proposals"),
                    appointment=v["appointment"],
                    appointment_id=v["appointment_id"],
                    resolution_state=v["resolution_state"],
                    status=v["status"],
                )
            )
        return self._done(sig)

    @_action_schema("OC : répondre au RDV proposé par l'OI (accepter ou refuser)", AppointmentAnswerSerializer)
    @action(detail=True, methods=["post"], url_path="appointment-answer")
    def appointment_answer(self, request: Request, pk: str) -> Response:
        sig = self._sig(request, Role.OC)
        data = AppointmentAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        _run(
            lambda: actions.oc_answer_appointment(
                sig,
                actor=request.user,
                accept=v["accept"],
                slot=v["slot"],
                proposals=v.get("proposals"),
                text=v["text"],
            )
        )
        return self._done(sig)

    @_action_schema("OC : annuler la signalisation (ou demander son annulation)", ReasonSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        sig = self._sig(request, Role.OC)
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _run(lambda: actions.oc_cancel(sig, actor=request.user, reason_text=data.validated_data["reason"]))
        return self._done(sig)

    @_action_schema("OC : relancer l'OI (et renvoyer les messages en échec)", RelaunchSerializer)
    @action(detail=True, methods=["post"])
    def relaunch(self, request: Request, pk: str) -> Response:
        sig = self._sig(request, Role.OC)
        data = RelaunchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _run(lambda: actions.oc_relaunch(sig, actor=request.user, text=data.validated_data["text"]))
        return self._done(sig)

    @_action_schema("OC (profil Interop) : accepter la résolution de l'OI")
    @action(detail=True, methods=["post"], url_path="accept-resolution")
    def accept_resolution(self, request: Request, pk: str) -> Response:
        sig = self._sig(request, Role.OC)
        _run(lambda: actions.oc_accept_resolution(sig, actor=request.user))
        return self._done(sig)

    @_action_schema("OC (profil Interop) : refuser la résolution de l'OI", ReasonSerializer)
    @action(detail=True, methods=["post"], url_path="refuse-resolution")
    def refuse_resolution(self, request: Request, pk: str) -> Response:
        sig = self._sig(request, Role.OC)
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _run(lambda: actions.oc_refuse_resolution(sig, actor=request.user, reason_text=data.validated_data["reason"]))
        return self._done(sig)

    @_action_schema("OI : prise en charge", TakeChargeSerializer)
    @action(detail=True, methods=["post"], url_path="take-charge")
    def take_charge(self, request: Request, pk: str) -> Response:
        sig = self._sig(request, Role.OI)
        data = TakeChargeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _run(
            lambda: actions.oi_take_charge(
                sig, actor=request.user, resolution_state=data.validated_data["resolution_state"]
            )
        )
        return self._done(sig)

    @_action_schema("OI : clôturer (RET/ABS/STT/ERR)", ClosureSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        sig = self._sig(request, Role.OI)
        data = ClosureSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        _run(
            lambda: actions.oi_close(
                sig,
                actor=request.user,
                code=v["code"],
                responsibility=v["responsibility"],
                location=v["location"],
                comment=v["comment"],
            )
        )
        return self._done(sig)

    @extend_schema(
        request=OiEscalationSerializer,
        responses={201: SignalisationSerializer},
        summary="Signaler le défaut fibre d'un ticket à son OI",
    )
    def create(self, request: Request) -> Response:
        data = OiEscalationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ticket = get_object_or_404(Ticket.objects.visible_to(request.user), reference=data.validated_data["ticket"])
        try:
            sig = actions.escalate_to_oi(
                ticket,
                actor=request.user,
                nature=data.validated_data.get("nature") or None,
                preloc=data.validated_data["preloc"],
                comment=data.validated_data["comment"],
            )
        except actions.InteropError as exc:
            raise ValidationError({"ticket": [exc.message]}) from exc
        return Response(SignalisationSerializer(sig).data, status=status.HTTP_201_CREATED)
