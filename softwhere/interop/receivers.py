"""Desk ticket events → TMF621 v5 notifications (connected in ``apps.InteropConfig.ready``)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

logger = logging.getLogger("softwhere.interop")


def on_ticket_event(
    sender: Any, *, ticket_id: int, event: str, data: dict[str, Any] | None = None, **kwargs: Any
) -> None:
    """Runs after the ticket's transaction committed; a failure is logged, never turned into an error page."""
    from .tmf_tickets import publish

    try:
        with transaction.atomic():
            publish(ticket_id, event, data or {})
    except Exception:
        logger.exception("TMF621 notification failed for ticket %s after %s", ticket_id, event)
