"""``{% load diagnostics %}{% diagnostics_panel ticket %}``: the panel, ready to drop into the ticket page."""

from __future__ import annotations

from typing import Any

from django import template

from softwhere.diagnostics.views import panel_context

register = template.Library()


@register.inclusion_tag("diagnostics/_ticket_panel.html", takes_context=True)
def diagnostics_panel(context: template.Context, ticket: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    data = panel_context(ticket, user)
    data.update({"request": request, "user": user, "csrf_token": context.get("csrf_token")})
    return data
