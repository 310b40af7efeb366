"""``{% load interop %}{% interop_journal ticket %}``: the ticket's inter-operator exchange, for the ticket page."""

from __future__ import annotations

from typing import Any

from django import template

from softwhere.interop.models import InteropMessage, Signalisation

register = template.Library()


@register.inclusion_tag("interop/_journal.html", takes_context=True)
def interop_journal(context: template.Context, ticket: Any) -> dict[str, Any]:
    """Signalisations of the ticket and every message in and out, oldest first; staff only (else nothing)."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    visible = bool(user is not None and getattr(user, "is_desk_staff", False))
    journal = (
        list(InteropMessage.objects.filter(ticket=ticket).select_related("peer").order_by("created_at", "id"))
        if visible
        else []
    )
    sigs = list(Signalisation.objects.filter(ticket=ticket).select_related("peer")) if visible else []
    return {"visible": visible, "journal": journal, "signalisations": sigs, "ticket": ticket}


@register.simple_tag
def interop_badge(kind: str, value: str) -> str:
    """``{% interop_badge "status" sig.status %}``: a gateway choice label in its colour (« message » or « status »)."""
    from django.utils.html import format_html

    from softwhere.interop.choices import MessageStatus, SignalisationStatus

    cls: Any = {"message": MessageStatus, "status": SignalisationStatus}[kind]
    try:
        label, colour = str(cls(value).label), str(cls.colour(value))
    except ValueError:
        return str(value or "—")
    text = " text-dark" if colour in ("warning", "light", "info") else ""
    border = " border" if colour == "light" else ""
    return format_html('<span class="badge text-bg-{}{}{}">{}</span>', colour, text, border, label)
