"""Base viewset for scoped, action-backed resources (inventory, customers).

Reads go through ``visible_to(user)``; creation and edits go through one
function of the app's ``actions.py`` (validation, transaction, audit), never
through ``serializer.save()``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model, QuerySet
from rest_framework import generics, mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from softwhere.accounts.choices import INVENTORY_EDITORS

from .permissions import RoleForWrites


class ScopedQuerySetMixin(generics.GenericAPIView):
    """Restrict the viewset's queryset to what the requesting user may see (else 404)."""

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().visible_to(self.request.user)  # type: ignore[attr-defined]


class ScopedActionViewSet(
    ScopedQuerySetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """List, retrieve, create and partially update (PATCH) objects in the user's scope."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    permission_classes = [*viewsets.GenericViewSet.permission_classes, RoleForWrites]
    editor_roles = INVENTORY_EDITORS
    #: ``create_x(*, actor, **fields)`` and ``update_x(obj, *, actor, **changes)`` from actions.py.
    create_action: Callable[..., Model]
    update_action: Callable[..., Model]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = type(self).create_action(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(self._reload(obj)).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()
        serializer = self.get_serializer(obj, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        obj = type(self).update_action(obj, actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(self._reload(obj)).data)

    def _reload(self, obj: Model) -> Model:
        """Re-read through the viewset's queryset so related data is prefetched as on GET."""
        return viewsets.GenericViewSet.get_queryset(self).get(pk=obj.pk)
