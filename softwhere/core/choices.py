"""Base for choice sets: stable lowercase slugs, French labels, optional UI colour.

A choice set is defined once and reused by the model field, the filter, the API
enum and the templates (NetBox's ChoiceSet idea on top of Django's TextChoices).
"""

from __future__ import annotations

from django.db import models

_COLOURS: dict[type, dict[str, str]] = {}


class DeskChoices(models.TextChoices):
    """TextChoices with a Bootstrap colour per value for badges in the UI."""

    @classmethod
    def colour(cls, value: str) -> str:
        return _COLOURS.get(cls, {}).get(value, "secondary")


def colours(cls: type[DeskChoices], mapping: dict[str, str]) -> None:
    unknown = set(mapping) - set(cls.values)
    assert not unknown, f"unknown values {unknown} for {cls.__name__}"
    _COLOURS[cls] = mapping
