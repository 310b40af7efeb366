"""Ticket events the diagnostics react to (connected in ``apps.DiagnosticsConfig.ready``)."""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger("softwhere.diagnostics")


def on_ticket_event(sender: Any, *, ticket_id: int, event: str, **kwargs: Any) -> None:
    """A ticket entering observation gets its periodic checks; runs after the ticket's commit.

    A failure here must not turn the agent's committed action into an error page:
    it is logged, and the agent can still start the watch from the ticket panel.
    """
    if event != "transition.observe":
        return
    from .actions import start_observation_watch

    try:
        start_observation_watch(ticket_id)
    except Exception:
        logger.exception("diagnostics: observation watch not started for ticket %s", ticket_id)
