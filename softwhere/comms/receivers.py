"""The automatic follow-up of seed 001 VII, driven by ticket events (connected in ``apps.CommsConfig.ready``).

Events arrive after the ticket's transaction committed; each reaction runs in a
transaction of its own and is idempotent (a replayed event sends nothing twice).
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import get_user_model

from softwhere.tickets.choices import TicketStatus, Visibility

from . import actions

logger = logging.getLogger("softwhere.comms")

CLOSURE_TRIGGERS = ("transition.resolve", "transition.request_closure")


def on_ticket_event(
    sender: Any,
    *,
    ticket_id: int,
    event: str,
    actor_id: int | None = None,
    data: dict[str, Any] | None = None,
    **_: Any,
) -> None:
    """A failure here must not turn the agent's committed action into an error: it is logged."""
    data = data or {}
    try:
        if event == "created":
            actions.acknowledge_ticket(ticket_id)
        elif event.startswith("transition."):
            actions.sync_followups(ticket_id)
            if event in CLOSURE_TRIGGERS:
                actions.request_closure(ticket_id)
        elif event == "commented" and data.get("visibility") == Visibility.PUBLIC:
            _client_comment(ticket_id, actor_id)
    except Exception:
        logger.exception("comms: follow-up failed for ticket %s after %s", ticket_id, event)


def _client_comment(ticket_id: int, actor_id: int | None) -> None:
    """A client or partner writing on the portal answers the desk, like a reply mail."""
    from softwhere.tickets.models import Ticket

    author = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    if author is None or author.is_desk_staff:
        return
    ticket = Ticket.objects.filter(pk=ticket_id, status=TicketStatus.WAITING_CLIENT).first()
    if ticket is not None:
        actions.client_replied(ticket, text="", via="portail")
