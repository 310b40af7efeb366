"""Telephony API: scoped reads, writes through actions, the company document and « où va cet appel ? »."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from softwhere.core.api.viewsets import ScopedQuerySetMixin
from softwhere.customers.models import Organisation

from .. import actions
from ..choices import LineKind
from ..models import Calendar, CallGroup, Line, TelephonySite
from ..services.calendar import PARIS
from ..services.document import ensure_pseudo_site, export_document
from ..services.rules import schema_issues
from ..services.simulator import state_from_dict
from .serializers import (
    CalendarSerializer,
    CallGroupSerializer,
    LineCreateSerializer,
    LineSerializer,
    SimulateRequestSerializer,
    SimulationSerializer,
)


@extend_schema_view(
    list=extend_schema(
        summary="Lignes visibles",
        parameters=[
            OpenApiParameter("q", str, description="Nom, prénom ou numéro."),
            OpenApiParameter("site", str, description="Nom du site."),
        ],
    ),
    retrieve=extend_schema(summary="Détail d'une ligne"),
    create=extend_schema(summary="Ajouter une ligne", request=LineCreateSerializer, responses={201: LineSerializer}),
    partial_update=extend_schema(summary="Modifier une ligne (coordonnées, matériel, services)"),
    destroy=extend_schema(summary="Supprimer une ligne"),
)
class LineViewSet(
    ScopedQuerySetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Line.objects.select_related("site", "organisation")
    serializer_class = LineSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = LineCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if v not in ("", None)}
        org = get_object_or_404(Organisation.objects.visible_to(request.user), pk=data.pop("organisation"))
        site_id = data.pop("site", None)
        with transaction.atomic():  # the mobile pseudo-site is created only with its first line
            if data["kind"] == LineKind.MOBILE:
                site = ensure_pseudo_site(org)
            else:
                found = TelephonySite.objects.filter(pk=site_id, organisation=org).first() if site_id else None
                if found is None:
                    message = "Site inconnu pour cette entreprise." if site_id else "Le site est obligatoire."
                    raise DRFValidationError({"site": [message]})
                site = found
            line = actions.create_line(org, actor=request.user, site=site, **data)
        return Response(self.get_serializer(line).data, status=status.HTTP_201_CREATED)

    def get_queryset(self) -> QuerySet[Line]:
        qs = super().get_queryset()
        term = self.request.query_params.get("q", "").strip()
        if term:
            compact = term.replace(" ", "")
            qs = qs.filter(
                Q(first_name__icontains=term)
                | Q(last_name__icontains=term)
                | Q(name__icontains=term)
                | Q(number__contains=compact.lstrip("0"))
                | Q(short_number=compact)
            )
        site = self.request.query_params.get("site", "").strip()
        if site:
            qs = qs.filter(site__name__icontains=site)
        return qs.order_by("number")

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        line = self.get_object()
        serializer = self.get_serializer(line, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        line = actions.update_line(line, actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(line).data)

    def perform_destroy(self, instance: Line) -> None:
        actions.delete_line(instance, actor=self.request.user)


@extend_schema_view(
    list=extend_schema(summary="Groupements d'appels visibles"),
    retrieve=extend_schema(summary="Détail d'un groupement d'appels"),
    partial_update=extend_schema(summary="Modifier un groupement d'appels"),
)
class CallGroupViewSet(
    ScopedQuerySetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = CallGroup.objects.select_related("site").prefetch_related("members__line").order_by("name")
    serializer_class = CallGroupSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        group = self.get_object()
        serializer = self.get_serializer(group, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        group = actions.update_call_group(group, actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(group).data)


@extend_schema_view(
    list=extend_schema(summary="Calendriers visibles"),
    retrieve=extend_schema(summary="Détail d'un calendrier"),
    create=extend_schema(
        summary="Créer un calendrier",
        parameters=[OpenApiParameter("organisation", int, required=True, description="Entreprise.")],
    ),
    destroy=extend_schema(summary="Supprimer un calendrier inutilisé"),
)
class CalendarViewSet(
    ScopedQuerySetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Calendar.objects.order_by("name")
    serializer_class = CalendarSerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        org = get_object_or_404(
            Organisation.objects.visible_to(request.user), pk=request.query_params.get("organisation") or 0
        )
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        calendar = actions.create_calendar(org, actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(calendar).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: Calendar) -> None:
        actions.delete_calendar(instance, actor=self.request.user)


@extend_schema_view(
    retrieve=extend_schema(summary="Document de configuration de l'entreprise", responses=OpenApiTypes.OBJECT),
)
class CompanyTelephonyViewSet(viewsets.GenericViewSet):
    """``/telephony/companies/{id}/``: the JSON document (GET; POST ``import/`` replaces it) and the simulator."""

    queryset = Organisation.objects.all()

    def get_queryset(self) -> QuerySet[Organisation]:
        return Organisation.objects.visible_to(self.request.user)

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return Response(export_document(self.get_object()))

    @extend_schema(
        summary="Importer le document (tout ou rien)", request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT}
    )
    @action(detail=True, methods=["post"], url_path="import")
    def import_document(self, request: Request, pk: str | None = None) -> Response:
        org = self.get_object()
        problems = schema_issues(request.data)
        if problems:
            raise ValidationError([str(p) for p in problems])
        actions.import_configuration(org, request.data, actor=request.user)
        return Response(export_document(org))

    @extend_schema(summary="Où va cet appel ?", request=SimulateRequestSerializer, responses=SimulationSerializer)
    @action(detail=True, methods=["post"])
    def simulate(self, request: Request, pk: str | None = None) -> Response:
        org = self.get_object()
        serializer = SimulateRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        state = data.get("state")
        if state is not None:
            problems = schema_issues(state, "state")
            if problems:
                raise ValidationError({"state": [str(p) for p in problems]})
        at = timezone.localtime(data["at"], PARIS)
        sim = actions.simulate_call(org, data["to"], at, data.get("caller") or None, state_from_dict(state))
        return Response(SimulationSerializer(sim.as_dict()).data)
