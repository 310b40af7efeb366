"""Relation fields that only accept objects the requesting user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary key restricted to ``queryset.visible_to(request.user)``.

    An id outside the user's scope gets the same "does not exist" message as an
    unknown id, so the API never confirms that another company's object exists.
    """

    def get_queryset(self) -> QuerySet[Any]:
        queryset = super().get_queryset()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return queryset.visible_to(user)  # type: ignore[union-attr]
