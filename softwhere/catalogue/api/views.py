"""Resolution cases (read by desk staff, edited by supervisors) and the LED memos."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from softwhere.accounts.choices import CATALOGUE_EDITORS
from softwhere.core.api.permissions import IsDeskStaff, RoleForWrites

from .. import actions, leds
from ..models import ResolutionCase
from .filters import ResolutionCaseFilter
from .serializers import LedMemosSerializer, ResolutionCaseEditSerializer, ResolutionCaseSerializer


@extend_schema_view(
    list=extend_schema(summary="Cas de résolution"),
    retrieve=extend_schema(summary="Détail d'un cas de résolution"),
    partial_update=extend_schema(
        summary="Modifier les textes d'un cas (superviseur, administrateur)",
        request=ResolutionCaseEditSerializer,
        responses=ResolutionCaseSerializer,
    ),
)
class ResolutionCaseViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    queryset = ResolutionCase.objects.select_related("edited_by")
    serializer_class = ResolutionCaseSerializer
    permission_classes = [permissions.IsAuthenticated, IsDeskStaff, RoleForWrites]
    editor_roles = CATALOGUE_EDITORS
    http_method_names = ["get", "patch", "head", "options"]
    lookup_value_regex = r"[\w-]+"
    filterset_class = ResolutionCaseFilter
    ordering_fields = ("number", "edited_at")
    ordering = ("number",)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = self.get_object()
        serializer = ResolutionCaseEditSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = actions.edit_case(case, actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(case).data)


class LedMemosView(APIView):
    permission_classes = [permissions.IsAuthenticated, IsDeskStaff]

    @extend_schema(summary="Mémos des voyants ONT et routeur", responses=LedMemosSerializer, operation_id="catalogue_leds_retrieve")
    def get(self, request: Request) -> Response:
        return Response(LedMemosSerializer(leds.export_memos()).data)
