"""Ticket events through a durable outbox: written with the change, delivered after commit.

An action calls ``emit`` inside its transaction. The event becomes a ``tickets.event``
job in that same transaction, so it exists if and only if the change committed, and a
process that dies between its commit and the delivery loses nothing: the worker
delivers it later. How it is normally delivered depends on ``TICKET_EVENTS``:

- ``inline`` (default): right after the commit, in the process that acted. The job
  row is then deleted; the worker only sees it if that process died first (the job is
  due ``INLINE_GRACE`` later). The agent's next page already shows the SLA clocks,
  acknowledgement and follow-ups the event produced.
- ``worker``: by ``softwhere worker``. The request only writes the job row, which is
  what lets the API create tickets at a high rate (``bench/create.py``); the SLA
  projection, acknowledgement mail and notifications follow within the worker's
  polling interval. Receivers are state-based (they re-read the ticket), so delivery
  order across workers does not matter.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from softwhere.jobs.actions import schedule
from softwhere.jobs.choices import JobStatus
from softwhere.jobs.models import ScheduledJob

from .models import Ticket
from .signals import ticket_event

logger = logging.getLogger(__name__)

JOB_EVENT = "tickets.event"
INLINE = "inline"
WORKER = "worker"
MODES = (INLINE, WORKER)
# Long enough that the worker never races the acting process, short enough that a crash is repaired soon.
INLINE_GRACE = timedelta(minutes=2)


def delivery_mode() -> str:
    mode = getattr(settings, "TICKET_EVENTS", INLINE)
    if mode not in MODES:
        raise ValueError(f"TICKET_EVENTS must be one of {MODES}, not {mode!r}")
    return mode


def _receiver_name(receiver: Any) -> str:
    return f"{getattr(receiver, '__module__', '?')}.{getattr(receiver, '__qualname__', repr(receiver))}"


def deliver(payload: dict[str, Any]) -> None:
    """Run every receiver (SLA, comms, triage, diagnostics, interop) even if one fails.

    The agent's action is already committed: a receiver's exception must neither turn
    it into an error page nor starve the receivers after it, so it is logged with the
    receiver's name and the others still run. Receivers write in their own
    ``atomic()`` blocks (savepoints inside the worker's job), so a failed one leaves
    nothing half-written.
    """
    for receiver, result in ticket_event.send_robust(sender=Ticket, **payload):
        if isinstance(result, Exception):
            logger.error(
                "ticket_event receiver %s failed for ticket %s after %s",
                _receiver_name(receiver),
                payload["ticket_id"],
                payload["event"],
                exc_info=result,
            )


def emit(ticket: Ticket, event: str, actor: Any, data: dict[str, Any] | None = None) -> None:
    """Record ``event`` in the caller's transaction; it is delivered once that transaction commits."""
    payload = {"ticket_id": ticket.pk, "event": event, "actor_id": getattr(actor, "pk", None), "data": data or {}}
    if delivery_mode() == WORKER:
        schedule(JOB_EVENT, timezone.now(), payload)
        return
    job = schedule(JOB_EVENT, timezone.now() + INLINE_GRACE, payload)
    transaction.on_commit(lambda: _deliver_inline(job.pk, payload))


def _deliver_inline(job_id: int, payload: dict[str, Any]) -> None:
    """Take the event from the outbox (unless a worker already did), then deliver it here."""
    taken, _ = ScheduledJob.objects.filter(pk=job_id, status=JobStatus.PENDING).delete()
    if taken:
        deliver(payload)
