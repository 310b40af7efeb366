"""Presentation helpers of the SLA pages: clock badges and business-minute durations."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from softwhere.sla.choices import ClockKind, ClockState

register = template.Library()

_DARK_TEXT = {"warning", "light", "info"}


@register.simple_tag
def clock_badge(kind: str, value: Any) -> str:
    """``{% clock_badge "state" clock.state %}`` or ``{% clock_badge "kind" clock.kind %}``."""
    cls = ClockState if kind == "state" else ClockKind
    try:
        label, colour = cls(value).label, cls.colour(value)
    except ValueError:
        return str(value)
    text = " text-dark" if colour in _DARK_TEXT else ""
    return format_html('<span class="badge text-bg-{}{}">{}</span>', colour, text, label)


@register.filter
def minutes(value: Any) -> str:
    """240 → "4 h", 390 → "6 h 30", 45 → "45 min", negative values get a minus sign."""
    if value in (None, ""):
        return "—"
    total = int(round(float(value)))
    sign, total = ("-" if total < 0 else ""), abs(total)
    hours, mins = divmod(total, 60)
    if not hours:
        return f"{sign}{mins} min"
    return f"{sign}{hours} h {mins:02d}" if mins else f"{sign}{hours} h"
