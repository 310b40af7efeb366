"""Serializer helpers shared by the apps' APIs."""

from __future__ import annotations

import copy

from rest_framework import serializers


class CachedFieldsMixin:
    """Build a read-only ModelSerializer's fields from the model once per class, not once per instance.

    ``ModelSerializer.get_fields`` introspects the model on every instantiation, and nested
    references are instantiated for every response (a created ticket embeds six of them):
    that introspection was a fifth of the ticket-creation request. The unbound fields are
    kept per class and deep-copied, as DRF already does for declared fields, so no two
    serializers share a field instance. Only for serializers whose fields do not depend on
    the context or the instance.
    """

    def get_fields(self) -> dict[str, serializers.Field]:
        cls = type(self)
        cached: dict[str, serializers.Field] | None = cls.__dict__.get("_cached_unbound_fields")
        if cached is None:
            cached = super().get_fields()  # type: ignore[misc]
            cls._cached_unbound_fields = cached  # type: ignore[attr-defined]
        return copy.deepcopy(cached)


class RefSerializer(CachedFieldsMixin, serializers.ModelSerializer):
    """Read-only short form of an object, embedded in other resources."""
