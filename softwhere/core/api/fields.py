"""Relation fields that only accept objects the requesting user may see."""

from __future__ import annotations

import copy
from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers


class PrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A primary key whose queryset is shared, not deep-copied, when its serializer is instantiated.

    DRF deep-copies every declared field for each serializer instance, and with it the
    field's queryset: its whole ``Query`` tree, hundreds of ``deepcopy`` calls per
    relation. The queryset is only ever read through ``.all()``, which clones it, so the
    copies can share it.
    """

    def __deepcopy__(self, memo: Any) -> Any:
        args = [copy.deepcopy(item, memo) for item in self._args]  # type: ignore[attr-defined]
        kwargs = {
            key: value if key in ("queryset", "validators") else copy.deepcopy(value, memo)
            for key, value in self._kwargs.items()  # type: ignore[attr-defined]
        }
        return self.__class__(*args, **kwargs)


class ScopedPrimaryKeyRelatedField(PrimaryKeyField):
    """A primary key restricted to ``queryset.visible_to(request.user)``.

    An id outside the user's scope gets the same "does not exist" message as an
    unknown id, so the API never confirms that another company's object exists.
    """

    def get_queryset(self) -> QuerySet[Any]:
        queryset = super().get_queryset()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return queryset.visible_to(user)  # type: ignore[union-attr]
