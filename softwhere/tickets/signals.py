"""Domain events, sent only after the transaction that caused them has committed.

Receivers (mail/SMS follow-up, SLA clocks, interop gateway) subscribe here so the
ticket actions never import them.
"""

from django.dispatch import Signal

# kwargs: ticket_id: int, event: str, actor_id: int | None, data: dict
ticket_event = Signal()
