"""Classification of a free text: parse, call the engine, return its JSON."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from softwhere.core.api.permissions import IsDeskStaff

from .. import engine
from .serializers import TriageClassificationSerializer, TriageClassifyRequestSerializer


class ClassifyView(APIView):
    permission_classes = [permissions.IsAuthenticated, IsDeskStaff]

    @extend_schema(
        summary="Proposer un cas de résolution pour un texte libre",
        description=(
            "Renvoie le cas le plus probable (vide sous le seuil de confiance : « à qualifier »), "
            "les trois meilleurs cas, l'état du service et le domaine proposés, et les faits extraits."
        ),
        request=TriageClassifyRequestSerializer,
        responses={200: TriageClassificationSerializer},
        operation_id="triage_classify",
    )
    def post(self, request: Request) -> Response:
        serializer = TriageClassifyRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = engine.classify(serializer.validated_data["text"], now=serializer.validated_data.get("at"))
        return Response(TriageClassificationSerializer(result).data)
