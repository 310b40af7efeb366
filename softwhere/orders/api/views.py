"""Orders and the desk calculators: thin views that parse input and call one action or one pure rule.

Orders are read in the user's scope (another company's order is a 404). Bad input is a 400 with
French field messages (``ValidationError``, ``QuoteError``); a move the flow refuses now (incomplete
file, step out of order) is a 409 ``{code, detail, missing?}``; a role refusal a 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from softwhere.core.api.errors import exception_handler as desk_exception_handler
from softwhere.core.api.viewsets import ScopedQuerySetMixin

from .. import actions
from ..actions import OrderError
from ..models import CommissionInvoice, CommissionStatement, Order, PortabilityRequest
from ..services import commissions, eligibility, portability
from ..services.calculators import fee_quote, sizing_result
from ..services.money import QuoteError, json_number
from .serializers import (
    STEP_CODES,
    CancelSerializer,
    CommissionInvoiceSerializer,
    CommissionStatementSerializer,
    ContestSerializer,
    EligibilitySerializer,
    FeeQuoteResultSerializer,
    FeeQuoteSerializer,
    HintSerializer,
    OperatorSerializer,
    OrderCreateSerializer,
    OrderErrorSerializer,
    OrderSerializer,
    OrderUpdateSerializer,
    PortabilityCreateSerializer,
    PortabilityQuoteResultSerializer,
    PortabilityQuoteSerializer,
    PortabilityRequestSerializer,
    PostponeSerializer,
    SizingResultSerializer,
    SizingSerializer,
    StepMoveSerializer,
)

ORDER_CONFLICT = OpenApiResponse(OrderErrorSerializer, description="Refusé par le déroulement de la commande.")


def order_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, OrderError):
        body: dict[str, Any] = {"code": str(exc.code), "detail": exc.message}
        if exc.missing:
            body["missing"] = exc.missing
        if exc.field:
            body["field"] = exc.field
        return Response(body, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, QuoteError):
        return Response({exc.field or "non_field_errors": [exc.message]}, status=status.HTTP_400_BAD_REQUEST)
    return desk_exception_handler(exc, context)


class OrderErrorsMixin:
    def get_exception_handler(self) -> Callable[..., Response | None]:
        return order_exception_handler


def _order_response(order: Order, request: Request, code: int = status.HTTP_200_OK) -> Response:
    order = OrderViewSet.queryset.get(pk=order.pk)
    return Response(OrderSerializer(order, context={"request": request}).data, status=code)


@extend_schema_view(
    list=extend_schema(summary="Commandes visibles"),
    retrieve=extend_schema(summary="Détail d'une commande : dossier, étapes, dates prévues"),
)
class OrderViewSet(
    OrderErrorsMixin, ScopedQuerySetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = Order.objects.select_related("organisation", "partner", "site").prefetch_related(
        "items", "steps__owner", "portability_requests", "organisation__contacts"
    )
    serializer_class = OrderSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_fields = ("status", "organisation")
    ordering_fields = ("received_at", "expected_delivery_on")
    ordering = ("-received_at", "-id")

    @extend_schema(
        summary="Enregistrer une commande reçue", request=OrderCreateSerializer, responses={201: OrderSerializer}
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = OrderCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        order = actions.create_order(actor=request.user, **serializer.validated_data)
        return _order_response(order, request, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Compléter le dossier (pièces signées, RIB, informations d'ouverture de compte)",
        request=OrderUpdateSerializer,
        responses={200: OrderSerializer, 409: ORDER_CONFLICT},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        order = self.get_object()
        serializer = OrderUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        order = actions.update_order(order, actor=request.user, **serializer.validated_data)
        return _order_response(order, request)

    @extend_schema(
        summary="Accuser réception de la commande (sous 24 h ouvrées)",
        request=None,
        responses={200: OrderSerializer, 409: ORDER_CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str | None = None) -> Response:
        order = actions.acknowledge_order(self.get_object(), actor=request.user)
        return _order_response(order, request)

    @extend_schema(
        summary="Démarrer le traitement (refusé avec la liste des pièces manquantes si le dossier est incomplet)",
        request=None,
        responses={200: OrderSerializer, 409: ORDER_CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str | None = None) -> Response:
        order = actions.start_processing(self.get_object(), actor=request.user)
        return _order_response(order, request)

    @extend_schema(
        summary="Faire avancer une des 11 étapes (démarrer, terminer, passer)",
        request=StepMoveSerializer,
        parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH, enum=STEP_CODES)],
        responses={200: OrderSerializer, 409: ORDER_CONFLICT},
    )
    @action(detail=True, methods=["post"], url_path=r"steps/(?P<code>[a-z_]+)")
    def step(self, request: Request, pk: str | None = None, code: str = "") -> Response:
        order = self.get_object()
        serializer = StepMoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        actions.move_step(
            order, code, data["move"], actor=request.user, at=data.get("at"), note=data["note"], data=data["data"]
        )
        return _order_response(order, request)

    @extend_schema(
        summary="Contester le lien livré (3 jours ouvrés après le bon de livraison)",
        request=ContestSerializer,
        responses={200: OrderSerializer, 409: ORDER_CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def contest(self, request: Request, pk: str | None = None) -> Response:
        serializer = ContestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        order = actions.contest_link(self.get_object(), actor=request.user, **serializer.validated_data)
        return _order_response(order, request)

    @extend_schema(
        summary="Déposer le mandat de portabilité (NDI et toutes les SDA de la facture)",
        request=PortabilityCreateSerializer,
        responses={201: PortabilityRequestSerializer, 409: ORDER_CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def portability(self, request: Request, pk: str | None = None) -> Response:
        order = self.get_object()
        serializer = PortabilityCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = actions.create_portability_request(order, actor=request.user, **serializer.validated_data)
        return Response(PortabilityRequestSerializer(created).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Demandes de portabilité visibles"),
    retrieve=extend_schema(summary="Détail d'une demande de portabilité et son devis"),
)
class PortabilityRequestViewSet(
    OrderErrorsMixin, ScopedQuerySetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = PortabilityRequest.objects.select_related("order")
    serializer_class = PortabilityRequestSerializer
    filterset_fields = ("status", "order")
    ordering = ("-id",)

    @extend_schema(
        summary="Reporter (jusqu'à 24 h avant la date confirmée ; coût de la demande globale)",
        request=PostponeSerializer,
        responses={200: PortabilityRequestSerializer, 409: ORDER_CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def postpone(self, request: Request, pk: str | None = None) -> Response:
        serializer = PostponeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        updated = actions.postpone_portability(self.get_object(), actor=request.user, **serializer.validated_data)
        return Response(PortabilityRequestSerializer(updated).data)

    @extend_schema(
        summary="Annuler (jusqu'à 24 h avant la date confirmée ; coût de la demande globale)",
        request=CancelSerializer,
        responses={200: PortabilityRequestSerializer, 409: ORDER_CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        serializer = CancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        updated = actions.cancel_portability(self.get_object(), actor=request.user, **serializer.validated_data)
        return Response(PortabilityRequestSerializer(updated).data)


class PortabilityQuoteView(OrderErrorsMixin, APIView):
    @extend_schema(
        summary="Devis de portabilité (tranches de 10, FT/Orange 50 €, tiers 80 €, 08, 09…)",
        request=PortabilityQuoteSerializer,
        responses={200: PortabilityQuoteResultSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = PortabilityQuoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if v is not None}
        for key in ("confirmed_date", "requested_at"):
            if key in data:
                data[key] = data[key].isoformat()
        return Response(portability.quote_json(data))


class OperatorListView(APIView):
    @extend_schema(
        summary="Opérateurs ayant une convention de portabilité", responses={200: OperatorSerializer(many=True)}
    )
    def get(self, request: Request) -> Response:
        return Response(
            [
                {
                    "name": op.name,
                    "geographic_eur": json_number(op.geographic),
                    "special_08_eur": json_number(op.special_08),
                    "special_09_eur": None if op.special_09 is None else json_number(op.special_09),
                }
                for op in portability.operators()
            ]
        )


class FeeQuoteView(OrderErrorsMixin, APIView):
    @extend_schema(
        summary="Calculer des frais du handbook (résiliation, annulation, erreur d'adresse, "
        "désaturation, upgrade/downgrade, déménagement, expertise, AMO, GTR étendue)",
        request=FeeQuoteSerializer,
        responses={200: FeeQuoteResultSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = FeeQuoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(fee_quote(dict(serializer.validated_data)))


class SizingView(OrderErrorsMixin, APIView):
    @extend_schema(
        summary="Dimensionner les appels simultanés (règle du tiers, Erlang B)",
        request=SizingSerializer,
        responses={200: SizingResultSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = SizingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(sizing_result(dict(serializer.validated_data)))


class EligibilityView(APIView):
    @extend_schema(
        summary="Avertissements d'éligibilité (VoIP sur ligne faible, paires, désaturation)",
        request=EligibilitySerializer,
        responses={200: HintSerializer(many=True)},
    )
    def post(self, request: Request) -> Response:
        serializer = EligibilitySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        hints = eligibility.eligibility_hints(**serializer.validated_data)
        return Response([h.__dict__ for h in hints])


@extend_schema_view(list=extend_schema(summary="Commissions mensuelles (12 derniers mois)"))
class CommissionViewSet(ScopedQuerySetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    queryset = CommissionStatement.objects.select_related("partner")
    serializer_class = CommissionStatementSerializer
    filterset_fields = ("partner",)
    ordering = ("partner", "month")

    def get_queryset(self) -> Any:
        months = commissions.last_12_months(timezone.localdate())
        return super().get_queryset().filter(month__gte=months[0], month__lte=months[-1])


@extend_schema_view(
    list=extend_schema(summary="Factures de commissions déposées"),
    create=extend_schema(summary="Déposer une facture trimestrielle de commissions (contrôlée)"),
)
class CommissionInvoiceViewSet(
    ScopedQuerySetMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    queryset = CommissionInvoice.objects.select_related("partner")
    serializer_class = CommissionInvoiceSerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invoice = actions.submit_commission_invoice(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(invoice).data, status=status.HTTP_201_CREATED)
