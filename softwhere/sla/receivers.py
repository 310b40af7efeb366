"""Keep SLA state in step with ticket events (connected in ``apps.SlaConfig.ready``)."""

from __future__ import annotations

import logging
from typing import Any

from .actions import sync_ticket

logger = logging.getLogger("softwhere.sla")


def on_ticket_event(sender: Any, *, ticket_id: int, event: str, **kwargs: Any) -> None:
    """Runs after the ticket's transaction committed, in a transaction of its own.

    A failure here must not turn the agent's (already committed) action into an
    error page: it is logged, and ``softwhere sla refresh`` or the next event of the
    ticket re-projects everything from the timeline.
    """
    try:
        sync_ticket(ticket_id)
    except Exception:
        logger.exception("SLA sync failed for ticket %s after %s", ticket_id, event)
