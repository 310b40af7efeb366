"""Badges and formatting for the order desk pages."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import template
from django.utils.html import format_html

from softwhere.core.choices import DeskChoices

from ..choices import InvoiceStatus, OrderStatus, PortabilityStatus, StepState
from ..services.calendar import PARIS

register = template.Library()

_CHOICES: dict[str, type[DeskChoices]] = {
    "order": OrderStatus,
    "step": StepState,
    "portability": PortabilityStatus,
    "invoice": InvoiceStatus,
}
_DARK_TEXT = {"warning", "light", "info"}


@register.simple_tag
def obadge(kind: str, value: Any, testid: str = "") -> str:
    """``{% obadge "order" order.status %}``: the choice label in its UI colour."""
    cls = _CHOICES[kind]
    try:
        label = str(cls(value).label)
    except ValueError:
        return str(value)
    colour = cls.colour(value)
    text = " text-dark" if colour in _DARK_TEXT else ""
    border = " border" if colour == "light" else ""
    return format_html(
        '<span class="badge text-bg-{}{}{}"{}>{}</span>',
        colour,
        text,
        border,
        format_html(' data-testid="{}"', testid) if testid else "",
        label,
    )


@register.filter
def eur(value: Any) -> str:
    """« 1 190 € HT » style amounts (no decimals when whole)."""
    if value in (None, ""):
        return "—"
    amount = Decimal(str(value))
    text = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    return text.replace(",", "\u202f").replace(".", ",") + " €\u00a0HT"


_DATA_LABELS = {
    "findings": "Éléments à ajouter",
    "approved": "Accord du client",
    "orange_at": "RDV Orange",
    "sfr_at": "RDV SFR",
    "planned_date": "Date prévue",
    "rollback_until": "Retour arrière possible jusqu'à",
}


@register.filter
def step_data(data: dict[str, Any] | None) -> list[tuple[str, str]]:
    """Step data as French (label, value) pairs, dates in French order."""
    out = []
    for key, value in (data or {}).items():
        text = str(value)
        try:
            if len(text) > 10:
                text = f"{datetime.fromisoformat(text).astimezone(PARIS):%d/%m/%Y %H:%M}"
            elif len(text) == 10:
                text = f"{date.fromisoformat(text):%d/%m/%Y}"
        except ValueError:
            pass
        if value is True:
            text = "oui"
        out.append((_DATA_LABELS.get(key, key), text))
    return out
