"""Diagnostics API: evidence (read), service sheets, SSH access configuration, and « Diagnostiquer ».

Operator staff only. Views parse input and call one function of ``actions``;
refusals come back through the shared exception handler (400/403/409).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from softwhere.core.api.permissions import IsDeskStaff, RoleForWrites
from softwhere.core.api.schema import CONFLICT
from softwhere.jobs.choices import JobStatus
from softwhere.jobs.models import ScheduledJob
from softwhere.tickets.models import Ticket

from .. import actions
from ..choices import Trigger
from ..models import Bastion, DeviceCredential, DiagnosticRun, KnownHost, ServiceSheet
from .serializers import (
    BastionSerializer,
    CredentialSerializer,
    DiagnosisRequestSerializer,
    DiagnosticRunDetailSerializer,
    DiagnosticRunSerializer,
    KnownHostSerializer,
    RebootRequestSerializer,
    ServiceSheetSerializer,
    ServiceSheetUpdateSerializer,
)


class DiagnosticRunFilter(django_filters.FilterSet):
    ticket = django_filters.CharFilter(field_name="ticket__reference", help_text="Référence du ticket.")

    class Meta:
        model = DiagnosticRun
        fields = ("ticket", "equipment", "kind", "verdict", "trigger")


@extend_schema_view(
    list=extend_schema(summary="Vérifications (ping, journal d'alarmes…) enregistrées"),
    retrieve=extend_schema(summary="Détail d'une vérification, avec la sortie brute complète"),
)
class DiagnosticRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = DiagnosticRun.objects.select_related("ticket", "actor")
    permission_classes = [IsDeskStaff]
    filterset_class = DiagnosticRunFilter
    ordering_fields = ("started_at",)
    ordering = ("-started_at", "-id")

    def get_serializer_class(self) -> Any:
        return DiagnosticRunDetailSerializer if self.action == "retrieve" else DiagnosticRunSerializer


@extend_schema_view(
    list=extend_schema(summary="Fiches prestation (IP d'administration, topologie, version…)"),
    retrieve=extend_schema(summary="Détail d'une fiche prestation"),
    create=extend_schema(summary="Créer la fiche prestation d'un équipement"),
    partial_update=extend_schema(summary="Modifier une fiche prestation", request=ServiceSheetUpdateSerializer),
)
class ServiceSheetViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = ServiceSheet.objects.select_related("equipment")
    permission_classes = [IsDeskStaff, RoleForWrites]
    serializer_class = ServiceSheetSerializer
    filterset_fields = ("equipment", "service_reference", "vendor", "topology")
    http_method_names = ["get", "post", "patch", "head", "options"]
    ordering = ("service_reference", "hostname")

    def get_serializer_class(self) -> Any:
        return ServiceSheetUpdateSerializer if self.action == "partial_update" else ServiceSheetSerializer

    def get_queryset(self) -> QuerySet[ServiceSheet]:
        return super().get_queryset().visible_to(self.request.user)  # type: ignore[attr-defined]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        sheet = actions.save_service_sheet(data.pop("equipment"), actor=request.user, **data)
        return Response(ServiceSheetSerializer(sheet).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        sheet = self.get_object()
        serializer = ServiceSheetUpdateSerializer(sheet, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        sheet = actions.save_service_sheet(sheet.equipment, actor=request.user, **serializer.validated_data)
        return Response(ServiceSheetSerializer(sheet).data)


@extend_schema_view(
    list=extend_schema(summary="Identifiants d'équipements (sans leur secret)"),
    retrieve=extend_schema(summary="Détail d'un identifiant (sans son secret)"),
    create=extend_schema(summary="Enregistrer un identifiant (secret chiffré, jamais renvoyé)"),
    partial_update=extend_schema(summary="Modifier un identifiant ou changer son secret"),
)
class CredentialViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = DeviceCredential.objects.all()
    serializer_class = CredentialSerializer
    permission_classes = [IsDeskStaff]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cred = actions.save_credential(actor=request.user, **serializer.validated_data)
        return Response(CredentialSerializer(cred).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        cred = self.get_object()
        serializer = self.get_serializer(cred, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = {"name": cred.name, "username": cred.username, "kind": cred.kind, **serializer.validated_data}
        cred = actions.save_credential(actor=request.user, credential=cred, **data)
        return Response(CredentialSerializer(cred).data)


@extend_schema_view(
    list=extend_schema(summary="Clés d'hôtes SSH de confiance"),
    retrieve=extend_schema(summary="Détail d'une clé d'hôte"),
    create=extend_schema(summary="Faire confiance à une clé d'hôte (remplace la précédente du même type)"),
    destroy=extend_schema(summary="Retirer une clé d'hôte"),
)
class KnownHostViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    queryset = KnownHost.objects.all()
    serializer_class = KnownHostSerializer
    permission_classes = [IsDeskStaff]
    filterset_fields = ("host", "port")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        kh = actions.add_known_host(actor=request.user, **serializer.validated_data)
        return Response(KnownHostSerializer(kh).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: KnownHost) -> None:
        actions.remove_known_host(instance, actor=self.request.user)


@extend_schema_view(
    list=extend_schema(summary="Bastions (rebonds SSH)"),
    retrieve=extend_schema(summary="Détail d'un bastion"),
    create=extend_schema(summary="Déclarer un bastion"),
    partial_update=extend_schema(summary="Modifier un bastion"),
)
class BastionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Bastion.objects.all()
    serializer_class = BastionSerializer
    permission_classes = [IsDeskStaff]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        bastion = actions.save_bastion(actor=request.user, **serializer.validated_data)
        return Response(BastionSerializer(bastion).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        bastion = self.get_object()
        serializer = self.get_serializer(bastion, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        bastion = actions.save_bastion(actor=request.user, bastion=bastion, **serializer.validated_data)
        return Response(BastionSerializer(bastion).data)


def _ticket(request: Request, reference: str) -> Ticket:
    return get_object_or_404(Ticket.objects.visible_to(request.user), reference=reference)


def _request_payload(request: Request, job: ScheduledJob, ticket: Ticket) -> dict[str, Any]:
    result = actions.diagnosis_result(job) if job.status == JobStatus.DONE else None
    detail = result["detail"] if result else ""
    if job.status == JobStatus.FAILED:
        detail = "Le diagnostic a échoué sur le serveur ; relancez-le ou consultez les vérifications du ticket."
    elif job.status == JobStatus.CANCELLED:
        detail = "Demande annulée."
    return {
        "id": job.pk,
        "ticket": ticket.reference,
        "status": job.status,
        "status_label": JobStatus(job.status).label,
        "requested_at": job.created_at,
        "done_at": job.done_at,
        "poll_url": request.build_absolute_uri(reverse("diagnostics-request", args=[job.pk])),
        "outcome": result["outcome"] if result else None,
        "detail": detail,
        "equipment": result["equipment"] if result else [],
        "without_sheet": result["without_sheet"] if result else [],
        "runs": result["runs"] if result else [],
    }


class DiagnoseView(APIView):
    """Queue « Diagnostiquer » like the ticket page does: SSH checks take too long for a request.

    The terminal (``softwhere diag``) stays synchronous; the API answers 202 and the
    client polls the request.
    """

    permission_classes = [IsDeskStaff]

    @extend_schema(
        operation_id="diagnostics_tickets_diagnose",
        summary="Diagnostiquer : ping et journal d'alarmes de chaque équipement concerné (les deux extrémités)",
        description=(
            "Met le diagnostic en file d'attente (exécuté en arrière-plan, comme depuis la page du ticket) et "
            "répond 202 avec la demande ; une demande déjà en attente ou en cours pour ce ticket est renvoyée "
            "telle quelle. Suivez-la avec poll_url."
        ),
        request=None,
        responses={202: DiagnosisRequestSerializer, 409: CONFLICT},
    )
    def post(self, request: Request, reference: str) -> Response:
        ticket = _ticket(request, reference)
        job = actions.request_diagnosis(ticket, actor=request.user, trigger=Trigger.API)
        data = DiagnosisRequestSerializer(_request_payload(request, job, ticket)).data
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["poll_url"]})


class DiagnosisRequestView(APIView):
    """State of one queued « Diagnostiquer », scoped through its ticket (out of scope: 404)."""

    permission_classes = [IsDeskStaff]

    @extend_schema(
        operation_id="diagnostics_requests_retrieve",
        summary="Suivre une demande « Diagnostiquer » : état, puis verdicts et vérifications une fois terminée",
        responses={200: DiagnosisRequestSerializer},
    )
    def get(self, request: Request, pk: int) -> Response:
        job = get_object_or_404(ScheduledJob, pk=pk, kind=actions.JOB_DIAGNOSE)
        ticket = get_object_or_404(Ticket.objects.visible_to(request.user), pk=job.payload.get("ticket_id"))
        return Response(DiagnosisRequestSerializer(_request_payload(request, job, ticket)).data)


class RebootView(APIView):
    permission_classes = [IsDeskStaff]

    @extend_schema(
        operation_id="diagnostics_tickets_reboot",
        summary="Redémarrer un équipement (N2, confirmé par le nom d'hôte, audité)",
        request=RebootRequestSerializer,
        responses={200: DiagnosticRunSerializer, 409: CONFLICT},
    )
    def post(self, request: Request, reference: str) -> Response:
        ticket = _ticket(request, reference)
        serializer = RebootRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        sheets, _ = actions.sheets_for_ticket(ticket)
        sheet = next((s for s in sheets if s.pk == serializer.validated_data["sheet"]), None)
        if sheet is None:
            return Response({"sheet": ["Équipement non concerné par ce ticket."]}, status=status.HTTP_400_BAD_REQUEST)
        run = actions.reboot_equipment(
            sheet,
            ticket=ticket,
            actor=request.user,
            confirmation=serializer.validated_data["confirmation"],
            reason=serializer.validated_data["reason"],
        )
        return Response(DiagnosticRunSerializer(run).data)
