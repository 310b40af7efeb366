"""Our TMF621 view of desk tickets (v5, and v4 through the same code) and its events to hub subscribers.

Events are delivered by the job queue; each subscription hears them rendered in its own API version.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.utils import timezone

from softwhere.tickets.choices import TimelineKind, Visibility
from softwhere.tickets.models import Ticket

from .choices import MessageKind, Protocol
from .models import Hub, InteropMessage
from .outbound import JSON, _http_message
from .services import tmf


def render(ticket: Ticket, api: tmf.TicketApi) -> dict[str, Any]:
    timeline = list(
        ticket.timeline.filter(kind__in=(TimelineKind.COMMENT, TimelineKind.STATUS)).select_related("author")
    )
    notes = [e for e in timeline if e.kind == TimelineKind.COMMENT and e.visibility == Visibility.PUBLIC]
    history = [e for e in timeline if e.kind == TimelineKind.STATUS]
    return tmf.ticket_to_tmf(ticket, api, notes=notes, history=history)


def event_types(event: str, data: dict[str, Any]) -> list[str]:
    """Desk ticket event → TMF621 event types, the same names in v4 and v5 (docs/interop.md)."""
    if event == "created":
        return ["TroubleTicketCreateEvent"]
    if event.startswith("transition."):
        types = ["TroubleTicketStatusChangeEvent"]
        to = data.get("to")
        if to == "resolved":
            types.append("TroubleTicketResolvedEvent")
        if to == "waiting_client":
            types.append("TroubleTicketInformationRequiredEvent")
        return types
    if event in ("commented", "updated", "qualified", "assigned"):
        return ["TroubleTicketAttributeValueChangeEvent"]
    return []


def publish(ticket_id: int, event: str, data: dict[str, Any]) -> list[InteropMessage]:
    types = event_types(event, data)
    hubs = list(Hub.objects.filter(api__in=list(tmf.TICKET_APIS)).select_related("owner"))
    if not types or not hubs:
        return []
    ticket = Ticket.objects.get(pk=ticket_id)
    resources: dict[str, dict[str, Any]] = {}  # one rendering per API version
    out = []
    for hub in hubs:
        if not Ticket.objects.visible_to(hub.owner).filter(pk=ticket.pk).exists():
            continue
        if hub.api not in resources:
            resources[hub.api] = render(ticket, tmf.TICKET_APIS[hub.api])
        resource = resources[hub.api]
        for event_type in types:
            if not hub.wants(event_type, {"status": resource["status"]}):
                continue
            body = tmf.event(event_type, "troubleTicket", resource, uuid.uuid4().hex, timezone.now())
            message = _http_message(
                peer=None,
                protocol=Protocol.TMF621,
                kind=MessageKind.EVENT,
                method="POST",
                url=hub.callback,
                body=json.dumps(body),
                content_type=JSON,
                token=False,
                extra={"hub": str(hub.pk)},
            )
            message.ticket = ticket
            message.save(update_fields=["ticket"])
            out.append(message)
    return out
