"""``/me/`` and the user's own API tokens (a token is shown once, then only its prefix)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..models import ApiToken
from .serializers import ApiTokenCreatedSerializer, ApiTokenSerializer, MeSerializer


class MeView(APIView):
    @extend_schema(summary="Utilisateur connecté", responses=MeSerializer, operation_id="me_retrieve")
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)


@extend_schema_view(
    list=extend_schema(summary="Mes jetons d'API (actifs et révoqués)"),
    create=extend_schema(
        summary="Créer un jeton d'API", request=ApiTokenSerializer, responses={201: ApiTokenCreatedSerializer}
    ),
    destroy=extend_schema(summary="Révoquer un jeton d'API"),
)
class ApiTokenViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    queryset = ApiToken.objects.all()
    serializer_class = ApiTokenSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[ApiToken]:
        # Only the user's own tokens: another user's token id is a 404.
        return super().get_queryset().filter(user_id=self.request.user.pk)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = ApiTokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, key = ApiToken.issue(request.user, serializer.validated_data["name"])  # type: ignore[arg-type]
        token.key = key  # type: ignore[attr-defined]
        return Response(ApiTokenCreatedSerializer(token).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.get_object().revoke()  # kept, with its revocation date, for the record
        return Response(status=status.HTTP_204_NO_CONTENT)
