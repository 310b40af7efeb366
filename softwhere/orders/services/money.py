"""Quotes shared by the fee and portability rules: lines of € HT amounts, a total, French notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

ZERO = Decimal("0")


def eur(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


def json_number(value: Decimal) -> int | float:
    """Whole euros print as integers (``50``), cents as decimals (``12.5``)."""
    return int(value) if value == value.to_integral_value() else float(value)


class QuoteError(ValueError):
    """A request the handbook does not allow; ``message`` is French and shown as is."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class QuoteLine:
    label: str
    amount: Decimal
    #: Section of seed 001 the amount comes from, e.g. "II.D".
    source: str = ""
    kind: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "label": self.label, "amount_eur": json_number(self.amount)}
        if self.source:
            data["source"] = self.source
        data.update(self.extra)
        return data


@dataclass(frozen=True)
class Quote:
    lines: tuple[QuoteLine, ...]
    notes: tuple[str, ...] = ()

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    def as_dict(self) -> dict[str, Any]:
        return {
            "total_eur": json_number(self.total),
            "lines": [line.as_dict() for line in self.lines],
            "notes": list(self.notes),
        }
