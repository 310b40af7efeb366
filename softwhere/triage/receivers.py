"""Learning from manual qualifications: ``tickets.signals.ticket_event`` "qualified" (sent after commit)."""

from __future__ import annotations

import logging
from typing import Any

from django.dispatch import receiver

from softwhere.tickets.models import Ticket
from softwhere.tickets.signals import ticket_event

logger = logging.getLogger(__name__)


@receiver(ticket_event, sender=Ticket, dispatch_uid="triage_record_qualification")
def on_ticket_event(
    sender: Any, ticket_id: int, event: str, actor_id: int | None, data: dict[str, Any], **_: Any
) -> None:
    if event != "qualified" or not data.get("case"):
        return
    from .actions import record_qualification

    try:
        record_qualification(ticket_id, case_id=data["case"], actor_id=actor_id)
    except Exception:  # a learning hiccup must never break the agent's qualification
        logger.exception("triage: could not record the qualification of ticket %s", ticket_id)
