"""``{% load comms %}{% comms_panel ticket user %}``: the communications panel of the ticket page."""

from __future__ import annotations

from typing import Any

from django import template

from softwhere.comms.views import panel_context

register = template.Library()


@register.inclusion_tag("comms/_panel.html", takes_context=True)
def comms_panel(context: template.Context, ticket: Any, user: Any) -> dict[str, Any]:
    data = panel_context(ticket, user)
    data.update({"request": context.get("request"), "csrf_token": context.get("csrf_token")})
    return data
